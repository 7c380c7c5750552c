"""Marking what solved a question, and helpful votes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from forum import services
from forum.models import ModerationLog, Notification
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(topic, colleague):
    return services.reply_create(author=colleague, topic=topic, body="Kirim pengingat WA.")


def test_the_asker_marks_the_reply_that_solved_it(topic, asker, reply, colleague):
    services.topic_mark_solution(topic=topic, post=reply, by=asker)
    topic.refresh_from_db()
    assert topic.is_solved and topic.solution == reply
    assert (topic.solved_by, topic.solved_at is not None) == (asker, True)
    assert Notification.objects.filter(recipient=colleague, kind="solution").exists()
    assert not ModerationLog.objects.exists()  # the asker's own choice is not moderation


def test_a_moderator_marks_for_anyone_and_it_is_logged(topic, reply, moderator):
    services.topic_mark_solution(topic=topic, post=reply, by=moderator)
    topic.refresh_from_db()
    assert topic.solution == reply
    assert ModerationLog.objects.get().action == ModerationLog.Action.MARK_SOLUTION


def test_a_stranger_cannot_mark_a_solution(topic, reply):
    with pytest.raises(PermissionDenied):
        services.topic_mark_solution(topic=topic, post=reply, by=member())
    topic.refresh_from_db()
    assert not topic.is_solved


def test_the_question_itself_cannot_be_the_solution(topic, asker):
    with pytest.raises(PermissionDenied):
        services.topic_mark_solution(topic=topic, post=topic.posts.get(position=1), by=asker)


def test_a_reply_of_another_topic_cannot_be_the_solution(topic, asker, category, colleague):
    other = services.topic_create(
        author=colleague, category=category, title="Topik lain sama sekali", body="Isi."
    )
    elsewhere = services.reply_create(author=asker, topic=other, body="Jawaban di topik lain.")
    with pytest.raises(PermissionDenied):
        services.topic_mark_solution(topic=topic, post=elsewhere, by=asker)


def test_unmarking_opens_the_topic_again(topic, asker, reply):
    services.topic_mark_solution(topic=topic, post=reply, by=asker)
    services.topic_unmark_solution(topic=topic, by=asker)
    topic.refresh_from_db()
    assert (topic.solution, topic.solved_at, topic.solved_by) == (None, None, None)


def test_choosing_another_solution_replaces_the_first(topic, asker, reply):
    better = services.reply_create(author=member(), topic=topic, body="Pekan bebas denda.")
    services.topic_mark_solution(topic=topic, post=reply, by=asker)
    services.topic_mark_solution(topic=topic, post=better, by=asker)
    topic.refresh_from_db()
    assert topic.solution == better


def test_hiding_or_deleting_the_solution_unmarks_it(topic, asker, reply, colleague, moderator):
    services.topic_mark_solution(topic=topic, post=reply, by=asker)
    services.post_delete(post=reply, by=colleague)
    topic.refresh_from_db()
    assert not topic.is_solved
    other = services.reply_create(author=member(), topic=topic, body="Jawaban lain.")
    services.topic_mark_solution(topic=topic, post=other, by=asker)
    services.post_hide(post=other, by=moderator, reason="spam")
    topic.refresh_from_db()
    assert not topic.is_solved


def test_a_helpful_vote_toggles_and_counts(topic, asker, reply):
    assert services.post_toggle_helpful(post=reply, user=asker) is True
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert (reply.helpful_count, topic.helpful_count) == (1, 1)
    assert services.post_toggle_helpful(post=reply, user=asker) is False
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert (reply.helpful_count, topic.helpful_count) == (0, 0)


def test_nobody_votes_for_their_own_post(reply, colleague):
    with pytest.raises(PermissionDenied):
        services.post_toggle_helpful(post=reply, user=colleague)
