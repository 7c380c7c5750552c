"""Keeping the index true: the outbox and the worker that drains it.

A change records which documents it made stale (record()), as outbox rows written in the same
transaction as the change. After commit the outbox is drained: at once in the embedded default,
by `manage.py search_worker` in production. Draining takes the due rows in bulk, once per
document however often it changed, re-reads each document from the database through its app's
adapter, and writes it to every backend with the newest row's id as its version (so an older
update, arriving late, never overwrites a newer one). A backend that fails leaves the rows due
again later, with backoff: nothing is lost while a search server or the worker is down.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from search import backends, registry
from search.backends.base import BackendError
from search.documents import SearchDocument
from search.models import OutboxEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 300
KEEP_PROCESSED = timedelta(days=1)  # a reindex replays what changed while it was building


def record(*document_ids: str) -> None:
    """Note that these documents changed, inside the caller's transaction."""
    ids = list(dict.fromkeys(i for i in document_ids if i))
    if not ids:
        return
    OutboxEntry.objects.bulk_create([OutboxEntry(document_id=i) for i in ids])
    if settings.SEARCH_INDEXING == "immediate":
        transaction.on_commit(drain_quietly)


def drain_quietly() -> None:
    """drain(), for after a commit: a failure leaves the rows for the next drain, and says so."""
    try:
        drain()
    except Exception:  # the change itself is committed: never turn it into an error page
        logger.exception("search: draining the outbox failed; the rows stay due")


@dataclass
class DrainResult:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __iadd__(self, other: DrainResult) -> DrainResult:
        self.indexed += other.indexed
        self.deleted += other.deleted
        self.failed += other.failed
        self.errors += other.errors
        return self


def drain(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> DrainResult:
    """Process every due outbox row (or `max_batches` batches of them)."""
    result = DrainResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        step = _drain_batch(batch_size)
        if step is None:
            break
        result += step
        batches += 1
    return result


def _due(batch_size: int) -> list[OutboxEntry]:
    due = OutboxEntry.objects.filter(processed_at=None, available_at__lte=timezone.now())
    if connection.features.has_select_for_update_skip_locked:
        # Two workers take different rows; SQLite writes one transaction at a time anyway.
        due = due.select_for_update(skip_locked=True)
    return list(due.order_by("id")[:batch_size])


@transaction.atomic
def _drain_batch(batch_size: int) -> DrainResult | None:
    entries = _due(batch_size)
    if not entries:
        return None
    versions: dict[str, int] = {}
    for entry in entries:
        versions[entry.document_id] = max(entry.id, versions.get(entry.document_id, 0))
    present, absent = read_documents(versions)
    result = DrainResult()
    failures = []
    for backend in backends.indexed():
        try:
            backend.index([(document, versions[document.id]) for document in present])
            backend.delete([(i, versions[i]) for i in absent])
        except BackendError as error:
            failures.append(f"{backend.name}: {error}")
    now = timezone.now()
    if failures:
        _retry_later(entries, "; ".join(failures), now)
        result.failed, result.errors = len(versions), failures
    else:
        OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(processed_at=now)
        result.indexed, result.deleted = len(present), len(absent)
    return result


def read_documents(versions: Iterable[str]) -> tuple[list[SearchDocument], list[str]]:
    """The documents as the database has them now, and the ids no longer indexable."""
    wanted: dict[object, list[int]] = defaultdict(list)
    absent: list[str] = []
    for document_id in versions:
        found = registry.split_id(document_id)
        if found is None:
            absent.append(document_id)  # an adapter that is gone: its documents go too
            continue
        adapter, pk = found
        wanted[adapter].append(pk)
    present: list[SearchDocument] = []
    for adapter, pks in wanted.items():
        documents = adapter.documents(pks)
        present += [documents[pk] for pk in pks if pk in documents]
        absent += [registry.document_id(adapter.prefix, pk) for pk in pks if pk not in documents]
    return present, absent


def _retry_later(entries: list[OutboxEntry], error: str, now) -> None:
    for entry in entries:
        entry.attempts += 1
        delay = min(MAX_BACKOFF_SECONDS, 2 ** min(entry.attempts, 10))
        entry.available_at = now + timedelta(seconds=delay)
        entry.last_error = error[:300]
    OutboxEntry.objects.bulk_update(entries, ["attempts", "available_at", "last_error"])
    logger.warning(
        "search: %d documents not indexed (%s); retrying in up to %d s",
        len(entries),
        error,
        MAX_BACKOFF_SECONDS,
    )


@dataclass(frozen=True)
class Backlog:
    waiting: int
    oldest_seconds: float
    failing: int


def backlog() -> Backlog:
    """What /healthz reports: how many documents wait, since when, how many failed before."""
    stats = OutboxEntry.objects.filter(processed_at=None).aggregate(
        waiting=Count("id"),
        oldest=Min("created_at"),
        failing=Count("id", filter=Q(attempts__gt=0)),
    )
    oldest = stats["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return Backlog(waiting=stats["waiting"], oldest_seconds=age, failing=stats["failing"])


def prune(*, older_than: timedelta = KEEP_PROCESSED) -> int:
    """Forget processed rows once no reindex can need them."""
    deleted, _ = OutboxEntry.objects.filter(processed_at__lt=timezone.now() - older_than).delete()
    return deleted
