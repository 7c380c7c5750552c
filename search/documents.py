"""The one search document (DESIGN.md: one search across forum and knowledge base).

Every app turns what it has into this shape through its adapter (forum/search.py, kb/search.py),
and every backend indexes this shape: the backends never see a model. Visibility lives in the
document (`audience`): a search filters on it and never asks an app per result.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cached_property

from search.analysis import analyze, tokens


class Kind:
    TOPIC = "topic"
    ARTICLE = "article"
    REPORT = "report"
    ALL = (TOPIC, ARTICLE, REPORT)


class Audience:
    """Who may find a document. What nobody may find (a hidden topic, a draft) is not indexed."""

    PUBLIC = "public"  # visitors and members
    MEMBERS = "members"  # signed-in members only (members-only categories)

    @staticmethod
    def visible_to(user) -> tuple[str, ...]:
        if getattr(user, "is_authenticated", False):
            return (Audience.PUBLIC, Audience.MEMBERS)
        return (Audience.PUBLIC,)


# Searched fields, in the order of their weight: the title counts most, a question's accepted
# answer more than the other replies. Each backend weighs them by this table.
FIELD_WEIGHTS = {"title": 5.0, "tags": 3.0, "answer": 2.0, "body": 1.5, "replies": 1.0}
SEARCHED_FIELDS = tuple(FIELD_WEIGHTS)


@dataclass(frozen=True)
class SearchDocument:
    """What one search result is made from.

    `id` is "<prefix>:<pk>" (topic:12, page:40): the prefix names the adapter that builds it.
    `body` is a question's text or a page's searchable content, `answer` a question's accepted
    answer and `replies` its other visible replies: hidden and deleted posts never appear."""

    id: str
    kind: str
    title: str
    url: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    body: str = ""
    answer: str = ""
    replies: str = ""
    areas: tuple[str, ...] = ()  # competency-area slugs (forum categories)
    tags: tuple[str, ...] = ()
    host_library: str = ""  # internship reports
    author: str = ""
    solved: bool = False  # a solved question, or a page reviewed and published by an editor
    helpful: int = 0  # helpful votes (topics) or readers who found it helpful (pages)
    audience: str = Audience.PUBLIC
    extra: dict = field(default_factory=dict, compare=False)  # unused by backends; for adapters

    @property
    def year(self) -> int:
        return self.created_at.year

    def text(self, name: str) -> str:
        """A searched field's original text (tags as words)."""
        if name == "tags":
            return " ".join(tag.replace("-", " ") for tag in self.tags)
        return getattr(self, name)

    @cached_property
    def analysed(self) -> dict[str, str]:
        """Each searched field analysed (search.analysis), as the space-separated terms every
        backend indexes with a plain whitespace tokenizer; analysed once per document, however
        many backends index it."""
        return {name: " ".join(analyze(self.text(name))) for name in SEARCHED_FIELDS}

    def terms(self) -> dict[str, str]:
        return self.analysed

    def title_words(self) -> str:
        """The title's words as written (lower-cased, folded, not stemmed): for suggestions
        while typing, which complete what is being typed, not its stem."""
        return " ".join(tokens(self.title))

    def digest(self) -> str:
        """A fingerprint of everything the index holds, to find drift (search_check)."""
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        encoded = json.dumps(data, default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()
