"""The search service (DESIGN.md, data flow 4): what the search page, the suggestions while
typing, "similar questions" and related content ask for.

A query is analysed once (search.analysis), a word the index does not know is corrected to the
term it was probably meant to be, and the answering backend is asked; when Elasticsearch does
not answer, the database backend does, and the page says so discreetly.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

from search import backends, vocabulary
from search.analysis import analyze_query, stem, tokens
from search.backends.base import (
    BackendError,
    Filters,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    Sort,
    Suggestion,
)
from search.documents import Audience
from search.models import SearchLogEntry

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
MAX_PAGES = 50
# "Similar questions" and related content search by the most telling terms of a longer text.
SIMILAR_TERMS = 12
SIMILAR_MIN_MATCH = 0.25
NO_FILTERS = Filters()
FALLBACK_LOG_EVERY = 60.0  # seconds between two log lines about the same outage


def clean_query(text: str) -> str:
    return " ".join(text.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


@dataclass
class Results:
    query: str
    corrected: str = ""  # the query as searched, when a word was corrected
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    pages: int = 1
    backend: str = ""
    fell_back: bool = False  # Elasticsearch did not answer; the database did
    failed: bool = False  # no backend answered
    log_id: int | None = None

    @property
    def searched(self) -> bool:
        return bool(self.backend) or self.failed


def search(
    *,
    query: str,
    user,
    filters: Filters = NO_FILTERS,
    sort: str = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
    correct: bool = True,
    log: bool = True,
    backend: SearchBackend | None = None,
) -> Results:
    """One page of results for a query as a member (or a visitor) typed it; `backend` is the
    one to ask first (by default the configured one: bench/ compares them side by side)."""
    query = clean_query(query)
    results = Results(query=query)
    terms = analyze_query(query)
    if not terms:
        return results
    if correct:
        terms, results.corrected = _corrected(query, terms)
    page = max(1, min(page, MAX_PAGES))
    request = SearchRequest(
        terms=tuple(terms),
        audiences=Audience.visible_to(user),
        filters=filters,
        sort=sort if sort in Sort.ALL else Sort.RELEVANCE,
        offset=(page - 1) * per_page,
        limit=per_page,
    )
    response = _answer(results, request, backend)
    results.hits, results.total, results.facets = response.hits, response.total, response.facets
    results.page = page
    results.pages = max(1, min(MAX_PAGES, math.ceil(response.total / per_page)))
    if log and page == 1 and not results.failed:
        results.log_id = _log(query, terms, filters, response.total, results.backend)
    return results


def _corrected(query: str, terms: list[str]) -> tuple[list[str], str]:
    """The terms with each unknown one replaced by the known term it was probably meant to be,
    and the query as then searched ("" when nothing was corrected)."""
    _total, known = vocabulary.frequencies(terms)
    fixes = vocabulary.corrections([t for t in terms if t not in known])
    if not fixes:
        return terms, ""
    fixed = list(dict.fromkeys(fixes.get(t, t) for t in terms))
    shown = [fixes.get(stem(word), word) for word in tokens(query)]
    return fixed, " ".join(shown)


def _answer(
    results: Results, request: SearchRequest, backend: SearchBackend | None = None
) -> SearchResponse:
    backend = backend or backends.answering()
    try:
        response = backend.search(request)
        results.backend = backend.name
        return response
    except BackendError as error:
        fallback = backends.database_backend()
        if backend is fallback:
            logger.error("search: the database could not answer: %s", error)
            results.failed = True
            return SearchResponse(hits=[], total=0)
        _log_fallback(error)
    try:
        response = fallback.search(request)
    except BackendError as error:
        logger.error("search: neither Elasticsearch nor the database answered: %s", error)
        results.failed = True
        return SearchResponse(hits=[], total=0)
    results.backend, results.fell_back = fallback.name, True
    return response


_last_fallback_log = 0.0


def _log_fallback(error: Exception) -> None:
    global _last_fallback_log  # one line a minute while the outage lasts, not one per search
    now = time.monotonic()
    if now - _last_fallback_log >= FALLBACK_LOG_EVERY:
        _last_fallback_log = now
        logger.warning(
            "search: Elasticsearch (ELASTICSEARCH_URL) did not answer (%s); the database "
            "answers meanwhile.",
            error,
        )


def _log(query: str, terms: list[str], filters: Filters, total: int, backend: str) -> int:
    chosen = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in vars(filters).items()
        if value not in ((), None)
    }
    entry = SearchLogEntry.objects.create(
        query=query,
        normalized=" ".join(terms)[:200],
        filters=chosen,
        results=total,
        backend=backend,
    )
    return entry.pk


def mark_opened(log_id: int) -> None:
    """A result of this search was opened: it found something worth reading."""
    SearchLogEntry.objects.filter(pk=log_id, opened=False).update(opened=True)


# --- While typing, and beside a page ------------------------------------------------------------


def suggestions(
    *, text: str, user, limit: int = 8, backend: SearchBackend | None = None
) -> list[Suggestion]:
    """Titles that complete what is being typed in the search box."""
    words = tokens(clean_query(text))[-6:]
    if not words or len(words[-1]) < 2:
        return []
    audiences = Audience.visible_to(user)
    try:
        return (backend or backends.answering()).suggest(words, audiences=audiences, limit=limit)
    except BackendError as error:
        _log_fallback(error)
        try:
            return backends.database_backend().suggest(words, audiences=audiences, limit=limit)
        except BackendError:
            return []


def similar(
    *,
    text: str,
    user,
    exclude: tuple[str, ...] = (),
    limit: int = 5,
    backend: SearchBackend | None = None,
) -> list[Hit]:
    """Questions and pages about what `text` is about (a question being typed, a page being
    read), from the forum and the knowledge base together: the answer before the asking."""
    terms = analyze_query(" ".join(text.replace("\x00", " ").split())[:2000])
    if not terms:
        return []
    _total, known = vocabulary.frequencies(terms)
    # The most telling terms: those the index holds, the rarest first.
    telling = sorted((t for t in terms if known.get(t)), key=lambda t: known[t])[:SIMILAR_TERMS]
    if not telling:
        return []
    request = SearchRequest(
        terms=tuple(telling),
        audiences=Audience.visible_to(user),
        limit=limit,
        facets=False,
        exclude=exclude,
        min_match=SIMILAR_MIN_MATCH,
    )
    return _answer(Results(query=""), request, backend).hits
