"""The programme's background work (django-tasks): the weekly email, sent once a week, and the
training sessions' reminders and evaluation invitations, run hourly."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from accounts import roles
from accounts.models import User
from forum.selectors import statistics
from programme import emails, services
from programme.models import WeeklyReport, WeeklyReportOptOut
from search import selectors as search_selectors

log = logging.getLogger(__name__)
SEND_FROM = datetime.time(7, 0)  # Monday morning, WIB
MONDAY = 0


def week_of(moment: datetime.datetime) -> str:
    year, week, _weekday = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def due(now: datetime.datetime) -> bool:
    local = timezone.localtime(now)
    return local.weekday() == MONDAY and local.time() >= SEND_FROM


@task()
def send_weekly_reports(*, force: bool = False) -> int:
    """The past seven days' unanswered questions and empty searches, to every coordinator who
    did not opt out. Once a week (run hourly: it sends on Monday from 07:00 WIB, once)."""
    now = timezone.now()
    if not (force or due(now)):
        return 0
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(week=week_of(now))
    except IntegrityError:
        return 0  # this week's went out already
    scope = statistics.Scope(start=now - datetime.timedelta(days=7), end=now)
    context = {
        "unanswered": statistics.unanswered(scope=scope, now=now),
        "searches": search_selectors.empty_searches(start=scope.start, end=scope.end, limit=15),
        "start": scope.start,
        "end": scope.end,
    }
    stopped = WeeklyReportOptOut.objects.values("user")
    coordinators = (
        User.objects.filter(is_active=True, groups__name=roles.COORDINATORS)
        .exclude(pk__in=stopped)
        .distinct()
    )
    sent = 0
    for user in coordinators:
        try:
            emails.weekly_email(user=user, context=context).send()
        except Exception:  # one refused address must not stop everyone else's email
            log.exception("weekly report: the email to user %s could not be sent", user.pk)
            continue
        sent += 1
    WeeklyReport.objects.filter(pk=report.pk).update(recipients=sent)
    return sent


@task()
def send_training_reminders() -> int:
    """Reminders of meetings that start within a day (run hourly; each reminder once)."""
    return services.reminders_send()


@task()
def invite_to_evaluations() -> int:
    """Invite attendees of sessions that just ended to the evaluation (each once)."""
    return services.evaluations_invite()
