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
from forum.services.notifications import still_visible

log = logging.getLogger(__name__)
DIGEST_EVERY = timedelta(hours=23)  # "daily", with room for the schedule's drift


def _with_related(notifications):
    return notifications.select_related(
        "recipient", "actor", "topic__category", "post__topic"
    ).order_by("created_at")


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email notifications whose recipients asked for them immediately."""
    sent = 0
    pending = _with_related(Notification.objects.filter(pk__in=notification_ids, emailed_at=None))
    for notification in pending:
        if not still_visible(notification):
            continue
        try:
            emails.notification_email(notification).send()
        except Exception:  # one refused address must not stop everyone else's email
            log.exception("notification %s: the email could not be sent", notification.pk)
            continue
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
    # order_by(): the model's ordering would make DISTINCT return a member per notification.
    for user_id in due.order_by().values_list("recipient", flat=True).distinct():
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
            # Already seen on the site, or about what has been hidden since: left out.
            fresh = [n for n in items if n.read_at is None and still_visible(n)]
            if fresh:
                try:
                    emails.digest_email(user, fresh).send()
                except Exception:
                    log.exception("daily digest of member %s could not be sent", user.pk)
                    continue  # due again at the next run
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_due=False, emailed_at=now
            )

            NotificationSettings.objects.update_or_create(
                user=user, defaults={"last_digest_at": now}
            )
    log.info("daily digests sent: %d", sent)
    return sent
