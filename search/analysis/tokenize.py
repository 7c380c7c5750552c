"""Text to words: lower-cased, ASCII-folded, hyphenated forms resolved the Indonesian way."""

from __future__ import annotations

import re

from anyascii import anyascii

# A word as typed, in any script: letters and digits joined by hyphens or apostrophes. The
# underscore is a separator (snake_case file names), so is every dash but the hyphens.
_RAW_WORD = re.compile(r"[^\W_]+(?:['\u2019\-\u2010\u2011][^\W_]+)*")
# The same after folding, where only ASCII is left.
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'"})

# Longer runs are URLs, hashes or pasted junk, never a word anyone searches for; they would only
# fill the stem cache (the longest Indonesian words, e.g. ketidakbertanggungjawaban, are ~28).
MAX_WORD_LENGTH = 40
# Clitics that may be written after a hyphen: buku-nya, kita-lah.
_CLITICS = frozenset({"nya", "ku", "mu", "lah", "kah", "pun"})


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased and ASCII-folded, hyphenated forms resolved."""
    found: list[str] = []
    for raw in _RAW_WORD.findall(text):
        folded = raw.lower() if raw.isascii() else anyascii(raw.translate(_HYPHENS)).lower()
        for word in _ASCII_WORD.findall(folded):
            found.extend(w for w in _resolve(word.replace("'", "")) if len(w) <= MAX_WORD_LENGTH)
    return found


def _resolve(word: str) -> list[str]:
    """One hyphenated form as the words a reader would search for."""
    if "-" not in word:
        return [word]
    parts = word.split("-")
    if len(parts) >= 3 and all(p.isdigit() for p in parts[:-1]) and _isbn_tail(parts[-1]):
        return ["".join(parts)]  # ISBN, phone number: found with or without the hyphens
    if len(parts[0]) == 1:
        return ["".join(parts)]  # e-book, e-mail, e-ktp: one word, however it is spelled
    if parts[-1] in _CLITICS:
        parts[-2:] = [parts[-2] + parts[-1]]  # buku-nya is bukunya
    if len(parts) == 2:
        first, second = parts
        if second.startswith(first):
            return [second]  # reduplication: buku-buku, buku-bukunya (the clitic stems away)
        if first.endswith(second):
            return [first]  # sehari-hari
    return parts  # covid-19, sd-smp, wi-fi: separate words, adjacent for phrase matching


def _isbn_tail(part: str) -> bool:
    return part.isdigit() or part == "x"  # an ISBN-10 may end in the check digit X
