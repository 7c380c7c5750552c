"""Redis stops while members are answering (DESIGN.md, failure model): posting goes on, the
channel layer's failure is logged once, and when Redis is back a page that reconnects with the
last number it saw receives what it missed. A Redis server of the test's own, on the real
channels_redis layer."""

from __future__ import annotations

import json
import logging

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from forum import realtime, services
from forum.models import Post
from tests.forum.factories import TopicFactory, create_member
from tests.forum.test_consumers import opened, received
from tests.redis_server import redis_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def redis_layer(tmp_path, settings, monkeypatch):
    # The failure is logged once a minute per process: an earlier test's outage must not have
    # used up this test's warning.
    monkeypatch.setattr(realtime, "_last_layer_error", float("-inf"))
    with redis_server(tmp_path) as server:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [server.url], "prefix": "outage-test"},
            }
        }
        yield server


def test_posting_goes_on_without_redis_and_a_reconnecting_page_catches_up(redis_layer, caplog):
    topic = TopicFactory()
    replier = create_member()
    reply = sync_to_async(services.reply_create)

    async def scenario():
        page = await opened(f"topic={topic.pk}&after=0")
        first = await reply(author=replier, topic=topic, body="Sebelum Redis berhenti.")
        seen = await received(page)
        await page.disconnect()

        redis_layer.stop()
        with caplog.at_level(logging.WARNING, logger="forum.realtime"):
            second = await reply(author=replier, topic=topic, body="Saat Redis berhenti.")
            third = await reply(author=replier, topic=topic, body="Dan sekali lagi.")
        redis_layer.start()

        again = await opened(f"topic={topic.pk}&after={seen['number']}")
        missed = [await received(again), await received(again)]
        fourth = await reply(author=replier, topic=topic, body="Sesudah Redis kembali.")
        live = await received(again)
        await again.disconnect()
        return [first, second, third, fourth], seen, missed, live

    posts, seen, missed, live = async_to_sync(scenario)()

    assert Post.objects.filter(topic=topic, position__gt=1).count() == 4
    assert seen["post"] == posts[0].pk
    assert [event["post"] for event in missed] == [posts[1].pk, posts[2].pk]
    assert "Saat Redis berhenti." in missed[0]["html"]
    assert live["post"] == posts[3].pk
    paused = [r for r in caplog.records if "live updates paused" in r.getMessage()]
    assert len(paused) == 1
    assert "REDIS_URL" in paused[0].getMessage()
    assert json.dumps(live)  # plain JSON, as the page reads it
