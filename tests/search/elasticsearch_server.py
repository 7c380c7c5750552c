"""A search server for the tests of the Elasticsearch backend, reached by the real client over
real HTTP.

By default osmem-server (an in-memory OpenSearch-compatible server in one binary, from PyPI)
on a free loopback port, started once per run when a test first asks for it. When
ELASTICSEARCH_URL is set, the real Elasticsearch it names instead. Either way each test gets an
index prefix of its own, whose indexes are deleted after it.

Fixtures: `elasticsearch_url` (the server's address, the test's prefix and a client that can
talk to the server) and `elasticsearch_backend` (an ElasticsearchBackend on them, its index
created). They need nothing else, so a conftest may import either alone.

osmem's own pytest plugin is loaded by its entry point, but it only declares fixtures
(osmem_server, osmem_clone) and ini options: nothing starts unless a test asks for those, and
none here does.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elasticsearch import Elasticsearch
from osmem_server import OsmemError, OsmemServer

from search.backends.elasticsearch import ElasticsearchBackend

TIMEOUT_SECONDS = 30.0
# What the 9.x client sends: application/vnd.elasticsearch+json; compatible-with=9 (and
# +x-ndjson for _bulk).
COMPATIBLE_MEDIA_TYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w-]+)(\s*;\s*compatible-with=\d+)?"
)


class PlainMediaTypeNode(Urllib3HttpNode):
    """The client's HTTP node, asking for plain application/json: osmem answers Elasticsearch's
    compatibility media types with 406 Not Acceptable. Test code only; a real Elasticsearch 9
    gets the client as it is."""

    def perform_request(self, method, target, body=None, headers=None, **options):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = COMPATIBLE_MEDIA_TYPE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **options)


@dataclass(frozen=True)
class SearchServer:
    url: str
    client: Elasticsearch  # for osmem, one built on PlainMediaTypeNode


@dataclass(frozen=True)
class TestIndex:
    """Where one test's indexes live."""

    __test__ = False  # not a test class, whatever its name

    url: str
    prefix: str  # ElasticsearchBackend(url, index_prefix=prefix, client=client)
    client: Elasticsearch


_SERVER = pytest.StashKey[SearchServer | str]()


def shared_server(config: pytest.Config) -> SearchServer:
    """The run's one server, started on first use and stopped when the run ends."""
    server = config.stash.get(_SERVER, None)
    if server is None:
        server = config.stash[_SERVER] = _start(config)
    if isinstance(server, str):  # it could not start: every test that needs it says why
        pytest.skip(server)
    return server


def _start(config: pytest.Config) -> SearchServer | str:
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        client = Elasticsearch(url, request_timeout=TIMEOUT_SECONDS)
        config.add_cleanup(client.close)
        return SearchServer(url=url, client=client)
    try:
        # --parent-pid (always passed): the server exits with this test run, however it ends.
        osmem = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    except (OsmemError, OSError) as error:
        return f"osmem-server does not start on this platform ({error}); set ELASTICSEARCH_URL"
    client = Elasticsearch(
        osmem.url, node_class=PlainMediaTypeNode, request_timeout=TIMEOUT_SECONDS
    )

    def stop() -> None:
        client.close()
        osmem.close()
        osmem.process.stdout.close()  # osmem's close() leaves the pipe it read the address from

    config.add_cleanup(stop)
    return SearchServer(url=osmem.url, client=client)


@pytest.fixture
def elasticsearch_url(request: pytest.FixtureRequest) -> Iterator[TestIndex]:
    """The server's address, an index prefix of the test's own, and a client for the server;
    the prefix's indexes are deleted after the test."""
    server = shared_server(request.config)
    prefix = f"serambi-test-{uuid.uuid4().hex[:12]}"
    yield TestIndex(url=server.url, prefix=prefix, client=server.client)
    drop_prefix(server.client, prefix)


@pytest.fixture
def elasticsearch_backend(elasticsearch_url: TestIndex) -> ElasticsearchBackend:
    """A backend with an index of its own, aliases included."""
    backend = backend_for(elasticsearch_url)
    backend.ensure_index()
    return backend


def backend_for(where: TestIndex, **options) -> ElasticsearchBackend:
    return ElasticsearchBackend(
        where.url, index_prefix=where.prefix, client=where.client, **options
    )


def drop_prefix(client: Elasticsearch, prefix: str) -> None:
    # By name: a real Elasticsearch refuses to delete indexes by wildcard
    # (action.destructive_requires_name).
    names = list(client.indices.get_alias(index=f"{prefix}-*"))
    if names:
        client.indices.delete(index=",".join(names))


def client_for(url: str) -> Elasticsearch:
    """A client for another address of the same server (a relay in front of it), speaking as
    the harness's own client does."""
    if os.environ.get("ELASTICSEARCH_URL"):
        return Elasticsearch(url, request_timeout=TIMEOUT_SECONDS)
    return Elasticsearch(url, node_class=PlainMediaTypeNode, request_timeout=TIMEOUT_SECONDS)
