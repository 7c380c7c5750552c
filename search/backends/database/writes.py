"""Writing documents into the database backend's tables, and keeping the vocabulary exact.

A row is replaced only by a newer version (search.backends.base). The full-text structures
follow the rows by themselves (triggers on SQLite, a generated column on PostgreSQL); the
facet rows and the vocabulary's document counts are written here, in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from search.documents import SEARCHED_FIELDS, SearchDocument
from search.models import DocumentFacet, IndexedDocument, Term

TERM_COLUMNS = tuple(f"{name}_terms" for name in SEARCHED_FIELDS)
DOCUMENT_COUNT = ""  # the Term row that counts the documents
MAX_TERM_LENGTH = 64  # Term.term


def _row_terms(values: Iterable[str]) -> set[str]:
    return {t for value in values for t in value.split() if len(t) <= MAX_TERM_LENGTH}


def _row(document: SearchDocument, version: int) -> dict:
    terms = document.terms()
    return {
        "kind": document.kind,
        "audience": document.audience,
        "title": document.title[:255],
        "url": document.url[:500],
        "body": document.body,
        "answer": document.answer,
        "replies": document.replies,
        **{f"{name}_terms": value for name, value in terms.items()},
        "title_words": document.title_words(),
        "areas": list(document.areas),
        "tags": list(document.tags),
        "host_library": document.host_library[:255],
        "author": document.author[:150],
        "solved": document.solved,
        "helpful": document.helpful,
        "created_at": document.created_at,
        "updated_at": document.updated_at,
        "year": document.year,
        "version": version,
        "digest": document.digest(),
    }


@transaction.atomic
def index(documents: Sequence[tuple[SearchDocument, int]]) -> None:
    """Insert or replace documents, each only if its version is newer than the stored one."""
    newest: dict[str, tuple[SearchDocument, int]] = {}
    for document, version in documents:
        if document.id not in newest or version >= newest[document.id][1]:
            newest[document.id] = (document, version)
    if not newest:
        return
    stored = {
        row["key"]: row
        for row in IndexedDocument.objects.select_for_update()
        .filter(key__in=list(newest))
        .values("id", "key", "version", *TERM_COLUMNS)
    }
    counts: Counter[str] = Counter()
    created, changed, facet_rows = [], [], []
    for key, (document, version) in newest.items():
        old = stored.get(key)
        if old is not None and old["version"] > version:
            continue  # a newer update is already in
        values = _row(document, version)
        counts.update(_row_terms(values[c] for c in TERM_COLUMNS))
        if old is None:
            created.append(IndexedDocument(key=key, **values))
            counts[DOCUMENT_COUNT] += 1
        else:
            counts.subtract(_row_terms(old[c] for c in TERM_COLUMNS))
            changed.append(IndexedDocument(id=old["id"], key=key, **values))
    IndexedDocument.objects.bulk_create(created)
    if changed:
        fields = [f for f in _row(*next(iter(newest.values()))) if f != "key"]
        IndexedDocument.objects.bulk_update(changed, fields, batch_size=200)
    if created and connection.vendor != "postgresql":
        # SQLite's bulk insert does not return the new ids.
        ids = dict(
            IndexedDocument.objects.filter(key__in=[d.key for d in created]).values_list(
                "key", "id"
            )
        )
        for row in created:
            row.id = ids[row.key]
    rows = created + changed
    DocumentFacet.objects.filter(document_id__in=[r.id for r in changed]).delete()
    for row in rows:
        facet_rows += [DocumentFacet(document_id=row.id, facet="areas", value=a) for a in row.areas]
        facet_rows += [DocumentFacet(document_id=row.id, facet="tags", value=t) for t in row.tags]
    DocumentFacet.objects.bulk_create(facet_rows, ignore_conflicts=True)
    _count_terms(counts)


@transaction.atomic
def delete(ids: Sequence[tuple[str, int]]) -> None:
    """Remove documents, unless a newer version was stored meanwhile."""
    latest: dict[str, int] = {}
    for key, version in ids:
        latest[key] = max(version, latest.get(key, version))
    rows = list(
        IndexedDocument.objects.select_for_update()
        .filter(key__in=list(latest))
        .values("id", "key", "version", *TERM_COLUMNS)
    )
    gone = [row for row in rows if row["version"] <= latest[row["key"]]]
    if not gone:
        return
    counts: Counter[str] = Counter()
    for row in gone:
        counts.subtract(_row_terms(row[c] for c in TERM_COLUMNS))
    counts[DOCUMENT_COUNT] -= len(gone)
    IndexedDocument.objects.filter(id__in=[row["id"] for row in gone]).delete()
    _count_terms(counts)


UPSERT_CHUNK = 500


def _count_terms(counts: Counter[str]) -> None:
    """Apply document-count changes to the vocabulary in a few statements, in one order (two
    writers never wait for each other the other way round), dropping terms no document holds."""
    changes = sorted((term, n) for term, n in counts.items() if n)
    table = Term._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changes), UPSERT_CHUNK):
            chunk = changes[start : start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            add = f"documents = {table}.documents + excluded.documents"
            cursor.execute(
                f"INSERT INTO {table} (term, documents) VALUES {values} "  # noqa: S608 - our table
                f"ON CONFLICT (term) DO UPDATE SET {add}",
                [item for pair in chunk for item in pair],
            )
        if any(n < 0 for _term, n in changes):
            cursor.execute(
                f"DELETE FROM {table} WHERE documents <= 0 AND term <> %s",  # noqa: S608
                [DOCUMENT_COUNT],
            )


def clear() -> None:
    with transaction.atomic():
        IndexedDocument.objects.all().delete()
        Term.objects.all().delete()
