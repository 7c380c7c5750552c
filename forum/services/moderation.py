"""Moderators' actions and members' flags. Every action is written to the moderation log,
and the member whose post it touches hears about it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import permissions, ratelimits
from forum.models import Category, Flag, ModerationLog, Post, Topic, TopicState
from forum.services import notifications
from forum.services.counters import (
    categories_for_update,
    category_refresh,
    topic_clear_solution,
    topic_refresh,
)
from forum.services.writes import topic_write

Action = ModerationLog.Action


def _log(*, by: User, action: str, topic: Topic, post: Post | None = None, details: str = ""):
    ModerationLog.objects.create(
        actor=by, action=action, topic=topic, post=post, details=details[:300]
    )


def topic_set_pinned(*, topic: Topic, by: User, pinned: bool) -> None:
    """Pin a topic at the top of its category, or unpin it."""
    permissions.check_can_moderate(user=by)
    with topic_write(topic.pk) as write:
        write.topic.is_pinned = pinned
        write.topic.save(update_fields=["is_pinned"])
        write.event("topic.pinned", pinned=pinned)
        _log(by=by, action=Action.PIN if pinned else Action.UNPIN, topic=write.topic)


def topic_set_locked(*, topic: Topic, by: User, locked: bool) -> None:
    """Lock a topic (no more replies or edits), or open it again."""
    permissions.check_can_moderate(user=by)
    with topic_write(topic.pk) as write:
        write.topic.is_locked = locked
        write.topic.save(update_fields=["is_locked"])
        write.event("topic.locked", locked=locked)
        _log(by=by, action=Action.LOCK if locked else Action.UNLOCK, topic=write.topic)


def topic_move(*, topic: Topic, category: Category, by: User) -> None:
    """Move a topic to another category."""
    permissions.check_can_moderate(user=by)
    with topic_write(topic.pk) as write:
        topic = write.topic
        previous = topic.category
        if previous.pk == category.pk:
            return
        categories_for_update(previous, category)
        topic.category = category
        topic.save(update_fields=["category"])
        write.event("topic.moved", category=category.pk)
        category_refresh(previous)
        category_refresh(category)
        _log(by=by, action=Action.MOVE, topic=topic, details=f"{previous.name} → {category.name}")
        notifications.on_moderated(
            post=topic.posts.get(position=1), by=by, action=Action.MOVE, message=category.name
        )


@transaction.atomic
def topic_merge(*, source: Topic, target: Topic, by: User) -> Topic:
    """Merge a duplicate question into another: its posts move over, after the target's own,
    its followers follow the target, and its address leads there."""
    permissions.check_can_moderate(user=by)
    # Both topics are locked, in one order (two merges never wait for each other the other way
    # round), and checked as they are then.
    first, second = sorted([source.pk, target.pk])
    with topic_write(first) as write, topic_write(second) as other:
        locked = {write.topic.pk: write.topic, other.topic.pk: other.topic}
        source, target = locked[source.pk], locked[target.pk]
        if source.pk == target.pk or target.merged_into_id or source.merged_into_id:
            raise ValidationError(_("Choose another topic to merge into."), code="bad_target")
        categories_for_update(source.category, target.category)
        moving = _move_posts(source, target)
        _carry_followers(source, target)
        if source.solution_id:
            topic_clear_solution(source)
        source.merged_into = target
        source.is_visible = False
        source.last_position = 0
        source.save(update_fields=["merged_into", "is_visible", "last_position"])
        merged = write if write.topic.pk == source.pk else other
        grown = other if merged is write else write
        merged.event("topic.merged", into=target.pk)
        grown.event("topic.grew", count=len(moving))
        for topic in (source, target):
            topic_refresh(topic)
        for category in {source.category, target.category}:
            category_refresh(category)
        _log(by=by, action=Action.MERGE, topic=target, details=f"#{source.pk} {source.title}")
        notifications.on_moderated(post=moving[0], by=by, action=Action.MERGE, message=target.title)
        return target


def _move_posts(source: Topic, target: Topic) -> list[Post]:
    moving = list(source.posts.order_by("position"))
    start = target.last_position
    # Two passes: positions are unique per topic, so first move them above every position
    # the target has or will have, then number them after the target's own.
    offset = start + source.last_position + 1
    for post in moving:
        Post.objects.filter(pk=post.pk).update(topic=target, position=offset + post.position)
    for number, post in enumerate(moving, start=start + 1):
        Post.objects.filter(pk=post.pk).update(position=number)
    target.last_position = start + len(moving)
    target.save(update_fields=["last_position"])
    return moving


def _carry_followers(source: Topic, target: Topic) -> None:
    for state in TopicState.objects.filter(topic=source, subscribed=True):
        # As automatic following: on unless the member chose it off for the target.
        TopicState.objects.get_or_create(user_id=state.user_id, topic=target)
        TopicState.objects.filter(
            user_id=state.user_id, topic=target, subscribed__isnull=True
        ).update(subscribed=True)


def post_hide(*, post: Post, by: User, reason: str = "") -> None:
    """Hide a post from readers. Hiding a question hides its topic from the lists."""
    permissions.check_can_moderate(user=by)
    with topic_write(post.topic_id) as write:
        topic = post.topic = write.topic
        post.refresh_from_db()
        if post.is_hidden:
            return
        post.hidden_at, post.hidden_by = timezone.now(), by
        post.save(update_fields=["hidden_at", "hidden_by"])
        write.event("post.hidden", post=post.pk)
        if topic.solution_id == post.pk:
            topic_clear_solution(topic)
            write.event("solution.changed", post=None)
        if post.is_question:
            topic.is_visible = False
            topic.save(update_fields=["is_visible"])
            write.event("topic.hidden")
        _resolve_flags(post=post, by=by, resolution=Flag.Resolution.HIDDEN)
        topic_refresh(topic)
        category_refresh(topic.category)
        _log(by=by, action=Action.HIDE, topic=topic, post=post, details=reason)
        notifications.on_moderated(post=post, by=by, action=Action.HIDE, message=reason)


def post_unhide(*, post: Post, by: User) -> None:
    """Show a hidden post again."""
    permissions.check_can_moderate(user=by)
    with topic_write(post.topic_id) as write:
        topic = post.topic = write.topic
        post.refresh_from_db()
        if not post.is_hidden:
            return
        post.hidden_at, post.hidden_by = None, None
        post.save(update_fields=["hidden_at", "hidden_by"])
        write.event("post.unhidden", post=post.pk)
        if post.is_question and topic.merged_into_id is None:
            topic.is_visible = True
            topic.save(update_fields=["is_visible"])
            write.event("topic.shown")
        topic_refresh(topic)
        category_refresh(topic.category)
        _log(by=by, action=Action.UNHIDE, topic=topic, post=post)
        notifications.on_moderated(post=post, by=by, action=Action.UNHIDE)


@transaction.atomic
def flag_create(*, post: Post, by: User, reason: str, note: str = "") -> Flag:
    """Report a post to the moderators (once while the report is open)."""
    permissions.check_can_flag(user=by, post=post)
    if reason not in Flag.Reason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    existing = Flag.objects.filter(post=post, flagged_by=by, resolved_at=None).first()
    if existing:
        return existing
    ratelimits.hit(user=by, action="flag")
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, flagged_by=by, reason=reason, note=note[:500])
    except IntegrityError:  # the same member, twice at once
        return Flag.objects.get(post=post, flagged_by=by, resolved_at=None)


def _resolve_flags(*, post: Post, by: User, resolution: str) -> int:
    return Flag.objects.filter(post=post, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=resolution
    )


@transaction.atomic
def flags_resolve(*, post: Post, by: User, hide: bool, reason: str = "") -> None:
    """Act on a post's open flags: hide the post, or dismiss them."""
    permissions.check_can_moderate(user=by)
    if hide:
        post_hide(post=post, by=by, reason=reason)
    elif _resolve_flags(post=post, by=by, resolution=Flag.Resolution.DISMISSED):
        _log(by=by, action=Action.DISMISS_FLAGS, topic=post.topic, post=post, details=reason)
