"""What an independent review found, kept from coming back: hidden content leaking through
notifications, caches and redirects; counters and followers lost in a merge; one bad address
stopping every email; odd input."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, override_settings
from PIL import Image

from forum import services
from forum.models import Category, EmailFrequency, Notification, NotificationSettings, Topic
from forum.tasks import send_daily_digests, send_notification_emails
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """A mail server that refuses one address, as a real one does for a dead mailbox."""

    def send_messages(self, messages):
        if any(m.to[0].startswith("bounce") for m in messages):
            raise OSError("550 no such mailbox")
        return super().send_messages(messages)


def png_upload(name="meja.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_hidden_topic_reaches_no_follower_by_reply_digest_or_inbox(topic, asker, moderator):
    follower = member()
    services.topic_subscription_set(user=follower, topic=topic, subscribed=True)
    services.reply_create(author=asker, topic=topic, body="Tambahan.")  # daily digest due
    services.post_hide(post=topic.posts.get(position=1), by=moderator, reason="Spam")

    services.reply_create(author=asker, topic=Topic.objects.get(pk=topic.pk), body="Lagi.")
    assert Notification.objects.filter(recipient=follower).count() == 1  # only the first

    assert send_daily_digests.call() == 0
    client = Client()
    client.force_login(follower)
    assert topic.title not in client.get("/forum/notifications/").content.decode()


def test_one_refused_address_does_not_stop_the_others(
    topic, asker, django_capture_on_commit_callbacks
):
    followers = [member(email=f"{'bounce' if n == 0 else 'ok'}{n}@contoh.test") for n in range(3)]
    for person in followers:
        NotificationSettings.objects.create(user=person, replies=EmailFrequency.IMMEDIATELY)
        services.topic_subscription_set(user=person, topic=topic, subscribed=True)
    services.reply_create(author=asker, topic=topic, body="Jawaban.")
    ids = list(Notification.objects.values_list("pk", flat=True))

    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"):
        sent = send_notification_emails.call(ids)
    assert sent == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_attachments_not_everyone_may_see_are_not_kept_by_shared_caches(
    topic, asker, colleague, moderator, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    upload = services.attachment_upload(uploader=colleague, file=png_upload())
    reply = services.reply_create(
        author=colleague, topic=topic, body="Lihat foto.", attachment_ids=[upload.pk]
    )
    url = upload.get_absolute_url()
    assert Client().get(url)["Cache-Control"] == "public, max-age=86400"
    services.post_hide(post=reply, by=moderator)
    owner = Client()
    owner.force_login(colleague)
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_merge_into_a_members_only_topic_does_not_name_it_to_visitors(topic, asker, moderator):
    closed = Category.objects.create(slug="rapat", name="Rapat", colour="grey", members_only=True)
    secret = services.topic_create(
        author=asker, category=closed, title="Gaji honorer belum dibayar", body="Rahasia."
    )
    services.topic_merge(source=topic, target=secret, by=moderator)
    response = Client().get(f"/forum/t/{topic.pk}/")
    assert response.status_code in {403, 404}
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


@pytest.mark.parametrize(
    "path",
    ["/search/?q=ab%00cd", "/forum/tags/suggest/?q=ab%00", "/forum/u/a%00b/", "/members/a%00b/"],
)
def test_a_nul_character_is_a_400(client, path):
    assert client.get(path).status_code == 400


def test_language_links_stay_on_this_site(rf):
    from config.context_processors import languages

    request = rf.get("/")
    request.path = "//evil.example/x"  # as a server passes such a path on (the client cannot)
    links = {link["code"]: link["path"] for link in languages(request)["alternate_languages"]()}
    assert links == {"id": "/evil.example/x", "en": "/en/evil.example/x"}


def test_search_costs_the_same_whatever_the_number_of_solved_results(
    client, django_assert_max_num_queries
):
    for n in range(6):
        asker, helper = member(), member()
        found = services.topic_create(
            author=asker,
            category=Category.objects.get(slug="layanan-pemustaka"),
            title=f"Keterlambatan nomor {n} di layanan",
            body="Isi.",
        )
        answer = services.reply_create(author=helper, topic=found, body="Coba @budi dan @sari.")
        services.topic_mark_solution(topic=found, post=answer, by=asker)
    with django_assert_max_num_queries(6):
        assert len(client.get("/search/?q=keterlambatan").context["results"]) == 6
