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


@cache
def _elasticsearch(url: str, prefix: str) -> SearchBackend:
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, index_prefix=prefix)


def elasticsearch_backend() -> SearchBackend | None:
    if not settings.ELASTICSEARCH_URL:
        return None
    return _elasticsearch(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX)


def answering() -> SearchBackend:
    """The backend searches go to first."""
    return elasticsearch_backend() or database_backend()


def indexed() -> list[SearchBackend]:
    """Every backend the index is kept in."""
    return [b for b in (database_backend(), elasticsearch_backend()) if b is not None]
