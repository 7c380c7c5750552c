"""The live forum's websocket, through the whole ASGI stack (origin check, session, routing) with
WebsocketCommunicator, on the configured channel layer: in memory by default, Redis when
REDIS_URL is set (CI's second pass). Writes go through forum.services and commit for real, so
that their events are broadcast as they are on the site."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from forum import services
from forum.models import TopicEvent
from tests.forum.factories import (
    MembersOnlyCategoryFactory,
    ReplyFactory,
    TopicFactory,
    competency_area,
    create_member,
    create_moderator,
    question_of,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 5


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def opened(query: str, user=None) -> WebsocketCommunicator:
    """A page's socket, signed in as `user` (its session cookie) when given."""
    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, f"/ws/live/?{query}", headers=headers)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def received(communicator) -> dict:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.close", output
    return output["code"]


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


act = sync_to_async  # a write through forum.services, from the test's event loop


# --- Receiving ----------------------------------------------------------------------------------


def test_a_reader_receives_a_new_reply_rendered_as_everyone_sees_it():
    topic = TopicFactory()
    replier = create_member(name="Budi Santoso")

    async def scenario():
        reader = await opened(f"topic={topic.pk}&after={topic.event_number}")
        post = await act(services.reply_create)(
            author=replier, topic=topic, body="Kirim **pengingat** lewat WhatsApp."
        )
        event = await received(reader)
        await reader.disconnect()
        return post, event

    post, event = run(scenario)

    assert (event["type"], event["post"], event["number"]) == ("post.created", post.pk, 1)
    assert "<strong>pengingat</strong>" in event["html"]
    assert "Budi Santoso" in event["html"]
    assert 'form="actions"' not in event["html"]  # nobody's buttons in a broadcast
    assert f'data-controls="{post.get_absolute_url()}controls/"' in event["html"]


def test_each_kind_of_change_reaches_the_reader_in_order():
    asker, moderator = create_member(), create_moderator()
    topic = TopicFactory(author=asker)
    answer = ReplyFactory(topic=topic, body="Catat kondisinya.")
    voter = create_member()
    elsewhere = competency_area("manajemen-perpustakaan")
    start = type(topic).objects.get(pk=topic.pk).event_number

    async def scenario():
        reader = await opened(f"topic={topic.pk}&after={start}")
        await act(services.post_edit)(post=answer, editor=answer.author, body="Catat dan foto.")
        await act(services.post_toggle_helpful)(post=answer, user=voter)
        await act(services.topic_mark_solution)(topic=topic, post=answer, by=asker)
        await act(services.topic_unmark_solution)(topic=topic, by=asker)
        await act(services.post_hide)(post=answer, by=moderator, reason="Uji")
        await act(services.post_unhide)(post=answer, by=moderator)
        await act(services.topic_set_locked)(topic=topic, by=moderator, locked=True)
        await act(services.topic_set_pinned)(topic=topic, by=moderator, pinned=True)
        await act(services.topic_move)(topic=topic, category=elsewhere, by=moderator)
        events = [await received(reader) for _ in range(9)]
        await reader.disconnect()
        return events

    events = run(scenario)

    assert [e["type"] for e in events] == [
        "post.edited",
        "helpful.changed",
        "solution.changed",
        "solution.changed",
        "post.hidden",
        "post.unhidden",
        "topic.locked",
        "topic.pinned",
        "topic.moved",
    ]
    assert [e["number"] for e in events] == list(range(start + 1, start + 10))
    assert "Catat dan foto." in events[0]["html"]
    assert events[1]["count"] == 1
    assert "Catat dan foto." in events[2]["html"] and events[3]["html"] == ""
    assert "Catat dan foto." not in events[4]["html"]  # hidden: the placeholder, for everyone
    assert events[8]["category"]["url"] == elsewhere.get_absolute_url()


def test_a_merged_topics_readers_are_told_where_it_went():
    source, target = TopicFactory(), TopicFactory(title="Topik tujuan penggabungan")
    target.refresh_from_db()
    moderator = create_moderator()

    async def scenario():
        reader = await opened(f"topic={source.pk}&after={source.event_number}")
        await act(services.topic_merge)(source=source, target=target, by=moderator)
        event = await received(reader)
        code = await closed_with(reader)  # may no longer read it: asked again, and closed
        return event, code

    event, code = run(scenario)

    assert (event["type"], event["url"]) == ("topic.merged", target.get_absolute_url())
    assert code == 4404  # its own topic is gone: the page stops reconnecting


# --- Catching up --------------------------------------------------------------------------------


def test_a_reader_who_reconnects_receives_what_it_missed_once_in_order():
    topic = TopicFactory()
    replies = [ReplyFactory(topic=topic, body=f"Balasan ke-{n}") for n in range(1, 4)]

    async def scenario():
        reader = await opened(f"topic={topic.pk}&after=1")  # it saw the first reply only
        missed = [await received(reader) for _ in range(2)]
        await reader.send_to(text_data=json.dumps({"type": "ping"}))  # asks again: nothing new
        nothing = await reader.receive_nothing(timeout=0.5)
        await reader.disconnect()
        return missed, nothing

    missed, nothing = run(scenario)

    assert [(e["number"], e["post"]) for e in missed] == [(2, replies[1].pk), (3, replies[2].pk)]
    assert nothing


def test_a_reader_too_far_behind_the_log_is_told_to_reload():
    topic = TopicFactory()
    for n in range(3):
        ReplyFactory(topic=topic, body=f"Balasan {n}")
    TopicEvent.objects.filter(topic=topic, number__lte=2).delete()  # pruned by age

    async def scenario():
        reader = await opened(f"topic={topic.pk}&after=0")
        event = await received(reader)
        await reader.disconnect()
        return event

    assert run(scenario) == {"type": "reload"}


# --- Who may ------------------------------------------------------------------------------------


def test_a_visitor_cannot_follow_a_members_only_topic_but_a_member_can():
    topic = TopicFactory(category=MembersOnlyCategoryFactory())
    member = create_member()

    async def scenario():
        visitor = await opened(f"topic={topic.pk}&after=0")
        refused = await closed_with(visitor)
        reader = await opened(f"topic={topic.pk}&after=0", member)
        nothing = await reader.receive_nothing(timeout=0.3)
        await reader.disconnect()
        return refused, nothing

    refused, nothing = run(scenario)
    assert refused == 4404
    assert nothing


def test_a_hidden_topic_is_closed_to_its_readers_who_may_no_longer_see_it():
    topic = TopicFactory()
    moderator, question = create_moderator(), question_of(topic)

    async def scenario():
        reader = await opened(f"topic={topic.pk}&after={topic.event_number}")
        await act(services.post_hide)(post=question, by=moderator)
        events = [await received(reader), await received(reader)]
        code = await closed_with(reader)
        return events, code

    events, code = run(scenario)
    assert events[0]["type"] == "post.hidden"
    assert events[1] == {"type": "gone"}
    assert code == 4404


def test_typing_reaches_the_others_but_not_the_typist_and_never_from_a_visitor():
    topic = TopicFactory()
    sari, budi = create_member(name="Sari Wulandari"), create_member(name="Budi Santoso")

    async def scenario():
        typist = await opened(f"topic={topic.pk}&after=0", sari)
        other = await opened(f"topic={topic.pk}&after=0", budi)
        visitor = await opened(f"topic={topic.pk}&after=0")
        await visitor.send_to(text_data=json.dumps({"type": "typing"}))
        from_visitor = await other.receive_nothing(timeout=0.3)
        await typist.send_to(text_data=json.dumps({"type": "typing"}))
        seen = await received(other)
        own = await typist.receive_nothing(timeout=0.3)
        for communicator in (typist, other, visitor):
            await communicator.disconnect()
        return from_visitor, seen, own

    from_visitor, seen, own = run(scenario)
    assert from_visitor
    assert (seen["type"], seen["name"]) == ("typing", "Sari")
    assert own


def test_a_flood_of_messages_is_closed_with_4429_and_an_oversized_one_with_4413():
    topic = TopicFactory()

    async def scenario():
        flooder = await opened(f"topic={topic.pk}&after=0")
        for _ in range(25):
            await flooder.send_to(text_data='{"type": "ping"}')
        flood = await closed_with(flooder)
        big = await opened(f"topic={topic.pk}&after=0")
        await big.send_to(text_data="x" * 5000)
        return flood, await closed_with(big)

    assert run(scenario) == (4429, 4413)


# --- Lists and badges ---------------------------------------------------------------------------


def test_lists_hear_of_new_topics_but_visitors_not_of_members_only_ones():
    room = MembersOnlyCategoryFactory()
    author = create_member()

    async def scenario():
        visitor = await opened("lists=1")
        await act(TopicFactory)(category=room, author=author)
        hidden = await visitor.receive_nothing(timeout=0.5)
        public = await act(TopicFactory)(author=author)
        event = await received(visitor)
        await visitor.disconnect()
        return hidden, public, event

    hidden, public, event = run(scenario)
    assert hidden
    assert (event["type"], event["topic"]) == ("topic.created", public.pk)


def test_a_member_is_told_of_a_new_notification_on_any_page():
    topic = TopicFactory()
    sari, replier = create_member(username="sari"), create_member()

    async def scenario():
        page = await opened("", sari)
        await act(services.reply_create)(author=replier, topic=topic, body="Halo @sari")
        event = await received(page)
        await page.disconnect()
        return event

    assert run(scenario) == {"type": "notification", "kind": "mention"}
