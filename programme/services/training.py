"""Training sessions' writes: registration and its waiting list, attendance, certificates,
evaluations, reminders and calendar feeds.

Places are counted in TrainingSession.seats_taken. Every write that moves it first locks the
session's row (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take the
database's write lock), so concurrent registrations and cancellations of one session run one
after the other and a session is never overfilled."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from forum import permissions as forum_permissions
from forum.models import Notification
from forum.services import notifications, posting
from programme import selectors
from programme.models import (
    Attendance,
    CalendarFeed,
    Certificate,
    Evaluation,
    Meeting,
    MeetingReminder,
    Registration,
    TrainingSession,
)
from programme.models.training import new_token

log = logging.getLogger(__name__)
REMIND_AHEAD = timedelta(hours=24)
Status = Registration.Status


class RegistrationRefused(Exception):
    """A registration or check-in that the rules refuse; `message` is for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _notify(user: User, session: TrainingSession, *, action: str, message: str = "") -> None:
    notifications.notify(
        recipients=[user],
        kind=Notification.Kind.TRAINING,
        actor=None,
        action=action,
        subject=session.title,
        message=message,
        link=session.get_absolute_url(),
    )


# --- The session ---------------------------------------------------------------------------------


@transaction.atomic
def session_saved(*, session: TrainingSession, by: User) -> TrainingSession:
    """After a coordinator saves a session: its dates from its meetings, its discussion topic
    in the forum (made once), and places freed by a larger capacity given to the waiting list."""
    # From the database: a ClusterableModel's relation may still hold the form's copies.
    meetings = list(Meeting.objects.filter(session=session).order_by("starts_at"))
    if meetings:
        session.starts_at = meetings[0].starts_at
        session.ends_at = max(m.ends_at for m in meetings)
        TrainingSession.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at, ends_at=session.ends_at
        )
    if session.topic_id is None:
        _open_discussion(session, by=by)
    _fill_from_waiting_list(_locked(session))
    return session


def _open_discussion(session: TrainingSession, *, by: User) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Training: %(title)s") % {"title": session.title}
        body = "\n\n".join(
            [
                _("Questions before and after the training “%(title)s” go here.")
                % {"title": session.title},
                f"[{_('The session, its meetings and registration')}]"
                f"({settings.SITE_URL}{session.get_absolute_url()})",
            ]
        )
    try:
        with transaction.atomic():
            topic = posting.topic_create(
                author=by,
                category=session.area,
                title=title[:200],
                body=body,
                discussion=True,
            )
    except PermissionDenied as refused:
        # The session stands; saving it again later opens the discussion.
        log.warning("training session %s: no discussion topic yet (%r)", session.pk, refused)
        return
    session.topic = topic
    TrainingSession.objects.filter(pk=session.pk).update(topic=topic)


# --- Registration ------------------------------------------------------------------------------


def check_can_register(*, user: User) -> None:
    if not forum_permissions.is_librarian(user):
        raise PermissionDenied


@transaction.atomic
def registration_register(*, session: TrainingSession, user: User) -> Registration:
    """Register a librarian, or put them on the waiting list when the session is full.
    Registering again changes nothing."""
    check_can_register(user=user)
    session = _locked(session)
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing and existing.status != Status.CANCELLED:
        return existing
    if not session.registration_open():
        raise RegistrationRefused(_("Registration for this session is closed."))
    waiting = Registration.objects.filter(session=session, status=Status.WAITING).exists()
    # The UPDATE checks capacity itself: a place is taken only if one is left.
    seated = (
        not waiting
        and TrainingSession.objects.filter(pk=session.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
        == 1
    )
    now = timezone.now()
    registration = existing or Registration(session=session, user=user)
    registration.status = Status.REGISTERED if seated else Status.WAITING
    registration.queued_at = registration.updated_at = now
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, session: TrainingSession, user: User) -> Registration | None:
    """Give up a place (or a place in the waiting list); the first one waiting moves up."""
    session = _locked(session)
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is None or registration.status == Status.CANCELLED:
        return registration
    if session.starts_at is not None and session.starts_at <= timezone.now():
        raise RegistrationRefused(_("The session has started: it can no longer be cancelled."))
    was_seated = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.updated_at = timezone.now()
    registration.save(update_fields=["status", "updated_at"])
    if was_seated:
        TrainingSession.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") - 1)
        session.refresh_from_db(fields=["seats_taken"])
        _fill_from_waiting_list(session)
    return registration


def _fill_from_waiting_list(session: TrainingSession) -> list[Registration]:
    """Move the longest-waiting members into the places left (the session's row is locked),
    and tell each of them."""
    if session.starts_at is not None and session.starts_at <= timezone.now():
        return []
    free = session.capacity - session.seats_taken
    if free <= 0:
        return []
    moving = list(
        Registration.objects.filter(session=session, status=Status.WAITING)
        .select_related("user")
        .order_by("queued_at", "id")[:free]
    )
    if not moving:
        return []
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in moving]).update(
        status=Status.REGISTERED, updated_at=now
    )
    TrainingSession.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + len(moving))
    for registration in moving:
        registration.status = Status.REGISTERED
        _notify(registration.user, session, action="promoted")
    return moving


# --- Attendance --------------------------------------------------------------------------------


@transaction.atomic
def attendance_check_in(*, session: TrainingSession, user: User, code: str) -> Attendance:
    """An attendee checks in with the code shown in the room or the online meeting, valid
    only while that meeting runs."""
    if not Registration.objects.filter(
        session=session, user=user, status=Status.REGISTERED
    ).exists():
        raise RegistrationRefused(_("Only registered members check in."))
    now = timezone.now()
    code = "".join(code.split()).upper()
    meeting = next(
        (m for m in session.meetings.all() if m.checkin_open(now) and m.checkin_code == code),
        None,
    )
    if meeting is None:
        raise RegistrationRefused(
            _("That code is not right, or no meeting of this session is running now.")
        )
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"method": Attendance.Method.CODE, "recorded_by": user}
    )
    return attendance


@transaction.atomic
def attendance_set(*, meeting: Meeting, present: Iterable[int], by: User) -> tuple[int, int]:
    """A coordinator's tick list for one meeting: these registered members were there, the
    others not. Returns (added, removed)."""
    registered = set(
        Registration.objects.filter(
            session=meeting.session_id, status=Status.REGISTERED
        ).values_list("user", flat=True)
    )
    attended = set(meeting.attendances.values_list("user", flat=True))
    present = set(present) & (registered | attended)
    removed = attended - present
    meeting.attendances.filter(user__in=removed).delete()
    added = present - attended
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, user_id=pk, method=Attendance.Method.LIST, recorded_by=by)
            for pk in added
        ]
    )
    return len(added), len(removed)


# --- Certificates and evaluations -----------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, session: TrainingSession, user: User) -> Certificate:
    """The certificate of an attendee of every meeting, made the first time it is asked for and
    the same afterwards. Raises RegistrationRefused for anyone else."""
    existing = Certificate.objects.filter(session=session, user=user).first()
    if existing:
        return existing
    if not selectors.attended_every_meeting(session=session, user=user):
        raise RegistrationRefused(_("A certificate is for those who attended every meeting."))
    meetings = list(session.meetings.all())
    days = [timezone.localdate(m.starts_at) for m in meetings]
    hours = sum((Decimal(m.hours) for m in meetings), Decimal(0))
    trainers = ", ".join(t.display_name for t in session.trainers.select_related("member"))
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                session=session,
                user=user,
                holder_name=user.get_full_name() or user.username,
                session_title=session.title,
                area_name=session.area.name,
                first_day=min(days),
                last_day=max(days),
                hours=hours.quantize(Decimal("0.1")),
                trainers=trainers[:1000],
            )
    except IntegrityError:  # the same member's second click, at the same moment
        return Certificate.objects.get(session=session, user=user)


@transaction.atomic
def evaluation_submit(*, session: TrainingSession, user: User, answers: dict) -> Evaluation:
    """An attendee's evaluation, once, after the last meeting."""
    if not selectors.can_evaluate(session=session, user=user):
        raise RegistrationRefused(_("The evaluation is for the session's attendees, once."))
    try:
        with transaction.atomic():
            return Evaluation.objects.create(session=session, user=user, **answers)
    except IntegrityError:
        raise RegistrationRefused(_("You have already evaluated this session.")) from None


# --- Reminders and invitations (the hourly scheduler) ---------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind registered members of each meeting that starts within the next day, once per
    meeting, in the app and (their settings) by email."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + REMIND_AHEAD
    ).select_related("session")
    for meeting in meetings:
        members = User.objects.filter(
            registrations__session=meeting.session_id,
            registrations__status=Status.REGISTERED,
            is_active=True,
        ).exclude(pk__in=MeetingReminder.objects.filter(meeting=meeting).values("user"))
        for member in members:
            sent += _remind(meeting, member)
    return sent


@transaction.atomic
def _remind(meeting: Meeting, member: User) -> int:
    try:
        with transaction.atomic():
            MeetingReminder.objects.create(meeting=meeting, user=member)
    except IntegrityError:
        return 0  # another scheduler run got there first
    start = timezone.localtime(meeting.starts_at)
    _notify(member, meeting.session, action="reminder", message=f"{start:%Y-%m-%d %H:%M} WIB")
    return 1


def evaluations_invite(*, now: datetime | None = None) -> int:
    """Once a session's last meeting has ended, invite its attendees to the evaluation (once:
    the notification is the record)."""
    now = now or timezone.now()
    invited = 0
    ended = TrainingSession.objects.filter(ends_at__lte=now, ends_at__gt=now - timedelta(days=30))
    for session in ended:
        told = Notification.objects.filter(
            kind=Notification.Kind.TRAINING, action="evaluation", link=session.get_absolute_url()
        ).values("recipient")
        for member in selectors.attendees(session=session).exclude(pk__in=told):
            _notify(member, session, action="evaluation")
            invited += 1
    return invited


# --- Calendar feeds -------------------------------------------------------------------------------


def calendar_feed_get(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address for the member's calendar; the old one stops working."""
    feed = calendar_feed_get(user=user)
    feed.token = new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
