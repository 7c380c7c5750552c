"""What every search backend answers, whatever engine is behind it (SQLite FTS5, PostgreSQL
full-text, Elasticsearch): one contract, tested by one suite (tests/search/test_contract.py).

Backends receive analysed terms (search.analysis), never raw text: the Indonesian analysis is
the same everywhere, so that their rankings can be compared. A backend ranks by relevance
(SEARCHED_FIELDS weighed by FIELD_WEIGHTS, rarer terms counting more, documents matching more
of the terms first) and then boosts gently: solved questions and reviewed pages, helpful votes,
recency (boost()). It never sorts in a way that ignores relevance, except when asked for the
newest first.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from search.documents import SearchDocument


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    ALL = (RELEVANCE, NEWEST)


# Facets, in the order the results page shows them.
FACETS = ("kind", "areas", "tags", "solved", "year")
TAG_FACET_SIZE = 15


@dataclass(frozen=True)
class Filters:
    """Facet values a search is narrowed to; an empty tuple narrows nothing. Values of one
    facet are alternatives (kind = topic or article); different facets all apply."""

    kinds: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    solved: bool | None = None
    years: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.kinds or self.areas or self.tags or self.years) or self.solved is not None


@dataclass(frozen=True)
class SearchRequest:
    terms: tuple[str, ...]  # analysed query terms, at least one
    audiences: tuple[str, ...]  # search.documents.Audience.visible_to(user)
    filters: Filters = Filters()
    sort: str = Sort.RELEVANCE
    offset: int = 0
    limit: int = 10
    facets: bool = True
    exclude: tuple[str, ...] = ()  # document ids left out (a page's own, for related content)
    # Documents matching fewer of the terms are still found (never all-terms-or-nothing), but
    # a document must match at least this share of the query's weight to count, so that a
    # long query's one common word does not drag in everything.
    min_match: float = 0.0


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    score: float


@dataclass
class SearchResponse:
    hits: list[Hit]
    total: int
    # facet name -> [(value, count)], most frequent first (year: newest first); only values of
    # documents the request's audiences may see, counted with the other facets' filters on.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str


class BackendError(Exception):
    """The engine did not answer (down, timed out, refused the request); the message says
    which setting or service is at fault."""


class SearchBackend:
    """The contract. `version` is the outbox entry that caused an update: an update with a
    lower version than the one stored never overwrites it (updates may arrive out of order)."""

    name: str = ""

    def index(self, documents: Sequence[tuple[SearchDocument, int]]) -> None:
        raise NotImplementedError

    def delete(self, ids: Sequence[tuple[str, int]]) -> None:
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResponse:
        raise NotImplementedError

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int = 8):
        """Titles that start with `words` (the last one a prefix), best first."""
        raise NotImplementedError

    def stored(self) -> Iterator[tuple[str, str]]:
        """(id, digest) of every document held, for search_check."""
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def ping(self) -> dict:
        """Details for /healthz; raises BackendError when the engine does not answer."""
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document (tests, and a reindex from nothing)."""
        raise NotImplementedError


# --- Gentle boosts, the same on every backend ---------------------------------------------------

SOLVED_BOOST = 1.25
HELPFUL_BOOST = 0.05  # per log2(votes + 1)
RECENCY_HALF_LIFE_DAYS = 365 * 2  # a two-year-old answer weighs 1/1.1 of a new one
RECENCY_WEIGHT = 0.1


def boost(*, solved: bool, helpful: int, updated_at: datetime.datetime, now) -> float:
    """The factor relevance is multiplied by: at most about 1.6, so that a clearly more relevant
    document always stays ahead of a merely solved, popular or recent one."""
    factor = SOLVED_BOOST if solved else 1.0
    factor *= 1.0 + HELPFUL_BOOST * math.log2(1 + max(0, helpful))
    age_days = max(0.0, (now - updated_at).total_seconds() / 86400)
    factor *= 1.0 + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
    return factor
