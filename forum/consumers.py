"""The forum's one websocket (/ws/live/): a page's live updates. Consumers push and
authorise; every write goes over HTTP, through forum.services (STYLE.md).

A page connects with what it shows: `topic=<id>&after=<number>` (the topic and the event number
it was rendered at), `lists=1` (a topic list), and the member's own group when signed in. On
connect the topic is authorised like its page (members-only categories, hidden and merged
topics), then every event after `after` is replayed from the log, in order, before live ones;
each is sent once. A `ping` with the last number seen replays what a paused channel layer did
not deliver (Redis away), and joins the groups again. Events after which the reader may no
longer see the topic are authorised again before they are passed on.

Client messages are small (MAX_MESSAGE_BYTES) and few (MESSAGES_PER_WINDOW a window): a flood
is closed with 4429, an oversized message with 4413; a topic the reader may not see with 4404.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from config.ids import parse_id
from forum import permissions, realtime
from forum.models import Topic

MAX_MESSAGE_BYTES = 1024
MESSAGES_PER_WINDOW = 20
WINDOW_SECONDS = 10.0
TYPING_EVERY_SECONDS = 3.0

GONE, TOO_BIG, TOO_MANY = 4404, 4413, 4429


class LiveConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.user = self.scope.get("user")
        self.language = _language(query.get("lang", [""])[0])
        self.topic_id = parse_id(query.get("topic", [""])[0])
        self.last = parse_id(query.get("after", [""])[0]) or 0
        self.lists = query.get("lists", [""])[0] == "1"
        self.sent_at: list[float] = []
        self.typed_at = 0.0
        self.joined: list[str] = []
        await self.accept()
        if self.topic_id is not None and not await self._may_read():
            await self.close(code=GONE)
            return
        await self._join()
        if self.topic_id is not None:
            await self._replay()

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _join(self) -> None:
        groups = []
        if self.topic_id is not None:
            groups.append(realtime.topic_group(self.topic_id))
        if self.lists:
            groups.append(realtime.LISTS_GROUP)
        if self.user is not None and self.user.is_authenticated:
            groups.append(realtime.user_group(self.user.pk))
        for group in groups:
            # Twice: after Redis restarted, the layer's pooled connection fails once, closed by
            # the server, before a new one is made.
            for attempt in (1, 2):
                try:
                    await self.channel_layer.group_add(group, self.channel_name)
                    break
                except Exception as error:  # Redis away: the page catches up by its pings
                    if attempt == 2:
                        realtime.layer_failed(error)
        self.joined = groups

    # --- From the page ------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None) -> None:
        data = text_data if text_data is not None else bytes_data or b""
        if len(data) > MAX_MESSAGE_BYTES:
            await self.close(code=TOO_BIG)
            return
        now = time.monotonic()
        self.sent_at = [t for t in self.sent_at if now - t < WINDOW_SECONDS] + [now]
        if len(self.sent_at) > MESSAGES_PER_WINDOW:
            await self.close(code=TOO_MANY)
            return
        try:
            message = json.loads(data)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if message.get("type") == "ping" and self.topic_id is not None:
            await self._join()
            await self._replay()
        elif message.get("type") == "typing":
            await self._typing(now)

    async def _typing(self, now: float) -> None:
        if self.topic_id is None or now - self.typed_at < TYPING_EVERY_SECONDS:
            return
        if not await self._may_reply():
            return  # visitors and members who may not answer type nothing anyone sees
        self.typed_at = now
        name = self.user.get_short_name()
        event = {"type": "typing", "user": self.user.pk, "name": name}
        try:
            await self.channel_layer.group_send(
                realtime.topic_group(self.topic_id), {"type": "topic.typing", "event": event}
            )
        except Exception as error:  # a typing signal is a nicety, never an error
            realtime.layer_failed(error)

    # --- To the page --------------------------------------------------------------------------

    async def _replay(self) -> None:
        replayed = await database_sync_to_async(realtime.messages)(self.topic_id, after=self.last)
        pruned = replayed and replayed[0]["number"] > self.last + 1
        if len(replayed) >= realtime.MAX_REPLAYED or pruned:
            await self._send({"type": "reload"})  # too far behind, or pruned: start afresh
            return
        for event in replayed:
            await self._deliver(event)

    async def _deliver(self, event: dict) -> None:
        if event["number"] <= self.last:
            return  # already sent (replayed, then broadcast)
        if event["type"] == "topic.merged":
            # Told where it went when the reader may read it there; the socket's topic is gone.
            if await self._may_read(event["into"]):
                await self._send(event)
            else:
                await self._send({"type": "gone"})
            await self.close(code=GONE)
            return
        if event["type"] in realtime.REAUTHORISE and not await self._may_read():
            await self._send({"type": "gone"})
            await self.close(code=GONE)
            return
        self.last = event["number"]
        await self._send(event)

    async def topic_events(self, message: dict) -> None:
        for event in message["events"]:
            await self._deliver(event)

    async def topic_typing(self, message: dict) -> None:
        event = message["event"]
        if self.user is None or event["user"] != self.user.pk:
            await self._send(event)

    async def lists_event(self, message: dict) -> None:
        event = message["event"]
        signed_in = self.user is not None and self.user.is_authenticated
        if event["members_only"] and not signed_in:
            return  # what a visitor may not see does not exist for them
        await self._send(event)

    async def user_event(self, message: dict) -> None:
        await self._send(message["event"])

    async def _send(self, event: dict) -> None:
        # A post's HTML comes in every language; the page gets its own.
        if isinstance(event.get("html"), dict):
            event = {**event, "html": event["html"].get(self.language, "")}
        if isinstance(event.get("category"), dict) and "names" in event["category"]:
            category = event["category"]
            name = category["names"].get(self.language, "")
            event = {**event, "category": {"name": name, "url": category["url"]}}
        await self.send(text_data=json.dumps(event))

    # --- Who may ------------------------------------------------------------------------------

    @database_sync_to_async
    def _may_read(self, topic_id: int | None = None) -> bool:
        topic_id = topic_id or self.topic_id
        topic = Topic.objects.select_related("category").filter(pk=topic_id).first()
        user = self._reader()
        return (
            topic is not None
            and topic.merged_into_id is None
            and permissions.can_view_topic(user, topic)
        )

    @database_sync_to_async
    def _may_reply(self) -> bool:
        topic = Topic.objects.select_related("category").filter(pk=self.topic_id).first()
        return topic is not None and permissions.can_reply(self._reader(), topic)

    def _reader(self):
        return self.user if self.user is not None else AnonymousUser()


def _language(code: str) -> str:
    codes = [c for c, _name in settings.LANGUAGES]
    return code if code in codes else settings.LANGUAGE_CODE
