"""The topic's event log: what happened to a topic, numbered, for its live readers.

Every write to a topic records its events in the same transaction as the change (forum.services
.writes), each with the topic's next number (Topic.event_number, unique per topic here). A
page is rendered with the topic's number; its script subscribes from it, and a client that
reconnects asks for what came after the last number it saw: nothing published in between is
missed. The log is pruned by age (forum_housekeeping); a client asking for pruned events is
told to reload the page.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TopicEvent(models.Model):
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="events")
    number = models.PositiveIntegerField()
    type = models.CharField(max_length=30)  # "post.created", handled by post_created
    payload = models.JSONField(default=dict)  # what every reader may see, the same for all
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="topic_event_once")]
        indexes = [models.Index(fields=["created_at"], name="topic_event_age")]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.number} {self.type}"

    def as_message(self) -> dict:
        # "at": when the change was written (ms since the epoch), for bench/realtime.py's
        # latency from commit to receipt.
        at = int(self.created_at.timestamp() * 1000)
        return {
            "number": self.number,
            "type": self.type,
            "topic": self.topic_id,
            "at": at,
            **self.payload,
        }
