"""Subscriptions, reading position and view counts."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from forum import permissions
from forum.models import Category, CategorySubscription, TagSubscription, Topic, TopicState

VIEW_FLUSH_EVERY = 20


@transaction.atomic
def topic_subscription_set(*, user: User, topic: Topic, subscribed: bool) -> None:
    """Follow a topic or stop following it (also stops the automatic following)."""
    permissions.check_can_subscribe(user=user)
    permissions.check_can_view_topic(user=user, topic=topic)
    TopicState.objects.update_or_create(user=user, topic=topic, defaults={"subscribed": subscribed})


@transaction.atomic
def category_subscription_set(*, user: User, category: Category, subscribed: bool) -> None:
    """Hear about every new question in a category."""
    permissions.check_can_subscribe(user=user)
    permissions.check_can_view_category(user=user, category=category)
    if subscribed:
        CategorySubscription.objects.get_or_create(user=user, category=category)
    else:
        CategorySubscription.objects.filter(user=user, category=category).delete()


@transaction.atomic
def tag_subscription_set(*, user: User, tag: Tag, subscribed: bool) -> None:
    """Hear about every new question with a tag."""
    permissions.check_can_subscribe(user=user)
    if subscribed:
        TagSubscription.objects.get_or_create(user=user, tag=tag)
    else:
        TagSubscription.objects.filter(user=user, tag=tag).delete()


def topic_mark_read(*, user: User, topic: Topic, position: int, known_position: int | None) -> None:
    """Remember how far a member has read. `known_position` is what the page already loaded
    (None: no row yet), so that this costs one query."""
    if known_position is not None and known_position >= position:
        return
    if known_position is None:
        # One INSERT (no savepoint, no SELECT first); a row that appeared meanwhile stays.
        TopicState.objects.bulk_create(
            [TopicState(user=user, topic=topic, last_read_position=position)],
            ignore_conflicts=True,
        )
        return
    TopicState.objects.filter(user=user, topic=topic, last_read_position__lt=position).update(
        last_read_position=position, updated_at=timezone.now()
    )


def topic_count_view(*, topic: Topic) -> None:
    """Count a view. Counted in the cache and written every VIEW_FLUSH_EVERY views, so that
    reading a topic does not take the database's write lock."""
    key = f"forum:views:{topic.pk}"
    cache.add(key, 0, timeout=None)
    try:
        views = cache.incr(key)
    except ValueError:
        views = None
    if not views:  # the cache is away (django-redis answers None): count straight in
        Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + 1)
    elif views % VIEW_FLUSH_EVERY == 0:
        # Only the request that reached a multiple writes, and takes back just what it writes:
        # views counted meanwhile stay in the cache for the next time.
        cache.decr(key, VIEW_FLUSH_EVERY)
        Topic.objects.filter(pk=topic.pk).update(view_count=F("view_count") + VIEW_FLUSH_EVERY)
