"""Search fixtures: documents to index, and the backend under test.

`search_backend` is each backend in turn: the database's (SQLite on CI's first pass, PostgreSQL
on the second) and Elasticsearch's (osmem-server over real HTTP, or the real server named by
ELASTICSEARCH_URL). Documents always go into the database backend too, as in production, where
its index is kept for the fallback and its vocabulary serves every backend's corrections.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from search import backends, vocabulary
from search.documents import Audience, Kind, SearchDocument
from tests.search.elasticsearch_server import backend_for, elasticsearch_url  # noqa: F401

_numbers = itertools.count(1)
NOW = timezone.now()


def document(title: str, *, kind: str = Kind.TOPIC, **fields) -> SearchDocument:
    """A search document as an adapter would build it; `days_ago` sets both dates."""
    number = next(_numbers)
    age = datetime.timedelta(days=fields.pop("days_ago", 30))
    prefix = "topic" if kind == Kind.TOPIC else "page"
    values = {
        "id": f"{prefix}:{number}",
        "kind": kind,
        "title": title,
        "url": f"/{prefix}/{number}/",
        "created_at": NOW - age,
        "updated_at": NOW - age,
        "areas": ("layanan-pemustaka",),
        "audience": Audience.PUBLIC,
    }
    values.update(fields)
    return SearchDocument(**values)


class Index:
    """What the tests put into the indexes, through the backends' own write path."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.version = 0

    def put(self, *documents: SearchDocument) -> list[SearchDocument]:
        self.version += 1
        for backend in {backends.database_backend(), self.backend}:
            backend.index([(d, self.version) for d in documents])
            getattr(backend, "refresh", lambda: None)()
        vocabulary.forget_speller()
        return list(documents)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, db, settings):
    """Each backend in turn, configured as the site would be, and empty."""
    settings.ELASTICSEARCH_URL = ""
    if request.param == "elasticsearch":
        where = request.getfixturevalue("elasticsearch_url")
        settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX = where.url, where.prefix
        backends.use_elasticsearch(backend_for(where), url=where.url, prefix=where.prefix)
    backend = backends.answering()
    assert backend.name == request.param
    getattr(backend, "ensure_index", lambda: None)()
    vocabulary.forget_speller()
    yield backend
    getattr(backend, "clear", lambda: None)()


@pytest.fixture
def index(search_backend) -> Index:
    return Index(search_backend)
