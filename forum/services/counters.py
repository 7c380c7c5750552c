"""The counts and "latest" pointers that lists read, after a change to posts.

The two frequent writes, asking and answering, move a category's counts by one: recounting
the whole category on every reply cost ~11 ms a write at 1,000 topics, growing with it. The
rarer ones (moderation, merges, deletions) recount from the rows, and the hourly housekeeping
recounts every category, the safety net against any drift.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from forum.models import Category, Post, Topic


def topic_for_update(pk: int) -> Topic:
    """The topic as the database has it now, locked until the transaction ends: a write that
    reads the topic (its solution, its positions) must not act on a stale copy. Its category
    row is locked with it (on PostgreSQL; SQLite writes one at a time anyway), because the
    write ends by recounting the category: two recounts must not read the same snapshot."""
    return Topic.objects.select_for_update().select_related("category").get(pk=pk)


def categories_for_update(*categories: Category) -> None:
    """Lock categories about to be recounted, in one order, so that two writers never wait
    for each other the other way round."""
    ids = sorted({c.pk for c in categories})
    list(Category.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def topic_clear_solution(topic: Topic) -> None:
    """The topic is unsolved again (its solution was unmarked, deleted, hidden or merged away)."""
    topic.solution, topic.solved_at, topic.solved_by = None, None, None
    topic.save(update_fields=["solution", "solved_at", "solved_by"])


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


def category_topic_added(category: Category, topic: Topic) -> None:
    """A new visible topic: one more in its category, and now its latest."""
    Category.objects.filter(pk=category.pk).update(
        topic_count=F("topic_count") + 1, last_topic=topic
    )


def category_reply_added(category: Category, topic: Topic) -> None:
    """A new visible reply: one more in its category, whose latest topic is now this one."""
    if topic.is_visible:
        Category.objects.filter(pk=category.pk).update(
            reply_count=F("reply_count") + 1, last_topic=topic
        )


def categories_recount() -> int:
    """Every category from its rows (forum_housekeeping)."""
    categories = list(Category.objects.all())
    for category in categories:
        category_refresh(category)
    return len(categories)
