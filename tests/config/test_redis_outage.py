"""Redis stops in the middle of a working day (DESIGN.md, failure model): posting, signing in
and resetting a password go on, the outage is logged once, and when Redis returns nothing stale
comes back from before it (a member who signed out meanwhile stays signed out)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from forum.models import Post
from tests.factories import PASSWORD
from tests.forum.factories import TopicFactory, create_member
from tests.redis_server import redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(tmp_path, settings):
    with redis_server(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "KEY_PREFIX": "outage-test",
                # Asked again at every operation, so that the test needs no clock.
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "RETRY_SECONDS": 0},
            }
        }
        try:
            yield server
        finally:
            cache.close()


def reply(client: Client, topic, text: str) -> int:
    return client.post(reverse("forum:reply", args=[topic.pk]), {"body": text}).status_code


def test_posting_signing_in_and_password_reset_go_on_while_redis_is_down(redis, caplog):
    topic = TopicFactory()
    sari, budi = create_member(), create_member()
    writer = Client()
    writer.force_login(sari)
    assert reply(writer, topic, "Sebelum Redis berhenti.") == 302

    redis.stop()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        posted = reply(writer, topic, "Saat Redis berhenti, tetap terkirim.")
        answered = reply(writer, topic, "Dan sekali lagi.")
        signing_in = Client().post(
            reverse("account_login"), {"login": budi.email, "password": PASSWORD}
        )
        resetting = Client().post(reverse("account_reset_password"), {"email": budi.email})

    assert (posted, answered) == (302, 302)
    assert Post.objects.filter(topic=topic, source__startswith="Saat Redis").exists()
    assert signing_in.status_code == 302
    assert signing_in["Location"] == reverse("home")
    assert resetting.status_code == 302
    assert resetting["Location"] == reverse("account_reset_password_done")
    outage_lines = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(outage_lines) == 1
    assert "REDIS_URL" in outage_lines[0].getMessage()


def test_a_member_who_signed_out_during_the_outage_stays_signed_out(redis):
    member = create_member()
    browser = Client()
    browser.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert browser.get(reverse("home")).context["user"] == member  # the session is in Redis

    redis.stop()
    browser.post(reverse("account_logout"))
    redis.start()  # with what it held before the outage, the signed-in session included

    assert not browser.get(reverse("home")).context["user"].is_authenticated
    cache.set("after", "shared")
    assert cache.get("after") == "shared"
    assert not cache.is_down


def test_a_count_forgotten_during_the_outage_is_not_served_stale_afterwards(redis):
    cache.set("forum:unread:7", 3)
    cache.set("forum:unread:8", 5)

    redis.stop()
    cache.delete("forum:unread:7")  # a notification was read meanwhile
    redis.start()

    assert cache.get("forum:unread:7") is None
    assert cache.get("forum:unread:8") == 5  # what nobody touched meanwhile is kept
