"""Notification emails: one per notification, or one daily digest. Each speaks the
recipient's language and carries a one-click unsubscribe (RFC 8058) for its kind."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from forum.models import Notification

UNSUBSCRIBE_SALT = "forum.unsubscribe"
DIGEST = "digest"  # the unsubscribe "kind" that stops every daily email


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(*, user: User, setting: str) -> str:
    return signing.dumps({"u": user.pk, "s": setting}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, setting); raises signing.BadSignature for a forged or damaged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["s"])


def _unsubscribe_url(user: User, setting: str) -> str:
    with translation.override(user.language):
        path = reverse(
            "forum:unsubscribe", kwargs={"token": unsubscribe_token(user=user, setting=setting)}
        )
    return absolute(path)


def notification_path(notification: Notification) -> str:
    """Where a notification leads: its post, its topic, or (knowledge base) its link."""
    if notification.post_id:
        return notification.post.get_absolute_url()
    if notification.topic_id:
        return notification.topic.get_absolute_url()
    return notification.link or reverse("forum:notifications")


def _message(
    *, user: User, subject: str, body: str, unsubscribe_url: str
) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    setting = Notification.SETTING_FOR_KIND[notification.kind]
    unsubscribe_url = _unsubscribe_url(user, setting)
    with translation.override(user.language):
        context = {
            "notification": notification,
            "url": absolute(notification_path(notification)),
            "settings_url": absolute(reverse("forum:notification_settings")),
            "unsubscribe_url": unsubscribe_url,
            "recipient": user,
        }
        subject = " ".join(
            render_to_string("forum/email/notification_subject.txt", context).split()
        )
        body = render_to_string("forum/email/notification.txt", context)
    return _message(user=user, subject=subject, body=body, unsubscribe_url=unsubscribe_url)


def digest_email(user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    unsubscribe_url = _unsubscribe_url(user, DIGEST)
    with translation.override(user.language):
        context = {
            "notifications": [(n, absolute(notification_path(n))) for n in notifications],
            "count": len(notifications),
            "inbox_url": absolute(reverse("forum:notifications")),
            "settings_url": absolute(reverse("forum:notification_settings")),
            "unsubscribe_url": unsubscribe_url,
            "recipient": user,
        }
        subject = " ".join(render_to_string("forum/email/digest_subject.txt", context).split())
        body = render_to_string("forum/email/digest.txt", context)
    return _message(user=user, subject=subject, body=body, unsubscribe_url=unsubscribe_url)
