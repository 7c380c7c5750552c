"""Asking, replying, editing and deleting, as the services do them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from forum import services
from forum.models import Category, Post, Topic, TopicState
from forum.ratelimits import RateLimited
from tests.factories import UserFactory
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db


def test_asking_creates_the_topic_its_question_and_the_askers_subscription(topic, asker, category):
    question = topic.posts.get()
    assert question.position == 1 and question.author == asker
    assert "<p>Apa yang sudah berhasil" in question.html
    assert sorted(t.name for t in topic.tags.all()) == ["keterlambatan", "sirkulasi"]
    assert TopicState.objects.get(user=asker, topic=topic).subscribed is True
    category.refresh_from_db()
    assert (category.topic_count, category.last_topic) == (1, topic)
    assert topic.slug == "pemustaka-selalu-terlambat-mengembalikan-buku"


def test_a_reply_is_numbered_and_moves_the_counters(topic, colleague, category):
    reply = services.reply_create(author=colleague, topic=topic, body="Kirim pengingat lewat WA.")
    topic.refresh_from_db()
    category.refresh_from_db()
    assert reply.position == 2
    assert (topic.reply_count, topic.last_post, topic.last_position) == (1, reply, 2)
    assert topic.last_activity_at == reply.created_at
    assert category.reply_count == 1
    assert TopicState.objects.get(user=colleague, topic=topic).subscribed is True


def test_the_first_answer_by_someone_else_is_recorded_for_the_evaluation(topic, asker, colleague):
    services.reply_create(author=asker, topic=topic, body="Tambahan: dendanya Rp500 per hari.")
    topic.refresh_from_db()
    assert topic.first_answered_at is None  # the asker's own addition is not an answer
    answer = services.reply_create(author=colleague, topic=topic, body="Coba pengingat WA.")
    later = services.reply_create(author=member(), topic=topic, body="Atau pekan bebas denda.")
    topic.refresh_from_db()
    assert (topic.first_answered_at, topic.first_answered_by) == (answer.created_at, colleague)
    assert later.created_at >= topic.first_answered_at


@pytest.mark.parametrize(
    ("title", "code"),
    [("Pendek", "title_length"), ("x" * 201, "title_length"), ("   " * 5, "title_length")],
)
def test_titles_outside_the_limits_are_refused(asker, category, title, code):
    with pytest.raises(ValidationError) as error:
        services.topic_create(author=asker, category=category, title=title, body="Isi.")
    assert error.value.code == code
    assert not Topic.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t  ", "x" * 50_001])
def test_empty_whitespace_or_overlong_bodies_are_refused(topic, colleague, body):
    with pytest.raises(ValidationError):
        services.reply_create(author=colleague, topic=topic, body=body)
    assert topic.posts.count() == 1


def test_more_than_five_tags_are_refused(asker, category):
    with pytest.raises(ValidationError, match="5"):
        services.topic_create(
            author=asker,
            category=category,
            title="Pertanyaan dengan banyak tag",
            body="Isi.",
            tags=["a1", "b2", "c3", "d4", "e5", "f6"],
        )


def test_tags_are_normalised_and_deduplicated(asker, category):
    topic = services.topic_create(
        author=asker,
        category=category,
        title="Tag ditulis dengan cara berbeda",
        body="Isi.",
        tags=["#SLiMS", "slims", "Layanan Prima"],
    )
    assert sorted(t.name for t in topic.tags.all()) == ["layanan-prima", "slims"]


def test_a_member_without_the_librarian_role_cannot_ask(category):
    unverified = UserFactory()  # no Librarians role: email not verified
    with pytest.raises(PermissionDenied):
        services.topic_create(
            author=unverified, category=category, title="Boleh saya bertanya?", body="Isi."
        )


def test_a_locked_topic_takes_no_reply_but_a_moderator_may_answer(topic, colleague, moderator):
    services.topic_set_locked(topic=topic, by=moderator, locked=True)
    with pytest.raises(PermissionDenied):
        services.reply_create(author=colleague, topic=topic, body="Masih boleh?")
    services.reply_create(author=moderator, topic=topic, body="Topik ini dikunci.")
    assert topic.posts.count() == 2


def test_editing_keeps_the_earlier_version(topic, asker):
    question = topic.posts.get()
    services.post_edit(
        post=question,
        editor=asker,
        body="Isi baru yang lebih jelas.",
        title="Pemustaka terlambat mengembalikan buku setiap bulan",
        tags=["denda"],
    )
    question.refresh_from_db()
    topic.refresh_from_db()
    assert question.source == "Isi baru yang lebih jelas."
    assert question.edited_at is not None and question.revision_count == 1
    [revision] = question.revisions.all()
    assert revision.source == "Apa yang sudah berhasil di perpustakaan Anda?"
    assert revision.title == "Pemustaka selalu terlambat mengembalikan buku"
    assert topic.title == "Pemustaka terlambat mengembalikan buku setiap bulan"
    assert [t.name for t in topic.tags.all()] == ["denda"]


def test_only_the_author_edits(topic, colleague, moderator):
    question = topic.posts.get()
    for stranger in (colleague, moderator):
        with pytest.raises(PermissionDenied):
            services.post_edit(post=question, editor=stranger, body="Diubah orang lain")
    question.refresh_from_db()
    assert question.revision_count == 0


def test_deleting_is_soft_and_uncounts_the_reply(topic, colleague):
    reply = services.reply_create(author=colleague, topic=topic, body="Jawaban yang salah.")
    services.post_delete(post=reply, by=colleague)
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.is_deleted and Post.objects.filter(pk=reply.pk).exists()
    assert topic.reply_count == 0


def test_a_question_taken_back_before_any_answer_leaves_the_lists(topic, asker, category):
    services.post_delete(post=topic.posts.get(), by=asker)
    topic.refresh_from_db()
    category.refresh_from_db()
    assert not topic.is_visible
    assert category.topic_count == 0


def test_a_new_account_is_held_to_two_questions_an_hour(category):
    newcomer = UserFactory(librarian=True)  # joined just now
    for n in range(2):
        services.topic_create(
            author=newcomer, category=category, title=f"Pertanyaan nomor {n} saya", body="Isi."
        )
    with pytest.raises(RateLimited) as limited:
        services.topic_create(
            author=newcomer, category=category, title="Pertanyaan ketiga saya", body="Isi."
        )
    assert limited.value.minutes >= 1
    assert Topic.objects.filter(author=newcomer).count() == 2


def test_an_established_member_may_post_more(topic):
    veteran = member(date_joined=timezone.now() - timedelta(days=400))
    for n in range(6):
        services.reply_create(author=veteran, topic=topic, body=f"Balasan {n}")
    assert topic.posts.count() == 7


def test_the_author_removes_an_attachment_and_its_file_goes_after_commit(
    topic, asker, django_capture_on_commit_callbacks, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    upload = services.attachment_upload(
        uploader=asker, file=SimpleUploadedFile("meja.png", buffer.getvalue())
    )
    question = topic.posts.get()
    services.post_edit(
        post=question, editor=asker, body=question.source, attachment_ids=[upload.pk]
    )
    question.refresh_from_db()
    assert question.attachment_count == 1
    stored = tmp_path / upload.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(
            post=question, editor=asker, body=question.source, remove_attachment_ids=[upload.pk]
        )
    question.refresh_from_db()
    assert question.attachment_count == 0 and not question.attachments.exists()
    assert not stored.exists()
    assert question.revision_count == 0  # the text did not change: no new version


def test_a_reply_moves_its_category_by_one_and_the_housekeeping_recount_agrees(topic, colleague):
    category = Category.objects.get(pk=topic.category_id)
    before = (category.topic_count, category.reply_count)
    services.reply_create(author=colleague, topic=topic, body="Jawaban pertama.")
    services.reply_create(author=colleague, topic=topic, body="Jawaban kedua.")
    category.refresh_from_db()
    moved = (category.topic_count, category.reply_count, category.last_topic_id)
    Category.objects.filter(pk=category.pk).update(reply_count=99)  # drifted somehow

    call_command("forum_housekeeping", stdout=io.StringIO())

    category.refresh_from_db()
    assert moved == (before[0], before[1] + 2, topic.pk)
    assert category.reply_count == before[1] + 2
