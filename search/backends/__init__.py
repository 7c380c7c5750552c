"""Which backends there are: the database's always (it answers when no Elasticsearch is
configured, and when Elasticsearch is away), Elasticsearch's when ELASTICSEARCH_URL is set."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from search.backends.base import SearchBackend


@cache
def database_backend() -> SearchBackend:
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


_elasticsearch: dict[tuple[str, str], SearchBackend] = {}


def elasticsearch_backend() -> SearchBackend | None:
    if not settings.ELASTICSEARCH_URL:
        return None
    key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX)
    if key not in _elasticsearch:
        from search.backends.elasticsearch import ElasticsearchBackend

        _elasticsearch[key] = ElasticsearchBackend(key[0], index_prefix=key[1])
    return _elasticsearch[key]


def use_elasticsearch(backend: SearchBackend, *, url: str, prefix: str) -> None:
    """Serve ELASTICSEARCH_URL and ELASTICSEARCH_INDEX_PREFIX with a backend built elsewhere
    (tests and bench/, whose client talks to the in-memory test server)."""
    _elasticsearch[(url, prefix)] = backend


def answering() -> SearchBackend:
    """The backend searches go to first."""
    return elasticsearch_backend() or database_backend()


def indexed() -> list[SearchBackend]:
    """Every backend the index is kept in."""
    return [b for b in (database_backend(), elasticsearch_backend()) if b is not None]
