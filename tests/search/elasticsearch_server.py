"""A search server for the Elasticsearch backend's tests, reached by the real client over HTTP.

By default osmem-server (an in-memory OpenSearch-compatible server in one binary, from PyPI)
on a free loopback port, started once per run. When ELASTICSEARCH_URL is set, the real
Elasticsearch it names instead. Either way each test gets an index prefix of its own, whose
indexes are deleted after it.

osmem's pytest plugin is loaded by its entry point but only declares fixtures (osmem_server,
osmem_clone) and ini options; nothing starts unless a test asks for them, and no test here does.
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
# What the client sends: application/vnd.elasticsearch+json; compatible-with=9 (and
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


@dataclass
class SearchServer:
    url: str
    client: Elasticsearch
    real: bool  # a real Elasticsearch (ELASTICSEARCH_URL), not osmem


@pytest.fixture(scope="session")
def search_server() -> Iterator[SearchServer]:
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        client = Elasticsearch(url, request_timeout=TIMEOUT_SECONDS)
        yield SearchServer(url=url, client=client, real=True)
        client.close()
        return
    try:
        # --parent-pid (always passed): the server exits with this test run, however it ends.
        server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    except (OsmemError, OSError) as error:
        pytest.skip(
            f"osmem-server does not start on this platform ({error}); set ELASTICSEARCH_URL"
        )
    client = Elasticsearch(
        server.url, node_class=PlainMediaTypeNode, request_timeout=TIMEOUT_SECONDS
    )
    try:
        yield SearchServer(url=server.url, client=client, real=False)
    finally:
        client.close()
        server.close()
        server.process.stdout.close()  # osmem's close() leaves the pipe it read the address from


@pytest.fixture
def index_prefix(search_server: SearchServer) -> Iterator[str]:
    """An index prefix of the test's own; its indexes are deleted after the test."""
    prefix = f"serambi-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    drop_prefix(search_server.client, prefix)


@pytest.fixture
def elasticsearch_backend(search_server: SearchServer, index_prefix: str) -> ElasticsearchBackend:
    """A backend with an index of its own, aliases included."""
    backend = ElasticsearchBackend(
        search_server.url, index_prefix=index_prefix, client=search_server.client
    )
    backend.ensure_index()
    return backend


def drop_prefix(client: Elasticsearch, prefix: str) -> None:
    # By name: a real Elasticsearch refuses to delete indexes by wildcard
    # (action.destructive_requires_name).
    names = list(client.indices.get_alias(index=f"{prefix}-*"))
    if names:
        client.indices.delete(index=",".join(names))
