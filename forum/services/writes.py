"""The one path every write to a topic takes.

    with topic_write(topic.pk) as write:
        ...change write.topic, its posts...

locks the topic row (and its category row, which the write may recount) before anything is
read, so that the change acts on the topic as it is now and two writers take turns; then, in the
same transaction, records what the change made stale: the topic's search document (an outbox
row, search.indexing). What else every write must do is added here, once, not in each service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from forum.models import Topic
from forum.services.counters import topic_for_update
from search import indexing, registry

SEARCH_PREFIX = "topic"  # forum/search.py's adapter


@dataclass
class TopicWrite:
    topic: Topic
    also: set[int] = field(default_factory=set)  # other topics the write changed (a merge)

    def touch(self, *topics: Topic) -> None:
        self.also.update(t.pk for t in topics)


@contextmanager
def topic_write(topic_id: int) -> Iterator[TopicWrite]:
    with transaction.atomic():
        write = TopicWrite(topic_for_update(topic_id))
        yield write
        topics_changed(write.topic.pk, *write.also)


def topics_changed(*topic_ids: int) -> None:
    """Record, in the caller's transaction, that these topics changed (a new topic, a
    category whose visibility changed: writes that do not start from one topic)."""
    indexing.record(*(registry.document_id(SEARCH_PREFIX, pk) for pk in topic_ids))


def category_changed(*, category) -> None:
    """A category was edited in an admin (its visibility, its slug): its topics' documents
    change with it."""
    with transaction.atomic():
        topics_changed(*category.topics.values_list("pk", flat=True))
