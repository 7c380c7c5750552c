"""The programme's tests: a forum history written at chosen moments, through the forum's own
services (time-machine moves the clock), so that every figure can be computed by hand."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts import roles
from forum import services
from forum.models import Post, Topic
from tests.forum.factories import competency_area, create_member

WIB = timezone.get_fixed_timezone(7 * 60)
# The tests' "today": a Friday in December; November is the period they look at.
TODAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=WIB)
NOVEMBER = "?period=custom&start=2026-11-01&end=2026-11-30"


def at(day: int, hour: int = 8, *, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=WIB)


def ask(when: datetime.datetime, *, author=None, area: str = "layanan-pemustaka", title=None):
    author = author or create_member()
    with time_machine.travel(when, tick=False):
        return services.topic_create(
            author=author,
            category=competency_area(area),
            title=title or f"Pertanyaan {when:%d %H} di {area}",
            body="Bagaimana sebaiknya?",
        )


def answer(topic: Topic, when: datetime.datetime, *, author=None) -> Post:
    with time_machine.travel(when, tick=False):
        return services.reply_create(author=author or create_member(), topic=topic, body="Begini.")


def solve(topic: Topic, post: Post, when: datetime.datetime) -> Topic:
    with time_machine.travel(when, tick=False):
        topic.refresh_from_db()
        return services.topic_mark_solution(topic=topic, post=post, by=topic.author)


def after(start: datetime.datetime, hours: float) -> datetime.datetime:
    return start + datetime.timedelta(hours=hours)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator(db):
    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)
