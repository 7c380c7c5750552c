"""Notifications as a member meets them: the inbox and the header's count, reading them, email
settings, and the one-click unsubscribe link of an email."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from forum import emails, services
from forum.models import EmailFrequency, Notification, NotificationSettings
from tests.forum.factories import ReplyFactory, TopicFactory, create_member

pytestmark = pytest.mark.django_db


def indonesian(message: str, **values) -> str:
    with translation.override("id"):
        text = gettext(message)
    return text % values if values else text


def shows(response, text: str) -> bool:
    html = response.content.decode()
    return text in html or escape(text) in html


def bell(response) -> int:
    """The unread count in the header's Notifications link (0 when none is shown)."""
    link = re.search(
        rf'<a href="{reverse("forum:notifications")}" class="site-nav__bell">(.*?)</a>',
        response.content.decode(),
        re.S,
    )
    assert link, "no notifications link in the header"
    count = re.search(r'<span class="count">(\d+)', link.group(1))
    return int(count.group(1)) if count else 0


@pytest.fixture
def sari():
    return create_member(username="sari", name="Sari Wulandari")


@pytest.fixture
def topic(sari):
    return TopicFactory(author=sari, title="Pemustaka membawa makanan ke ruang baca")


@pytest.fixture
def reply(topic):
    """Budi answers Sari's question; Sari follows it since she asked."""
    return ReplyFactory(
        topic=topic,
        author=create_member(username="budi", name="Budi Santoso"),
        body="Sediakan pojok makan di luar.",
    )


def test_a_reply_appears_in_the_askers_notifications_and_the_header_counts_it(
    client, sari, topic, reply
):
    client.force_login(sari)

    response = client.get(reverse("forum:notifications"))

    assert response.status_code == 200
    assert bell(response) == 1
    item = re.search(
        r'<li class="notification notification--unread">.*?</li>', response.content.decode(), re.S
    )
    assert item, "no unread notification listed"
    text = indonesian("%(name)s replied to “%(title)s”", name="Budi Santoso", title=topic.title)
    assert escape(text) in item.group(0)
    assert f'href="{reply.get_absolute_url()}"' in item.group(0)


def test_reading_the_topic_reads_its_notifications(
    client, sari, topic, reply, django_capture_on_commit_callbacks
):
    client.force_login(sari)
    assert bell(client.get(reverse("forum:home"))) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.get(topic.get_absolute_url())

    assert bell(client.get(reverse("forum:home"))) == 0
    assert Notification.objects.get(recipient=sari).read_at is not None


def test_mark_all_as_read_empties_the_count(
    client, sari, topic, reply, django_capture_on_commit_callbacks
):
    ReplyFactory(topic=topic)
    client.force_login(sari)
    assert bell(client.get(reverse("forum:notifications"))) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:notifications_read"))

    assert response.status_code == 302
    inbox = client.get(response["Location"])
    assert bell(inbox) == 0
    assert 'class="notification notification--unread"' not in inbox.content.decode()
    assert 'class="notification"' in inbox.content.decode()  # still listed, as read


def test_notifications_need_signing_in(client):
    response = client.get(reverse("forum:notifications"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_notification_settings_are_saved(client, sari):
    client.force_login(sari)
    url = reverse("forum:notification_settings")
    chosen = {
        "replies": EmailFrequency.NEVER,
        "new_topics": EmailFrequency.DAILY,
        "mentions": EmailFrequency.IMMEDIATELY,
        "solutions": EmailFrequency.NEVER,
        "moderation": EmailFrequency.DAILY,
        "reviews": EmailFrequency.NEVER,
        "training": EmailFrequency.DAILY,
        "language": "en",
    }

    form = client.get(url)
    response = client.post(url, chosen)

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == url
    saved = NotificationSettings.objects.get(user=sari)
    assert {k: getattr(saved, k) for k in chosen if k != "language"} == {
        k: v for k, v in chosen.items() if k != "language"
    }
    sari.refresh_from_db()
    assert sari.language == "en"
    page = client.get(url)
    assert shows(page, indonesian("Your notification settings are saved."))
    assert re.search(r'name="replies" value="never"[^>]*checked', page.content.decode())


def test_an_unknown_notification_setting_is_refused(client, sari):
    client.force_login(sari)

    response = client.post(
        reverse("forum:notification_settings"),
        {
            "replies": "hourly",
            "new_topics": "daily",
            "mentions": "daily",
            "solutions": "daily",
            "moderation": "daily",
            "reviews": "daily",
            "language": "id",
        },
    )

    assert response.status_code == 400
    assert not NotificationSettings.objects.filter(user=sari).exists()


# --- One-click unsubscribe ----------------------------------------------------------------------


def unsubscribe_url(user, setting: str) -> str:
    return reverse("forum:unsubscribe", args=[emails.unsubscribe_token(user=user, setting=setting)])


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token(sari):
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(unsubscribe_url(sari, "mentions"))

    assert response.status_code == 200
    assert shows(
        response,
        indonesian(
            "Done: you will not get these emails any more. Notifications still appear on Serambi."
        ),
    )
    chosen = NotificationSettings.objects.get(user=sari)
    assert chosen.mentions == EmailFrequency.NEVER
    assert chosen.solutions == EmailFrequency.IMMEDIATELY  # only that kind


def test_opening_the_unsubscribe_link_asks_first_and_changes_nothing(client, sari):
    url = unsubscribe_url(sari, "replies")

    response = client.get(url)

    assert response.status_code == 200
    assert f'<form method="post" action="{url}">' in response.content.decode()
    assert not NotificationSettings.objects.filter(user=sari).exists()


def test_unsubscribing_from_the_digest_stops_every_daily_email(sari):
    services.notification_settings_update(
        user=sari, replies=EmailFrequency.DAILY, mentions=EmailFrequency.IMMEDIATELY
    )

    Client(enforce_csrf_checks=True).post(unsubscribe_url(sari, emails.DIGEST))

    chosen = NotificationSettings.objects.get(user=sari)
    assert (chosen.replies, chosen.new_topics) == (EmailFrequency.NEVER, EmailFrequency.NEVER)
    assert chosen.mentions == EmailFrequency.IMMEDIATELY


@pytest.mark.parametrize("damage", ["forged", "unknown kind", "someone gone"])
def test_a_forged_or_stale_unsubscribe_link_is_refused(client, sari, damage):
    url = unsubscribe_url(sari, "replies")
    if damage == "forged":
        url = url.replace(url.rstrip("/").rsplit(":", 1)[-1], "AAAAAAAAAAAAAAAAAAAAAAAAAAA")
    elif damage == "unknown kind":
        url = unsubscribe_url(sari, "everything")
    else:
        sari.is_active = False
        sari.save(update_fields=["is_active"])

    response = client.post(url)

    assert response.status_code == 400
    assert shows(
        response,
        indonesian(
            "This unsubscribe link is not valid. Change your email settings after signing in "
            "instead."
        ),
    )
    assert not NotificationSettings.objects.filter(user=sari).exists()


def test_the_unsubscribe_link_in_a_notification_email_turns_that_email_off(
    sari, topic, mailoutbox, django_capture_on_commit_callbacks
):
    services.notification_settings_update(user=sari, replies=EmailFrequency.IMMEDIATELY)

    with django_capture_on_commit_callbacks(execute=True):
        ReplyFactory(topic=topic)

    [mail] = mailoutbox
    link = re.fullmatch(r"<https?://[^/]+(/\S+)>", mail.extra_headers["List-Unsubscribe"])
    assert link, mail.extra_headers
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Client(enforce_csrf_checks=True).post(link.group(1)).status_code == 200
    assert NotificationSettings.objects.get(user=sari).replies == EmailFrequency.NEVER
