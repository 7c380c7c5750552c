"""The one path every write to a topic takes.

    with topic_write(topic.pk) as write:
        ...change write.topic, its posts...
        write.event("post.created", post=post.pk)

locks the topic row (and its category row, which the write may recount) before anything is
read, so that the change acts on the topic as it is now and two writers take turns; then, in the
same transaction, records what the change made stale and what happened:

- the topic's search document (an outbox row, search.indexing);
- the topic's events, each with the topic's next number (forum.models.events), for its live
  readers, and their broadcast once the transaction commits (forum.realtime).

A new concern that every write must have is added here, once, not in each service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.models import Topic, TopicEvent
from forum.services.counters import topic_for_update
from search import indexing, registry

SEARCH_PREFIX = "topic"  # forum/search.py's adapter


@dataclass
class TopicWrite:
    topic: Topic
    also: set[int] = field(default_factory=set)  # other topics the write changed (a merge)
    events: list[tuple[str, dict]] = field(default_factory=list)

    def touch(self, *topics: Topic) -> None:
        self.also.update(t.pk for t in topics)

    def event(self, type: str, **payload) -> None:
        """Something the topic's live readers must see (forum.realtime renders it)."""
        self.events.append((type, payload))


@contextmanager
def topic_write(topic_id: int) -> Iterator[TopicWrite]:
    with transaction.atomic():
        write = TopicWrite(topic_for_update(topic_id))
        yield write
        record_events(write.topic, write.events)
        topics_changed(write.topic.pk, *write.also)


def record_events(topic: Topic, events: list[tuple[str, dict]]) -> None:
    """Number the events after the topic's last (its row is locked), and broadcast them after
    commit: a reader who reconnects later finds them in the log."""
    if not events:
        return
    first = topic.event_number + 1
    TopicEvent.objects.bulk_create(
        [
            TopicEvent(topic=topic, number=first + offset, type=type, payload=payload)
            for offset, (type, payload) in enumerate(events)
        ]
    )
    topic.event_number = first + len(events) - 1
    Topic.objects.filter(pk=topic.pk).update(event_number=topic.event_number)
    from forum import realtime

    numbers = (first, topic.event_number)
    transaction.on_commit(lambda: realtime.broadcast_topic(topic.pk, *numbers))


def topics_changed(*topic_ids: int) -> None:
    """Record, in the caller's transaction, that these topics changed (a new topic, a
    category whose visibility changed: writes that do not start from one topic)."""
    indexing.record(*(registry.document_id(SEARCH_PREFIX, pk) for pk in topic_ids))


def category_changed(*, category) -> None:
    """A category was edited in an admin (its visibility, its name, its slug): its topics'
    search documents change with it, and so does what visitors' cached pages show."""
    from forum.models import Category

    with transaction.atomic():
        Category.objects.filter(pk=category.pk).update(version=F("version") + 1)
        topics_changed(*category.topics.values_list("pk", flat=True))


EVENTS_KEPT = timedelta(days=7)


def topic_events_prune(*, older_than: timedelta = EVENTS_KEPT) -> int:
    """Forget events no page is likely to replay (a page older than this reloads instead)."""
    deleted, _ = TopicEvent.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
