"""A full reindex without downtime, and finding drift between the database and the indexes.

Reindex: every indexable document is read from the database (the apps' adapters) and written
with the version of the newest outbox row at the start, so that whatever changes while the
build runs (newer rows, drained as usual) is never overwritten by it. Elasticsearch gets a new
versioned index, built beside the one that answers; what changed during the build is replayed
into it, the read and write aliases move to it in one step, what changed meanwhile is replayed
once more, and the old index goes. The database backend is rebuilt in place: every row is
replaced by its new version and rows of documents that are gone are removed, while searches go
on reading it.

Check: the documents the database would index now, by digest, against what each backend holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Max

from search import backends, registry
from search.documents import SearchDocument
from search.indexing import read_documents
from search.models import OutboxEntry

BATCH_SIZE = 500
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def high_water_mark() -> int:
    return OutboxEntry.objects.aggregate(newest=Max("id"))["newest"] or 0


def all_documents(batch_size: int = BATCH_SIZE) -> Iterator[list[SearchDocument]]:
    for adapter in registry.adapters():
        yield from adapter.batches(batch_size)


def expected_total() -> int:
    return sum(adapter.count() for adapter in registry.adapters())


@dataclass
class ReindexResult:
    documents: int = 0
    removed: int = 0
    replayed: int = 0
    backends: list[str] = field(default_factory=list)


def reindex(*, progress: Progress = _quiet, batch_size: int = BATCH_SIZE) -> ReindexResult:
    result = ReindexResult()
    database = backends.database_backend()
    result.documents, result.removed = _rebuild_database(database, progress, batch_size)
    result.backends.append(database.name)
    elasticsearch = backends.elasticsearch_backend()
    if elasticsearch is not None:
        result.replayed = _rebuild_elasticsearch(elasticsearch, progress, batch_size)
        result.backends.append(elasticsearch.name)
    return result


def _rebuild_database(backend, progress: Progress, batch_size: int) -> tuple[int, int]:
    version = high_water_mark()
    total, done, seen = expected_total(), 0, set()
    progress("database", 0, total)
    for batch in all_documents(batch_size):
        backend.index([(document, version) for document in batch])
        seen.update(document.id for document in batch)
        done += len(batch)
        progress("database", done, total)
    gone = [(key, version) for key, _digest in backend.stored() if key not in seen]
    backend.delete(gone)
    return done, len(gone)


def _rebuild_elasticsearch(backend, progress: Progress, batch_size: int) -> int:
    backend.ensure_index()
    version = high_water_mark()
    name = backend.create_index()
    total, done = expected_total(), 0
    progress("elasticsearch", 0, total)
    for batch in all_documents(batch_size):
        backend.index_into(name, [(document, version) for document in batch])
        done += len(batch)
        progress("elasticsearch", done, total)
    replayed, version = _replay(backend, name, since=version)
    backend.switch_aliases(name)
    more, _version = _replay(backend, name, since=version)
    backend.drop_indexes(except_name=name)
    return replayed + more


def _replay(backend, name: str, *, since: int) -> tuple[int, int]:
    """Write into `name` what changed after outbox row `since` (drained or not)."""
    changed = OutboxEntry.objects.filter(id__gt=since).values_list("document_id", "id")
    versions: dict[str, int] = {}
    for document_id, entry in changed:
        versions[document_id] = max(entry, versions.get(document_id, 0))
    if not versions:
        return 0, since
    present, absent = read_documents(versions)
    backend.index_into(name, [(d, versions[d.id]) for d in present])
    backend.delete_from(name, [(i, versions[i]) for i in absent])
    return len(versions), max(versions.values())


@dataclass
class Drift:
    backend: str
    missing: list[str] = field(default_factory=list)  # indexable, not in the index
    stale: list[str] = field(default_factory=list)  # in the index, but not as it is now
    extra: list[str] = field(default_factory=list)  # in the index, not indexable any more

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)

    def ids(self) -> list[str]:
        return [*self.missing, *self.stale, *self.extra]


def check(*, prefix: str | None = None, progress: Progress = _quiet) -> list[Drift]:
    """How each backend differs from what the database would index now."""
    expected: dict[str, str] = {}
    total = expected_total()
    for batch in all_documents():
        expected.update((d.id, d.digest()) for d in batch if _within(d.id, prefix))
        progress("database", len(expected), total)
    drifts = []
    for backend in backends.indexed():
        drift = Drift(backend=backend.name)
        stored = {key: digest for key, digest in backend.stored() if _within(key, prefix)}
        drift.missing = sorted(set(expected) - set(stored))
        drift.extra = sorted(set(stored) - set(expected))
        drift.stale = sorted(k for k in set(expected) & set(stored) if expected[k] != stored[k])
        drifts.append(drift)
    return drifts


def _within(document_id: str, prefix: str | None) -> bool:
    return prefix is None or document_id.startswith(f"{prefix}:")
