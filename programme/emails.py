"""The weekly email to the coordinators: the week's unanswered questions and the searches that
found nothing, in each coordinator's language, as plain text like the forum's digest, with a
one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

UNSUBSCRIBE_SALT = "programme.weekly.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    """The user's id; raises signing.BadSignature for a forged or damaged token."""
    return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])


def weekly_email(*, user, context: dict) -> EmailMessage:
    with translation.override(user.language):
        unsubscribe = settings.SITE_URL + reverse(
            "programme:unsubscribe", kwargs={"token": unsubscribe_token(user)}
        )
        context = {
            **context,
            "user": user,
            "site_url": settings.SITE_URL,
            "insight_url": settings.SITE_URL + reverse("programme:insight"),
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string("programme/email/weekly_subject.txt", context).strip()
        body = render_to_string("programme/email/weekly.txt", context)
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return message
