"""Recomputing the counts and "latest" pointers that lists read, after a change to posts.

Counts are recomputed from the rows rather than nudged up and down: writes are rare next to
reads, and a recount can never drift.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from forum.models import Category, Post, Topic


def topic_for_update(pk: int) -> Topic:
    """The topic as the database has it now, locked until the transaction ends: a write that
    reads the topic (its solution, its positions) must not act on a stale copy."""
    return Topic.objects.select_for_update().select_related("category").get(pk=pk)


def topic_refresh(topic: Topic) -> None:
    visible = Post.objects.filter(topic=topic, deleted_at=None, hidden_at=None)
    totals = visible.aggregate(
        replies=Count("id", filter=Q(position__gt=1)), helpful=Sum("helpful_count")
    )
    last = visible.order_by("-position").only("id", "created_at").first()
    topic.reply_count = totals["replies"]
    topic.helpful_count = totals["helpful"] or 0
    topic.last_post = last
    topic.last_activity_at = last.created_at if last else topic.created_at
    topic.save(update_fields=["reply_count", "helpful_count", "last_post", "last_activity_at"])


def category_refresh(category: Category) -> None:
    visible = Topic.objects.filter(category=category, is_visible=True)
    totals = visible.aggregate(topics=Count("id"), replies=Sum("reply_count"))
    category.topic_count = totals["topics"]
    category.reply_count = totals["replies"] or 0
    category.last_topic = visible.order_by("-last_activity_at", "-id").only("id").first()
    category.save(update_fields=["topic_count", "reply_count", "last_topic"])
