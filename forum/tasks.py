"""Background work (django-tasks): run at once in the embedded default, by `manage.py
db_worker` in production."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from forum import emails
from forum.models import Notification, NotificationSettings

log = logging.getLogger(__name__)
DIGEST_EVERY = timedelta(hours=23)  # "daily", with room for the schedule's drift


def _with_related(notifications):
    return notifications.select_related(
        "recipient", "actor", "topic", "post", "post__topic"
    ).order_by("created_at")


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email notifications whose recipients asked for them immediately."""
    sent = 0
    pending = _with_related(Notification.objects.filter(pk__in=notification_ids, emailed_at=None))
    for notification in pending:
        emails.notification_email(notification).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def send_daily_digests() -> int:
    """One email per member with everything gathered for their digest since the last one.
    Run it hourly (compose's scheduler does): each member gets at most one a day."""
    now = timezone.now()
    due = Notification.objects.filter(email_due=True, emailed_at=None)
    sent = 0
    for user_id in due.values_list("recipient", flat=True).distinct():
        with transaction.atomic():
            # of=("self",): PostgreSQL cannot lock the nullable joined rows, nor need we.
            items = list(
                _with_related(due.filter(recipient_id=user_id).select_for_update(of=("self",)))
            )
            if not items:
                continue
            user = items[0].recipient
            settings_row = getattr(user, "notification_settings", None)
            last = settings_row.last_digest_at if settings_row else None
            if last and now - last < DIGEST_EVERY:
                continue
            fresh = [n for n in items if n.read_at is None]  # already seen on the site: skip
            if fresh:
                emails.digest_email(user, fresh).send()
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_due=False, emailed_at=now
            )

            NotificationSettings.objects.update_or_create(
                user=user, defaults={"last_digest_at": now}
            )
    log.info("daily digests sent: %d", sent)
    return sent
