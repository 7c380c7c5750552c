"""What a search returns, whatever part of Serambi it comes from. Each app answers through a
`search` module of its own (forum/search.py, kb/search.py), so this app never imports their
models (DESIGN.md)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Result:
    kind: str  # "topic", "article", "report"
    title: str
    url: str
    excerpt: str
    solved: bool  # a solved question, or a reviewed knowledge page: shown first
    date: datetime.datetime | datetime.date | None


def words(query: str) -> list[str]:
    """The words of a query, at most ten, each at least two characters. Punctuation is no
    part of a word: a stray quote or parenthesis is query syntax to the full-text engines."""
    plain = re.sub(r"[^\w\s-]", " ", query[:MAX_QUERY_LENGTH])
    return [w for w in plain.split() if len(w) >= 2][:10]
