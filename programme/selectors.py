"""Training sessions' reads: the lists, a session's page, who attended, and evaluation results
(aggregates only: who said what is never read here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from programme.models import (
    Attendance,
    Certificate,
    Evaluation,
    Material,
    Meeting,
    Registration,
    SessionReading,
    SessionTrainer,
    TrainingSession,
)

SCORES = ("relevance", "trainer", "materials", "confidence_before", "confidence_after")


def sessions_list(*, upcoming: bool, area=None) -> QuerySet[TrainingSession]:
    """Sessions still to end (soonest first) or ended (latest first), with their area and
    meetings, for the public list."""
    now = timezone.now()
    sessions = TrainingSession.objects.select_related("area").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at", "id"))
    )
    if area is not None:
        sessions = sessions.filter(area=area)
    if upcoming:
        return sessions.filter(Q(ends_at__gt=now) | Q(ends_at=None)).order_by("starts_at", "id")
    return sessions.filter(ends_at__lte=now).order_by("-starts_at", "-id")


def session_page(*, pk: int) -> TrainingSession:
    return (
        TrainingSession.objects.select_related("area", "topic")
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at", "id")),
            Prefetch("trainers", queryset=SessionTrainer.objects.select_related("member")),
            Prefetch(
                "readings",
                queryset=SessionReading.objects.select_related("page").filter(page__live=True),
            ),
            Prefetch("materials", queryset=Material.objects.order_by("sort_order", "id")),
        )
        .get(pk=pk)
    )


def registration_of(*, session: TrainingSession, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(session=session, user=user).first()


def waiting_position(*, registration: Registration) -> int:
    """1 for the first in the waiting list."""
    return (
        Registration.objects.filter(
            session=registration.session_id,
            status=Registration.Status.WAITING,
            queued_at__lte=registration.queued_at,
        )
        .exclude(queued_at=registration.queued_at, id__gt=registration.pk)
        .count()
    )


def attended_meetings(*, session: TrainingSession, user) -> set[int]:
    return set(
        Attendance.objects.filter(meeting__session=session, user=user).values_list(
            "meeting", flat=True
        )
    )


def attended_every_meeting(*, session: TrainingSession, user) -> bool:
    meetings = set(session.meetings.values_list("pk", flat=True))
    return (
        bool(meetings)
        and session.has_ended
        and meetings <= attended_meetings(session=session, user=user)
    )


def attendees(*, session: TrainingSession) -> QuerySet[User]:
    """Members who attended at least one meeting."""
    return User.objects.filter(is_active=True, attendances__meeting__session=session).distinct()


def can_evaluate(*, session: TrainingSession, user) -> bool:
    return (
        user.is_authenticated
        and session.has_ended
        and Attendance.objects.filter(meeting__session=session, user=user).exists()
        and not Evaluation.objects.filter(session=session, user=user).exists()
    )


def roster(*, session: TrainingSession) -> list[Registration]:
    """Who is registered and who is waiting, in queue order, for the coordinator."""
    return list(
        Registration.objects.filter(session=session)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "user__library")
        .order_by("-status", "queued_at", "id")  # "waiting" after "registered"
    )


def attendance_table(*, session: TrainingSession) -> set[tuple[int, int]]:
    """(meeting id, user id) of every attendance of the session."""
    return set(Attendance.objects.filter(meeting__session=session).values_list("meeting", "user"))


# --- Evaluation results ------------------------------------------------------------------------


@dataclass
class Results:
    """What trainers and coordinators see: averages, distributions and the written answers,
    never attached to a name."""

    responses: int = 0
    attendees: int = 0
    averages: dict[str, float | None] = field(default_factory=dict)
    distribution: dict[str, list[int]] = field(default_factory=dict)  # counts of 1…5
    applies: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.attendees if self.attendees else None

    @property
    def confidence_gain(self) -> float | None:
        before, after = (
            self.averages.get("confidence_before"),
            self.averages.get("confidence_after"),
        )
        return None if before is None or after is None else after - before


def results(*, sessions: QuerySet[TrainingSession]) -> Results:
    answers = Evaluation.objects.filter(session__in=sessions)
    rows = list(answers.values(*SCORES, "apply", "comments").order_by("created_at", "id"))
    found = Results(
        responses=len(rows),
        attendees=Attendance.objects.filter(meeting__session__in=sessions)
        .values("meeting__session", "user")
        .distinct()
        .count(),
    )
    for name in SCORES:
        counts = Counter(row[name] for row in rows)
        found.distribution[name] = [counts.get(n, 0) for n in range(1, 6)]
        found.averages[name] = sum(row[name] for row in rows) / len(rows) if rows else None
    # Sorted, not in the order they came: that order could be matched against who attended.
    found.applies = sorted(row["apply"] for row in rows if row["apply"].strip())
    found.comments = sorted(row["comments"] for row in rows if row["comments"].strip())
    return found


def results_by_area() -> list[tuple[object, int, Results]]:
    """(area, sessions ended, their results) for every area that held a session."""
    now = timezone.now()
    ended = TrainingSession.objects.filter(ends_at__lte=now)
    areas = ended.values("area").annotate(n=Count("id")).order_by("area__position", "area__name")
    from forum.models import Category

    names = Category.objects.in_bulk([row["area"] for row in areas])
    return [
        (names[row["area"]], row["n"], results(sessions=ended.filter(area=row["area"])))
        for row in areas
        if row["area"] in names
    ]


def trained_sessions(*, member: User, start, end) -> list[TrainingSession]:
    """Sessions the member gave as a trainer, held in [start, end)."""
    return list(
        TrainingSession.objects.filter(
            trainers__member=member, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("area")
        .distinct()
        .order_by("-starts_at")
    )


def certificates_of(*, member: User, start, end) -> list[Certificate]:
    return list(
        Certificate.objects.filter(
            user=member,
            last_day__gte=timezone.localdate(start),
            last_day__lt=timezone.localdate(end),
        ).order_by("-last_day")
    )


def sessions_held(*, start, end, area=None) -> list[TrainingSession]:
    """Sessions whose last meeting ended in [start, end), with how many attended."""
    held = TrainingSession.objects.filter(
        ends_at__gte=start, ends_at__lt=end, ends_at__lte=timezone.now()
    )
    if area is not None:
        held = held.filter(area=area)
    return list(
        held.select_related("area")
        .annotate(attendee_count=Count("meetings__attendances__user", distinct=True))
        .order_by("ends_at", "id")
    )


def coming_registrations(*, member: User) -> list[Registration]:
    """The member's places and waiting-list places in sessions that have not ended."""
    return list(
        Registration.objects.filter(user=member)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(Q(session__ends_at__gt=timezone.now()) | Q(session__ends_at=None))
        .select_related("session")
        .order_by("session__starts_at")
    )


def certificates_held(*, member: User) -> list[Certificate]:
    return list(Certificate.objects.filter(user=member).order_by("-last_day"))
