"""What the programme's CSV files write: text that a spreadsheet will not run as a formula.

Titles, searches and evaluation comments are typed by members; a cell that starts with "=",
"+", "-", "@" or a control character would be a formula to Excel or LibreOffice (CSV
injection), so such text gets a leading apostrophe, as OWASP advises."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def text_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
