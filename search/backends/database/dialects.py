"""How each database finds and ranks the documents: SQLite FTS5 and PostgreSQL full-text.

Both rank the same way in spirit (BM25: rarer terms count more, each field weighed by
FIELD_WEIGHTS, documents matching more of the terms first) and multiply by the same gentle
boost (base.boost), computed in SQL so that a page of hits is one query.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from functools import cache

from search.backends.base import (
    HELPFUL_BOOST,
    RECENCY_HALF_LIFE_DAYS,
    RECENCY_WEIGHT,
    SOLVED_BOOST,
)
from search.backends.database.writes import DOCUMENT_COUNT
from search.documents import FIELD_WEIGHTS
from search.models import IndexedDocument, Term

DOCUMENTS = IndexedDocument._meta.db_table


class Dialect:
    engine = ""

    def matches(self, terms: Sequence[str]) -> tuple[str, list]:
        """SQL of the ids of every document holding any of the terms."""
        raise NotImplementedError

    def hits(
        self,
        terms: Sequence[str],
        *,
        where: str,
        params: list,
        newest: bool,
        limit: int,
        offset: int,
        now: datetime.datetime,
    ) -> tuple[str, list]:
        """SQL of (id, score) for one page of hits, best (or newest) first."""
        raise NotImplementedError

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int):
        raise NotImplementedError


def boost_sql(age_days: str) -> str:
    """base.boost() in SQL, for a row `d`, given an SQL expression of its age in days."""
    return (
        f"(CASE WHEN d.solved THEN {SOLVED_BOOST} ELSE 1.0 END)"
        f" * (1.0 + {HELPFUL_BOOST} * log(2, 1.0 + d.helpful))"
        f" * (1.0 + {RECENCY_WEIGHT} * power(0.5, ({age_days}) / {RECENCY_HALF_LIFE_DAYS}.0))"
    )


class SQLite(Dialect):
    engine = "sqlite-fts5"
    # bm25()'s column weights, in the FTS5 table's column order (migration 0002).
    WEIGHTS = ", ".join(
        str(FIELD_WEIGHTS[name]) for name in ("title", "tags", "answer", "body", "replies")
    )
    SEARCHED = "{title_terms tags_terms answer_terms body_terms replies_terms}"

    @staticmethod
    def _expression(terms: Sequence[str]) -> str:
        # Terms are [a-z0-9] (search.analysis), quoted so that none reads as an operator.
        return " OR ".join(f'"{t}"' for t in terms)

    def matches(self, terms):
        return (
            "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s",
            [f"{self.SEARCHED} : ({self._expression(terms)})"],
        )

    def hits(self, terms, *, where, params, newest, limit, offset, now):
        age = "max(0.0, julianday(%s) - julianday(d.updated_at))"
        score = f"(-bm25(search_fts, {self.WEIGHTS}, 0.0)) * {boost_sql(age)}"
        order = "d.created_at DESC, d.id DESC" if newest else "score DESC, d.id DESC"
        sql = (
            f"SELECT d.id, {score} AS score FROM search_fts "  # noqa: S608 - our own SQL
            f"JOIN {DOCUMENTS} d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        match = f"{self.SEARCHED} : ({self._expression(terms)})"
        return sql, [_sqlite_moment(now), match, *params, limit, offset]

    def suggest(self, words, *, audiences, limit):
        *complete, last = words
        expression = " AND ".join([*(f'"{w}"' for w in complete), f'"{last}"*'])
        marks = ", ".join(["%s"] * len(audiences))
        sql = (
            f"SELECT d.title, d.url, d.kind FROM search_fts "  # noqa: S608 - our own SQL
            f"JOIN {DOCUMENTS} d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND d.audience IN ({marks}) "
            f"ORDER BY (CASE WHEN d.solved THEN 0 ELSE 1 END), bm25(search_fts), d.id DESC "
            f"LIMIT %s"
        )
        return sql, [f"title_words : ({expression})", *audiences, limit]


def _sqlite_moment(now: datetime.datetime) -> str:
    # How Django stores datetimes in SQLite: UTC, ISO 8601 with a space.
    return now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class PostgreSQL(Dialect):
    engine = "postgresql-full-text"
    # ts_rank's weights for D, C, B, A (migration 0002: replies, body, answer, title and tags).
    WEIGHTS = "{%s}" % ", ".join(  # noqa: UP031 - a PostgreSQL array literal
        f"{FIELD_WEIGHTS[name] / FIELD_WEIGHTS['title']:.2f}"
        for name in ("replies", "body", "answer", "title")
    )
    # Terms held by more than this share of the documents (and by many documents) find too much
    # to rank quickly: they still count in the score, but documents are found by the rarer
    # terms, when there are any.
    COMMON_SHARE = 0.10
    COMMON_DOCUMENTS = 2_000
    # The page of hits is ranked exactly among this many documents, found and pre-ranked by
    # the index; a deeper page widens the window.
    WINDOW = 400

    def _statistics(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        rows = dict(
            Term.objects.filter(term__in=[*terms, DOCUMENT_COUNT]).values_list("term", "documents")
        )
        total = rows.pop(DOCUMENT_COUNT, 0)
        return total, rows

    def _retrieval(self, terms: Sequence[str], total: int, frequency: dict[str, int]) -> list[str]:
        limit = max(total * self.COMMON_SHARE, self.COMMON_DOCUMENTS)
        held = [t for t in terms if frequency.get(t, 0)]
        rare = [t for t in held if frequency[t] <= limit]
        return rare or held or list(terms)

    def matches(self, terms):
        total, frequency = self._statistics(terms)
        found = " | ".join(self._retrieval(terms, total, frequency))
        return (
            f"SELECT id FROM {DOCUMENTS} WHERE vector @@ to_tsquery('simple', %s)",  # noqa: S608
            [found],
        )

    def hits(self, terms, *, where, params, newest, limit, offset, now):
        total, frequency = self._statistics(terms)
        found = " | ".join(self._retrieval(terms, total, frequency))
        age = "GREATEST(0.0, EXTRACT(EPOCH FROM (%s - d.updated_at)) / 86400.0)"
        # BM25's rarity (idf) per term; ts_rank per term gives its weighted, saturating count.
        relevance = " + ".join(
            f"{_idf(total, frequency.get(t, 0)):.4f} * "
            f"ts_rank('{self.WEIGHTS}', d.vector, to_tsquery('simple', %s), 1)"
            for t in terms
        )
        window = max(self.WINDOW, 2 * (offset + limit))
        order = "d.created_at DESC, d.id DESC" if newest else "score DESC, d.id DESC"
        prerank = f"ts_rank('{self.WEIGHTS}', d.vector, q, 1) DESC"
        if newest:
            prerank = "d.created_at DESC"
        sql = (
            f"SELECT d.id, ({relevance}) * {boost_sql(age)} AS score "  # noqa: S608
            f"FROM (SELECT d.id FROM {DOCUMENTS} d, to_tsquery('simple', %s) q "
            f"WHERE d.vector @@ q AND {where} ORDER BY {prerank} LIMIT %s) AS c "
            f"JOIN {DOCUMENTS} d ON d.id = c.id ORDER BY {order} LIMIT %s OFFSET %s"
        )
        return sql, [*terms, now, found, *params, window, limit, offset]

    def suggest(self, words, *, audiences, limit):
        *complete, last = words
        expression = " & ".join([*complete, f"{last}:*"])
        marks = ", ".join(["%s"] * len(audiences))
        sql = (
            f"SELECT d.title, d.url, d.kind FROM {DOCUMENTS} d "  # noqa: S608
            f"WHERE d.title_vector @@ to_tsquery('simple', %s) AND d.audience IN ({marks}) "
            f"ORDER BY (CASE WHEN d.solved THEN 0 ELSE 1 END), "
            f"ts_rank(d.title_vector, to_tsquery('simple', %s)) DESC, d.id DESC LIMIT %s"
        )
        return sql, [expression, *audiences, expression, limit]


def _idf(total: int, documents: int) -> float:
    return math.log(1 + (total - documents + 0.5) / (documents + 0.5)) if total else 1.0


@cache
def dialect_for(vendor: str) -> Dialect:
    dialects = {"sqlite": SQLite, "postgresql": PostgreSQL}
    if vendor not in dialects:
        raise RuntimeError(f"database search needs SQLite or PostgreSQL, not {vendor}")
    return dialects[vendor]()
