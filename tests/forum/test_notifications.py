"""Who hears about what, in the app and by email, and how a member stops the emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from forum import emails, selectors, services
from forum.models import Category, EmailFrequency, Notification, NotificationSettings, Topic
from forum.tasks import send_daily_digests, send_notification_emails
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_followers_of_a_topic_hear_of_replies_but_not_the_replier(topic, asker, colleague):
    services.reply_create(author=colleague, topic=topic, body="Coba pengingat WA.")
    assert kinds(asker) == [Kind.REPLY]
    assert kinds(colleague) == []


def test_unfollowing_stops_reply_notifications_even_after_replying(topic, asker, colleague):
    services.topic_subscription_set(user=asker, topic=topic, subscribed=False)
    services.reply_create(author=asker, topic=topic, body="Tambahan dari saya.")
    services.reply_create(author=colleague, topic=topic, body="Jawaban.")
    assert kinds(asker) == []  # chose off; replying did not turn it back on


def test_a_mention_notifies_once_even_if_also_following(topic, asker, colleague):
    services.reply_create(author=colleague, topic=topic, body="Bagaimana menurut @sari?")
    assert kinds(asker) == [Kind.MENTION]


def test_an_unknown_mention_notifies_nobody(topic, colleague):
    services.reply_create(author=colleague, topic=topic, body="Tanya @tidakada ya.")
    assert Notification.objects.filter(kind=Kind.MENTION).count() == 0


def test_a_mention_added_by_an_edit_notifies_only_the_new_name(topic, asker, colleague):
    reply = services.reply_create(author=colleague, topic=topic, body="Halo @sari")
    andi = member(username="andi")
    services.post_edit(post=reply, editor=colleague, body="Halo @sari dan @andi")
    assert kinds(andi) == [Kind.MENTION]
    assert kinds(asker).count(Kind.MENTION) == 1


def test_followers_of_a_category_or_tag_hear_of_new_questions(asker, category):
    by_category, by_tag = member(), member()
    services.category_subscription_set(user=by_category, category=category, subscribed=True)
    topic = services.topic_create(
        author=asker,
        category=Category.objects.get(slug="teknologi-informasi"),
        title="SLiMS tidak bisa dibuka setelah pindah server",
        body="Galat basis data.",
        tags=["slims"],
    )
    assert kinds(by_category) == []  # another category
    services.tag_subscription_set(user=by_tag, tag=topic.tags.get(), subscribed=True)
    services.topic_create(
        author=asker,
        category=category,
        title="SLiMS lambat saat jam sibuk layanan",
        body="Bagaimana mempercepat?",
        tags=["slims"],
    )
    assert kinds(by_category) == [Kind.NEW_TOPIC]
    assert kinds(by_tag) == [Kind.NEW_TOPIC]


def test_the_unread_count_follows_notifications_and_reading(
    topic, asker, colleague, django_capture_on_commit_callbacks
):
    assert selectors.unread_count(user=asker) == 0
    with django_capture_on_commit_callbacks(execute=True):  # as at the end of a request
        services.reply_create(author=colleague, topic=topic, body="Satu.")
        services.reply_create(author=colleague, topic=topic, body="Dua.")
    assert selectors.unread_count(user=asker) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_mark_read_for_topic(user=asker, topic=topic)
    assert selectors.unread_count(user=asker) == 0


def test_immediate_emails_go_out_after_commit_in_the_recipients_language(
    topic, asker, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=asker, replies=EmailFrequency.IMMEDIATELY)
    asker.language = "en"
    asker.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(author=colleague, topic=topic, body="Kirim pengingat **WA**.")
        assert mailoutbox == []  # not before the reply is committed
    [mail] = mailoutbox
    assert mail.to == [asker.email]
    assert (
        mail.subject
        == "[Serambi] Budi Santoso replied to “Pemustaka selalu terlambat mengembalikan buku”"
    )
    assert "/en/forum/p/" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/en/forum/notifications/unsubscribe/" in mail.extra_headers["List-Unsubscribe"]


def test_indonesian_is_the_default_language_of_emails(
    topic, asker, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=asker, replies=EmailFrequency.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(author=colleague, topic=topic, body="Jawaban.")
    [mail] = mailoutbox
    assert "membalas" in mail.subject


def test_never_means_no_email_but_the_notification_stays(
    topic, asker, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=asker, replies=EmailFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(author=colleague, topic=topic, body="Jawaban.")
    assert mailoutbox == []
    assert kinds(asker) == [Kind.REPLY]


def test_the_daily_digest_gathers_unread_notifications_once_a_day(
    topic, asker, colleague, mailoutbox
):
    services.reply_create(author=colleague, topic=topic, body="Satu.")  # replies: daily by default
    services.reply_create(author=colleague, topic=topic, body="Dua.")
    assert mailoutbox == []
    assert send_daily_digests.call() == 1
    [digest] = mailoutbox
    assert digest.to == [asker.email]
    assert digest.body.count("Budi Santoso membalas") == 2
    assert send_daily_digests.call() == 0  # nothing new
    services.reply_create(author=colleague, topic=topic, body="Tiga.")
    assert send_daily_digests.call() == 0  # not yet a day since the last one
    NotificationSettings.objects.filter(user=asker).update(
        last_digest_at=timezone.now() - timedelta(hours=24)
    )
    assert send_daily_digests.call() == 1


def test_the_digest_skips_what_was_already_read_on_the_site(topic, asker, colleague, mailoutbox):
    services.reply_create(author=colleague, topic=topic, body="Satu.")
    services.notification_mark_read(user=asker)
    assert send_daily_digests.call() == 0
    assert mailoutbox == []


def test_one_click_unsubscribe_stops_that_email_without_signing_in(asker):
    token = emails.unsubscribe_token(user=asker, setting="mentions")
    url = reverse("forum:unsubscribe", kwargs={"token": token})
    client = Client(enforce_csrf_checks=True)  # a mail program: no session, no CSRF token
    assert client.get(url).status_code == 200  # a confirmation page; GET changes nothing
    assert not NotificationSettings.objects.filter(user=asker).exists()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert NotificationSettings.objects.get(user=asker).mentions == EmailFrequency.NEVER


def test_unsubscribing_from_the_digest_stops_every_daily_kind(asker):
    token = emails.unsubscribe_token(user=asker, setting=emails.DIGEST)
    Client().post(reverse("forum:unsubscribe", kwargs={"token": token}))
    chosen = NotificationSettings.objects.get(user=asker)
    assert (chosen.replies, chosen.new_topics) == (EmailFrequency.NEVER, EmailFrequency.NEVER)
    assert chosen.mentions == EmailFrequency.IMMEDIATELY  # not a daily kind: unchanged


def test_a_forged_unsubscribe_token_is_refused(asker):
    token = emails.unsubscribe_token(user=asker, setting="mentions")[:-2] + "xx"
    response = Client().post(reverse("forum:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400
    assert not NotificationSettings.objects.filter(user=asker).exists()


class RefusingBackend(EmailBackend):
    """A mail server that refuses one address, as a real one does for a dead mailbox."""

    def send_messages(self, messages):
        if any(m.to[0].startswith("bounce") for m in messages):
            raise OSError("550 no such mailbox")
        return super().send_messages(messages)


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
