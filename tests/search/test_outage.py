"""Elasticsearch goes away in the middle of the day (DESIGN.md, failure model): members keep
posting, search answers from the database and says so, nothing is lost; when it comes back the
backlog drains and the indexes agree with the database again."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from search import backends, indexing, service
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import OutboxEntry
from search.reindexing import check
from tests.forum.factories import ReplyFactory, TopicFactory
from tests.search.elasticsearch_server import client_for
from tests.tcp_proxy import TcpRelay

pytestmark = pytest.mark.django_db


@pytest.fixture
def relayed_elasticsearch(elasticsearch_url, settings):
    """Elasticsearch as the site sees it, through a relay the test can take down."""
    where = urlsplit(elasticsearch_url.url)
    if where.scheme != "http":
        pytest.skip("the relay carries plain HTTP; this ELASTICSEARCH_URL is not")
    relay = TcpRelay(where.hostname, where.port)
    relay.up()
    url = f"http://{relay.address}"
    backend = ElasticsearchBackend(
        url, index_prefix=elasticsearch_url.prefix, client=client_for(url)
    )
    settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX = url, elasticsearch_url.prefix
    backends.use_elasticsearch(backend, url=url, prefix=elasticsearch_url.prefix)
    backend.ensure_index()
    try:
        yield relay, backend
    finally:
        relay.down()


def test_writes_succeed_while_elasticsearch_is_down_and_the_backlog_drains_after(
    relayed_elasticsearch, client
):
    relay, elasticsearch = relayed_elasticsearch
    before = TopicFactory(title="Rayap di gudang arsip kelurahan")
    indexing.drain()

    relay.down()
    during = TopicFactory(title="Pemutihan denda menjelang akhir tahun")
    ReplyFactory(topic=before, body="Kami pakai kapur barus di rak bawah.")
    failed = indexing.drain()
    page = client.get(reverse("search:results"), {"q": "pemutihan denda"})

    assert failed.failed == 2 and "ELASTICSEARCH_URL" in failed.errors[0]
    assert OutboxEntry.objects.filter(processed_at=None, attempts=1).count() == 2
    assert page.status_code == 200
    assert page.context["results"].fell_back
    assert [h.document.title for h in page.context["results"].hits] == [during.title]
    assert "dari basis data" in page.content.decode()  # said discreetly on the page

    relay.up()
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):  # past the backoff
        drained = indexing.drain()
    elasticsearch.refresh()

    assert (drained.indexed, drained.failed) == (2, 0)
    assert [drift.total for drift in check()] == [0, 0]
    answered = service.search(query="kapur barus", user=AnonymousUser())
    assert (answered.backend, answered.fell_back) == ("elasticsearch", False)
    assert [h.document.title for h in answered.hits] == [before.title]
