"""Pushing the forum to websockets (STYLE.md: the one place that does; called on commit).

A topic's events (forum.models.events) are rendered here into messages that look the same to
every reader: a post is sent as the page shows it to anyone who may read the topic, without
anyone's buttons (those each reader's page fetches for itself), and a hidden post as the
placeholder every reader sees. Messages are rendered from the database as it is when they are
sent, so that a reader catching up later never gets what has been hidden meanwhile.

Groups: `topic.<id>` (a topic's readers), `forum.lists` (the topic lists), `user.<id>` (one
member's pages: the notification badge). When the channel layer (Redis) is away, posting goes
on: the failure is logged once, and readers catch up from the event log when they next ask.
"""

from __future__ import annotations

import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from forum.models import Category, Post, Topic, TopicEvent

logger = logging.getLogger(__name__)

LISTS_GROUP = "forum.lists"
POST_EVENTS = {"post.created", "post.edited", "post.deleted", "post.hidden", "post.unhidden"}
# Events after which a reader may no longer see the topic: the consumer asks again.
REAUTHORISE = {"topic.moved", "topic.hidden", "topic.merged"}
LAYER_ERROR_LOG_EVERY = 60.0
# A reader further behind than this reloads the page rather than replaying it event by event.
MAX_REPLAYED = 200


def topic_group(topic_id: int) -> str:
    return f"topic.{topic_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _each_language(render) -> dict[str, str]:
    rendered = {}
    for code in _languages():
        with translation.override(code):
            rendered[code] = render()
    return rendered


# --- Rendering ----------------------------------------------------------------------------------


def post_html(post: Post, topic: Topic) -> dict[str, str]:
    """A post as every reader of the topic sees it, in each language."""
    post.topic = topic
    post.can_see = post.is_visible
    post.files = list(post.attachments.all()) if post.attachment_count and post.can_see else []
    context = {"post": post, "topic": topic, "shared": True}
    return _each_language(lambda: render_to_string("forum/includes/post.html", context))


def solution_html(topic: Topic) -> dict[str, str]:
    solution = topic.solution if topic.solution_id else None
    if solution is None or not solution.is_visible:
        return dict.fromkeys(_languages(), "")
    context = {"topic": topic}
    return _each_language(lambda: render_to_string("forum/includes/solution.html", context))


def _category(category: Category) -> dict:
    def name() -> str:
        return category.display_name

    return {"names": _each_language(name), "url": category.get_absolute_url()}


def messages(topic_id: int, *, after: int, upto: int | None = None) -> list[dict]:
    """The topic's events after number `after` (up to `upto`), as readers receive them."""
    events = TopicEvent.objects.filter(topic_id=topic_id, number__gt=after).order_by("number")
    if upto is not None:
        events = events.filter(number__lte=upto)
    events = list(events[:MAX_REPLAYED])
    if not events:
        return []
    topic = Topic.objects.select_related("category", "solution__author").get(pk=topic_id)
    wanted = {e.payload.get("post") for e in events} - {None}
    posts = Post.objects.select_related("author__library").in_bulk(list(wanted))
    return [_message(event, topic, posts) for event in events]


def _message(event: TopicEvent, topic: Topic, posts: dict[int, Post]) -> dict:
    message = event.as_message()
    post = posts.get(event.payload.get("post"))
    if event.type in POST_EVENTS and post is not None:
        message.update(position=post.position, html=post_html(post, topic))
    elif event.type == "helpful.changed" and post is not None:
        message.update(position=post.position, count=post.helpful_count)
    elif event.type == "solution.changed":
        message.update(
            position=post.position if post else None,
            html=solution_html(topic),
        )
    elif event.type == "topic.moved":
        category = topic.category
        message.update(category=_category(category), members_only=category.members_only)
    elif event.type == "topic.merged":
        target = Topic.objects.filter(pk=event.payload["into"]).first()
        message.update(url=target.get_absolute_url() if target else "")
    return message


# --- Sending ------------------------------------------------------------------------------------

_last_layer_error = float("-inf")  # when the layer's failure was last logged


def layer_failed(error: Exception) -> None:
    """Say once a minute, not once a message, that the channel layer is away."""
    global _last_layer_error
    now = time.monotonic()
    if now - _last_layer_error >= LAYER_ERROR_LOG_EVERY:
        _last_layer_error = now
        logger.warning(
            "live updates paused: the channel layer (REDIS_URL) did not take a message (%s); "
            "readers catch up from the event log when it returns",
            error,
        )


def _send(group: str, message: dict) -> bool:
    """group_send, never raising: posting must not fail because Redis is away."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
        return True
    except Exception as error:  # the layer's own errors: connection refused, timeouts
        layer_failed(error)
        return False


def broadcast_topic(topic_id: int, first: int, last: int) -> None:
    """Send a topic's new events to its readers, and what the lists need to the lists."""
    try:
        sent = messages(topic_id, after=first - 1, upto=last)
    except Exception:  # the write is committed; readers catch up from the log
        logger.exception("live updates: topic %s's events %s-%s not sent", topic_id, first, last)
        return
    if sent:
        _send(topic_group(topic_id), {"type": "topic.events", "events": sent})
    if any(m["type"] == "post.created" for m in sent):
        broadcast_list_change(topic_id, "topic.replied")


def broadcast_topic_created(topic_id: int) -> None:
    broadcast_list_change(topic_id, "topic.created")


def broadcast_list_change(topic_id: int, kind: str) -> None:
    topic = Topic.objects.select_related("category").filter(pk=topic_id, is_visible=True).first()
    if topic is None:
        return
    event = {
        "type": kind,
        "topic": topic.pk,
        "category": topic.category.slug,
        "members_only": topic.category.members_only,
        "tags": [tag.slug for tag in topic.tags.all()],
        "author": topic.author_id,
    }
    _send(LISTS_GROUP, {"type": "lists.event", "event": event})


def notify_members(user_ids: list[int], *, kind: str) -> None:
    """Tell members' open pages that they have new notifications (their badge's number is
    fetched by each page: it is theirs alone)."""
    event = {"type": "notification", "kind": kind}
    for user_id in user_ids:
        _send(user_group(user_id), {"type": "user.event", "event": event})
