"""Moderators' actions and members' flags."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from forum import services
from forum.models import Category, Flag, ModerationLog, Notification, Topic, TopicState
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db


def test_pin_lock_and_move_are_logged_and_the_author_hears_of_the_move(topic, asker, moderator):
    elsewhere = Category.objects.get(slug="manajemen-perpustakaan")
    services.topic_set_pinned(topic=topic, by=moderator, pinned=True)
    services.topic_set_locked(topic=topic, by=moderator, locked=True)
    services.topic_move(topic=topic, category=elsewhere, by=moderator)
    topic.refresh_from_db()
    assert (topic.is_pinned, topic.is_locked, topic.category) == (True, True, elsewhere)
    actions = list(ModerationLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["pin", "lock", "move"]
    elsewhere.refresh_from_db()
    assert elsewhere.topic_count == 1
    assert Category.objects.get(slug="layanan-pemustaka").topic_count == 0
    note = Notification.objects.get(recipient=asker, kind="moderation")
    assert (note.action, note.message) == ("move", elsewhere.name)


def test_only_moderators_moderate(topic, colleague):
    for action in (
        lambda: services.topic_set_pinned(topic=topic, by=colleague, pinned=True),
        lambda: services.topic_set_locked(topic=topic, by=colleague, locked=True),
        lambda: services.post_hide(post=topic.posts.get(), by=colleague),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert not ModerationLog.objects.exists()


def test_merging_moves_the_posts_after_the_targets_own(
    topic, asker, colleague, moderator, category
):
    duplicate = services.topic_create(
        author=colleague,
        category=category,
        title="Pemustaka telat mengembalikan buku",
        body="Pertanyaan yang sama.",
    )
    services.reply_create(author=asker, topic=duplicate, body="Jawaban di duplikat.")
    services.reply_create(author=colleague, topic=topic, body="Jawaban di topik asli.")
    follower = member()
    services.topic_subscription_set(user=follower, topic=duplicate, subscribed=True)

    services.topic_merge(source=duplicate, target=topic, by=moderator)

    topic.refresh_from_db()
    duplicate.refresh_from_db()
    sources = list(topic.posts.order_by("position").values_list("position", "source"))
    assert sources == [
        (1, "Apa yang sudah berhasil di perpustakaan Anda?"),
        (2, "Jawaban di topik asli."),
        (3, "Pertanyaan yang sama."),
        (4, "Jawaban di duplikat."),
    ]
    assert (topic.last_position, topic.reply_count) == (4, 3)
    assert duplicate.merged_into == topic and not duplicate.is_visible
    assert TopicState.objects.get(user=follower, topic=topic).subscribed
    category.refresh_from_db()
    assert category.topic_count == 1


def test_a_topic_cannot_merge_into_itself(topic, moderator):
    with pytest.raises(ValidationError):
        services.topic_merge(source=topic, target=topic, by=moderator)


def test_hiding_a_question_hides_its_topic_and_unhiding_brings_it_back(
    topic, asker, moderator, category
):
    question = topic.posts.get()
    services.post_hide(post=question, by=moderator, reason="Iklan")
    topic.refresh_from_db()
    category.refresh_from_db()
    assert not topic.is_visible and category.topic_count == 0
    note = Notification.objects.get(recipient=asker, kind="moderation")
    assert (note.action, note.message) == ("hide", "Iklan")
    services.post_unhide(post=question, by=moderator)
    topic.refresh_from_db()
    assert topic.is_visible


def test_a_flag_is_taken_once_while_open(topic, colleague):
    question = topic.posts.get()
    first = services.flag_create(post=question, by=colleague, reason="spam")
    again = services.flag_create(post=question, by=colleague, reason="rude")
    assert first == again and Flag.objects.count() == 1


def test_members_cannot_flag_their_own_post_or_use_unknown_reasons(topic, asker, colleague):
    question = topic.posts.get()
    with pytest.raises(PermissionDenied):
        services.flag_create(post=question, by=asker, reason="spam")
    with pytest.raises(ValidationError):
        services.flag_create(post=question, by=colleague, reason="boring")


def test_resolving_flags_by_hiding_or_dismissing(topic, colleague, moderator):
    question = topic.posts.get()
    reply = services.reply_create(author=colleague, topic=topic, body="Beli obat murah di sini")
    services.flag_create(post=reply, by=member(), reason="spam")
    services.flag_create(post=question, by=colleague, reason="off_topic")

    services.flags_resolve(post=reply, by=moderator, hide=True, reason="Spam")
    services.flags_resolve(post=question, by=moderator, hide=False)

    reply.refresh_from_db()
    assert reply.is_hidden
    assert Flag.objects.get(post=reply).resolution == Flag.Resolution.HIDDEN
    assert Flag.objects.get(post=question).resolution == Flag.Resolution.DISMISSED
    assert not Flag.objects.filter(resolved_at=None).exists()
    actions = set(ModerationLog.objects.values_list("action", flat=True))
    assert actions == {"hide", "dismiss_flags"}


def test_a_merged_topic_takes_no_reply(topic, colleague, moderator, category):
    duplicate = services.topic_create(
        author=colleague, category=category, title="Duplikat dari topik lain", body="Isi."
    )
    services.topic_merge(source=duplicate, target=topic, by=moderator)
    with pytest.raises(PermissionDenied):
        services.reply_create(
            author=colleague, topic=Topic.objects.get(pk=duplicate.pk), body="Telat."
        )


def test_a_merge_into_a_members_only_topic_does_not_name_it_to_visitors(topic, asker, moderator):
    closed = Category.objects.create(slug="rapat", name="Rapat", colour="grey", members_only=True)
    secret = services.topic_create(
        author=asker, category=closed, title="Gaji honorer belum dibayar", body="Rahasia."
    )
    services.topic_merge(source=topic, target=secret, by=moderator)
    response = Client().get(f"/forum/t/{topic.pk}/")
    assert response.status_code == 404
    assert "gaji-honorer" not in response.get("Location", "")


def test_merging_keeps_followers_and_unsolves_the_source(
    topic, asker, colleague, moderator, category
):
    duplicate = services.topic_create(
        author=colleague, category=category, title="Duplikat dengan solusi", body="Isi."
    )
    answer = services.reply_create(author=asker, topic=duplicate, body="Jawaban.")
    services.topic_mark_solution(topic=duplicate, post=answer, by=colleague)
    follower = member()
    services.topic_subscription_set(user=follower, topic=duplicate, subscribed=True)
    services.topic_mark_read(user=follower, topic=topic, position=1, known_position=None)

    services.topic_merge(source=duplicate, target=topic, by=moderator)

    duplicate.refresh_from_db()
    assert (duplicate.solution, duplicate.solved_at, duplicate.solved_by) == (None, None, None)
    services.reply_create(author=asker, topic=Topic.objects.get(pk=topic.pk), body="Baru.")
    assert Notification.objects.filter(recipient=follower, kind="reply").exists()
