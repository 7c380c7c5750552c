"""Marking what solved a question, and "helpful" votes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from forum import permissions
from forum.models import HelpfulVote, ModerationLog, Post, Topic
from forum.services import notifications
from forum.services.counters import topic_clear_solution
from forum.services.writes import topic_write


def _log_if_moderating(*, by: User, topic: Topic, post: Post | None, action: str) -> None:
    if by.pk != topic.author_id:
        ModerationLog.objects.create(actor=by, action=action, topic=topic, post=post)


def topic_mark_solution(*, topic: Topic, post: Post, by: User) -> Topic:
    """Mark the reply that solved the question (the asker, or a moderator for anyone)."""
    with topic_write(topic.pk) as write:
        topic = write.topic
        post.refresh_from_db()  # as it is now: it may have been hidden or moved meanwhile
        permissions.check_can_mark_solution(user=by, topic=topic, post=post)
        if topic.solution_id == post.pk:
            return topic
        topic.solution = post
        topic.solved_at = timezone.now()
        topic.solved_by = by
        topic.save(update_fields=["solution", "solved_at", "solved_by"])
        _log_if_moderating(by=by, topic=topic, post=post, action=ModerationLog.Action.MARK_SOLUTION)
        notifications.on_solution_marked(topic=topic, post=post, by=by)
        write.event("solution.changed", post=post.pk)
        return topic


def topic_unmark_solution(*, topic: Topic, by: User) -> Topic:
    """Take the solution mark back: the topic is open again."""
    with topic_write(topic.pk) as write:
        topic = write.topic
        permissions.check_can_mark_solution(user=by, topic=topic)
        if topic.solution_id is None:
            return topic
        post = topic.solution
        topic_clear_solution(topic)
        write.event("solution.changed", post=None)
        _log_if_moderating(
            by=by, topic=topic, post=post, action=ModerationLog.Action.UNMARK_SOLUTION
        )
        return topic


def post_toggle_helpful(*, post: Post, user: User) -> bool:
    """Vote a post helpful, or take the vote back; returns whether it is now voted."""
    with topic_write(post.topic_id) as write:
        post.topic = write.topic
        permissions.check_can_vote(user=user, post=post)
        removed, _ = HelpfulVote.objects.filter(post=post, user=user).delete()
        if removed:
            change = -1
        else:
            try:
                with transaction.atomic():
                    HelpfulVote.objects.create(post=post, user=user)
            except IntegrityError:  # a double click raced us: the vote is there
                return True
            change = 1
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + change)
        Topic.objects.filter(pk=post.topic_id).update(helpful_count=F("helpful_count") + change)
        write.event("helpful.changed", post=post.pk)
        return change > 0
