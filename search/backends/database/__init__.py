"""The database backend: search answered by SQLite FTS5 or PostgreSQL full-text, over the
documents table of search.models. It is the embedded default, the backend of a PostgreSQL site
without Elasticsearch, and what search falls back to when Elasticsearch is away: its index is
kept up to date whichever backend answers (search.indexing).

A search is three queries whatever the corpus: the page of hits with their scores (a dialect's
full-text query, boosted by base.boost in SQL), the documents themselves, and the total with
every facet's counts (one statement over the matches, counted once).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from django.db import DatabaseError, connection
from django.utils import timezone

from search.backends.base import (
    TAG_FACET_SIZE,
    BackendError,
    Filters,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    Sort,
    Suggestion,
)
from search.backends.database import writes
from search.backends.database.dialects import Dialect, dialect_for
from search.documents import SearchDocument
from search.models import DocumentFacet, IndexedDocument

DOCUMENTS = IndexedDocument._meta.db_table
FACETS = DocumentFacet._meta.db_table


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def dialect(self) -> Dialect:
        return dialect_for(connection.vendor)

    # --- Writes -------------------------------------------------------------------------------

    def index(self, documents: Sequence[tuple[SearchDocument, int]]) -> None:
        writes.index(documents)

    def delete(self, ids: Sequence[tuple[str, int]]) -> None:
        writes.delete(ids)

    def clear(self) -> None:
        writes.clear()

    # --- Reads --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        try:
            scored = self._hits(request)
            documents = IndexedDocument.objects.in_bulk([pk for pk, _score in scored])
            hits = [Hit(as_document(documents[pk]), score) for pk, score in scored]
            total, facets = self._counts(request)
        except DatabaseError as error:
            raise BackendError(f"the database's full-text search failed: {error}") from error
        return SearchResponse(hits=hits, total=total, facets=facets)

    def _hits(self, request: SearchRequest) -> list[tuple[int, float]]:
        where, params = base_where(request, "d")
        more, more_params = filters_where(request.filters, "d")
        sql, sql_params = self.dialect.hits(
            request.terms,
            where=" AND ".join([where, *more]),
            params=[*params, *more_params],
            newest=request.sort == Sort.NEWEST,
            limit=request.limit,
            offset=request.offset,
            now=timezone.now(),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            return [(pk, float(score or 0)) for pk, score in cursor.fetchall()]

    def _counts(self, request: SearchRequest) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The total and the facets, over the matches counted once (a materialised CTE): each
        facet counted with the other facets' filters on, but not its own."""
        matches, match_params = self.dialect.matches(request.terms)
        where, params = base_where(request, "d")
        parts, part_params = [], []

        def part(select: str, facet: str | None, *, join: str = "", group: str = "") -> None:
            conditions, values = filters_where(request.filters, "m", leave_out=facet)
            clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            # Only our own column names and facet names go into the string; values are params.
            parts.append(f"SELECT * FROM (SELECT {select} FROM m{join}{clause}{group}) AS p")  # noqa: S608
            part_params.extend(values)

        part("'total', '', COUNT(*)", None)
        if request.facets:
            part("'kind', m.kind, COUNT(*)", "kind", group=" GROUP BY m.kind")
            solved = "CASE WHEN m.solved THEN 'true' ELSE 'false' END"
            part(f"'solved', {solved}, COUNT(*)", "solved", group=f" GROUP BY {solved}")
            part("'year', CAST(m.year AS TEXT), COUNT(*)", "year", group=" GROUP BY m.year")
            for facet, size in (("areas", 100), ("tags", TAG_FACET_SIZE)):
                join = f" JOIN {FACETS} f ON f.document_id = m.id AND f.facet = '{facet}'"
                part(
                    f"'{facet}', f.value, COUNT(*)",
                    facet,
                    join=join,
                    group=f" GROUP BY f.value ORDER BY COUNT(*) DESC, f.value LIMIT {size}",
                )
        sql = (
            f"WITH m AS MATERIALIZED (SELECT d.id, d.kind, d.solved, d.year "  # noqa: S608
            f"FROM ({matches}) AS x JOIN {DOCUMENTS} d ON d.id = x.id WHERE {where}) "
            + " UNION ALL ".join(parts)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, *part_params])
            rows = cursor.fetchall()
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {}
        for name, value, count in rows:
            if name == "total":
                total = count
            elif count:
                facets.setdefault(name, []).append((str(value), count))
        for name, values in facets.items():
            if name == "year":
                values.sort(key=lambda item: item[0], reverse=True)
            else:
                values.sort(key=lambda item: (-item[1], item[0]))
        return total, facets

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int = 8):
        if not words:
            return []
        sql, params = self.dialect.suggest(words, audiences=audiences, limit=limit)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        except DatabaseError as error:
            raise BackendError(f"the database's suggestions failed: {error}") from error
        return [Suggestion(title=title, url=url, kind=kind) for title, url, kind in rows]

    # --- Maintenance --------------------------------------------------------------------------

    def stored(self) -> Iterator[tuple[str, str]]:
        yield from (
            IndexedDocument.objects.order_by("id")
            .values_list("key", "digest")
            .iterator(chunk_size=2000)
        )

    def count(self) -> int:
        return IndexedDocument.objects.count()

    def ping(self) -> dict:
        try:
            return {"engine": self.dialect.engine, "documents": self.count()}
        except DatabaseError as error:
            raise BackendError(f"the database (DATABASE_URL) does not answer: {error}") from error


def base_where(request: SearchRequest, alias: str) -> tuple[str, list]:
    """What every search is limited to: the audiences that may see it, minus excluded ids."""
    marks = ", ".join(["%s"] * len(request.audiences))
    sql, params = f"{alias}.audience IN ({marks})", list(request.audiences)
    if request.exclude:
        sql += f" AND {alias}.key NOT IN ({', '.join(['%s'] * len(request.exclude))})"
        params += list(request.exclude)
    return sql, params


def filters_where(
    filters: Filters, alias: str, *, leave_out: str | None = None
) -> tuple[list[str], list]:
    conditions: list[str] = []
    params: list = []

    def within(column: str, values: Sequence) -> None:
        conditions.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)

    if filters.kinds and leave_out != "kind":
        within("kind", filters.kinds)
    if filters.solved is not None and leave_out != "solved":
        conditions.append(f"{alias}.solved = %s")
        params.append(filters.solved)
    if filters.years and leave_out != "year":
        within("year", filters.years)
    for facet, values in (("areas", filters.areas), ("tags", filters.tags)):
        if values and leave_out != facet:
            marks = ", ".join(["%s"] * len(values))
            conditions.append(
                f"EXISTS (SELECT 1 FROM {FACETS} ff WHERE ff.document_id = {alias}.id "  # noqa: S608
                f"AND ff.facet = %s AND ff.value IN ({marks}))"
            )
            params.extend([facet, *values])
    return conditions, params


def as_document(row: IndexedDocument) -> SearchDocument:
    def listed(value) -> tuple[str, ...]:
        return tuple(json.loads(value) if isinstance(value, str) else value)

    return SearchDocument(
        id=row.key,
        kind=row.kind,
        title=row.title,
        url=row.url,
        created_at=row.created_at,
        updated_at=row.updated_at,
        body=row.body,
        answer=row.answer,
        replies=row.replies,
        areas=listed(row.areas),
        tags=listed(row.tags),
        host_library=row.host_library,
        author=row.author,
        solved=row.solved,
        helpful=row.helpful,
        audience=row.audience,
    )
