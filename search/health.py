"""Search's part of /healthz: the backend that answers, and the indexing backlog. Search is
never required: when Elasticsearch is away, the database answers (DESIGN.md, failure model);
when the worker is away, the backlog's age grows and says so."""

from __future__ import annotations

from collections.abc import Callable

from config.health import CheckResult, run_check
from search import backends, indexing
from search.backends.base import BackendError

# Older than this, a waiting index update means the worker is not draining.
BACKLOG_WARNING_SECONDS = 300


def _backend(backend) -> Callable[[], dict]:
    def probe() -> dict:
        try:
            return backend.ping()
        except BackendError as error:
            raise ConnectionError(str(error)) from error

    return probe


def _backlog() -> dict:
    backlog = indexing.backlog()
    details = {
        "waiting": backlog.waiting,
        "oldest_seconds": round(backlog.oldest_seconds, 1),
        "failing": backlog.failing,
    }
    if backlog.oldest_seconds > BACKLOG_WARNING_SECONDS:
        raise RuntimeError(
            f"{backlog.waiting} index updates wait, the oldest for {backlog.oldest_seconds:.0f}s: "
            "is `manage.py search_worker` running?"
        )
    return details


def checks() -> list[CheckResult]:
    answering = backends.answering()
    results = [
        run_check("search", required=False, backend=answering.name, probe=_backend(answering))
    ]
    if answering is not backends.database_backend():
        database = backends.database_backend()
        results.append(
            run_check(
                "search_fallback", required=False, backend="database", probe=_backend(database)
            )
        )
    results.append(run_check("search_backlog", required=False, backend="outbox", probe=_backlog))
    return results
