"""The index's vocabulary (search.models.Term): how many documents hold a term, and the term a
query word was probably meant to be ("did you mean …?").

The database backend's index is kept whichever backend answers, so this one vocabulary serves
every backend. On PostgreSQL the candidates for a correction come from pg_trgm's trigram index;
on SQLite from a Speller (search.analysis.spelling) over the whole vocabulary, built once per
process and rebuilt when the vocabulary has grown or shrunk noticeably.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from django.db import connection

from search.analysis.spelling import Speller, correctable, max_distance, osa_distance
from search.backends.database.writes import DOCUMENT_COUNT
from search.models import Term

TRIGRAM_CANDIDATES = 30
SPELLER_MAX_AGE = 300.0  # seconds before the SQLite speller checks the vocabulary's size
SPELLER_DRIFT = 0.02  # the share of terms added or removed that makes it rebuild


def frequencies(terms: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(documents in the index, {term: documents holding it}) for the given terms."""
    rows = dict(
        Term.objects.filter(term__in=[*terms, DOCUMENT_COUNT]).values_list("term", "documents")
    )
    return rows.pop(DOCUMENT_COUNT, 0), rows


def corrections(terms: Sequence[str]) -> dict[str, str]:
    """{term: the term it was probably meant to be} for the terms the index does not know."""
    wanted = [t for t in terms if correctable(t)]
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        return {t: c for t in wanted if (c := _trigram_correction(t))}
    speller = _SPELLERS.get()
    return {t: c for t in wanted if (c := speller.correct(t))}


def _trigram_correction(term: str) -> str | None:
    """The most frequent close term among those pg_trgm finds similar."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, documents FROM search_term WHERE term %% %s "
            "ORDER BY similarity(term, %s) DESC, documents DESC LIMIT %s",
            [term, term, TRIGRAM_CANDIDATES],
        )
        candidates = cursor.fetchall()
    limit = max_distance(term)
    best: tuple[int, int, str] | None = None
    for candidate, documents in candidates:
        if candidate == term:
            return None
        distance = osa_distance(term, candidate, limit)
        if distance <= limit:
            key = (distance, -documents, candidate)
            best = key if best is None or key < best else best
    return best[2] if best else None


class _SpellerCache:
    """One Speller per process, rebuilt when the vocabulary changed by SPELLER_DRIFT."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._speller: Speller | None = None
        self._size = 0
        self._checked = 0.0

    def get(self) -> Speller:
        now = time.monotonic()
        if self._speller is not None and now - self._checked < SPELLER_MAX_AGE:
            return self._speller
        with self._lock:
            size = Term.objects.count()
            stale = self._speller is None or abs(size - self._size) > self._size * SPELLER_DRIFT
            if stale:
                vocabulary = dict(
                    Term.objects.exclude(term=DOCUMENT_COUNT).values_list("term", "documents")
                )
                self._speller, self._size = Speller(vocabulary), size
            self._checked = now
            return self._speller

    def forget(self) -> None:
        """Tests that fill a new index start from its vocabulary."""
        with self._lock:
            self._speller = None


_SPELLERS = _SpellerCache()
forget_speller = _SPELLERS.forget
