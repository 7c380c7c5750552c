"""Demo training sessions: one that ended (attendance, certificates, evaluations), one coming
soon with places left, and a full one with a waiting list. Idempotent: a session whose title
exists is left as it is. Dates are relative to today, so the demo always has a past and a
future."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.models import Category
from programme import services
from programme.models import (
    Attendance,
    Evaluation,
    Meeting,
    Registration,
    SessionTrainer,
    TrainingSession,
)

# title, area, kind, mode, place, days from today, (start hour, end hour) per meeting,
# capacity, member trainers, outside trainers, registered, waiting
SESSIONS = [
    (
        "Literasi informasi untuk siswa SMP",
        "literasi-informasi",
        TrainingSession.Kind.DISTANCE,
        TrainingSession.Mode.ONLINE,
        "",
        [-16, -9],
        (13, 15),
        30,
        ["dewi"],
        [],
        ["budi", "nurhayati", "andi", "sari"],
        [],
    ),
    (
        "Menghadapi pemustaka yang mengeluh di meja layanan",
        "layanan-pemustaka",
        TrainingSession.Kind.WORKSHOP,
        TrainingSession.Mode.IN_PERSON,
        "Aula Perpustakaan Kota Lubuklinggau, Jl. Yos Sudarso",
        [9, 10],
        (9, 12),
        20,
        ["rahmat"],
        ["Dr. Sulastri (Perpustakaan Nasional RI)"],
        ["sari"],
        [],
    ),
    (
        "Otomasi perpustakaan sekolah dengan SLiMS",
        "teknologi-informasi",
        TrainingSession.Kind.CLASS,
        TrainingSession.Mode.BOTH,
        "Perpustakaan Universitas PGRI Silampari, lab komputer",
        [20],
        (8, 16),
        2,
        ["andi"],
        [],
        ["budi", "nurhayati"],
        ["sari"],
    ),
]
DESCRIPTION = (
    "Sesi dalam program pembinaan pustakawan Kota Lubuklinggau. Bawa contoh kasus dari "
    "perpustakaan Anda; pertanyaan sebelum dan sesudah sesi bisa ditulis di forum."
)


@transaction.atomic
def seed(*, out) -> list[str]:
    people = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    coordinator = people.get("rina")
    if coordinator is None or set(people) != _usernames():
        out("skipped: demo members missing")
        return []
    made = sum(_session(row, people, coordinator) for row in SESSIONS)
    out(f"training sessions: {len(SESSIONS)} ({made} new)")
    return []


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _session(row, people, coordinator) -> bool:
    title, area, kind, mode, place, days, hours, capacity, trainers, outside, seated, waiting = row
    if TrainingSession.objects.filter(title=title).exists():
        return False
    session = TrainingSession.objects.create(
        title=title,
        area=Category.objects.get(slug=area),
        description=DESCRIPTION,
        kind=kind,
        mode=mode,
        place=place,
        meeting_link="https://meet.example.org/serambi" if mode != "in_person" else "",
        capacity=capacity,
        registration_deadline=_at(days[0] - 1, 17),
        created_by=coordinator,
    )
    meetings = [
        Meeting.objects.create(
            session=session, starts_at=_at(d, hours[0]), ends_at=_at(d, hours[1])
        )
        for d in days
    ]
    for name in trainers:
        SessionTrainer.objects.create(session=session, member=people[name])
    for name in outside:
        SessionTrainer.objects.create(session=session, name=name)
    services.session_saved(session=session, by=coordinator)
    ended = days[-1] < 0
    _registrations(session, [people[n] for n in seated], [people[n] for n in waiting])
    if ended:
        _attended_and_evaluated(session, meetings, [people[n] for n in seated])
    return True


def _registrations(session, seated, waiting) -> None:
    # Written directly: a past session's deadline has passed, and the demo needs its history.
    now = timezone.now()
    for offset, (user, status) in enumerate(
        [(u, Registration.Status.REGISTERED) for u in seated]
        + [(u, Registration.Status.WAITING) for u in waiting]
    ):
        Registration.objects.create(
            session=session, user=user, status=status, queued_at=now + timedelta(seconds=offset)
        )
    TrainingSession.objects.filter(pk=session.pk).update(seats_taken=len(seated))


def _attended_and_evaluated(session, meetings, attendees) -> None:
    everyone, partly = attendees[:-1], attendees[-1:]  # the last one missed the second meeting
    for meeting in meetings:
        for user in everyone + (partly if meeting is meetings[0] else []):
            Attendance.objects.create(meeting=meeting, user=user, method=Attendance.Method.LIST)
    for user, scores, applied in zip(everyone, EVALUATIONS, APPLIED, strict=False):
        Evaluation.objects.create(session=session, user=user, apply=applied, **scores)
    session.refresh_from_db()
    for user in everyone[:1]:
        services.certificate_issue(session=session, user=user)


EVALUATIONS = [
    {"relevance": 5, "trainer": 5, "materials": 4, "confidence_before": 2, "confidence_after": 4},
    {"relevance": 4, "trainer": 4, "materials": 4, "confidence_before": 3, "confidence_after": 4},
]
APPLIED = [
    "Mengajak siswa membandingkan tiga sumber sebelum menulis tugas.",
    "Membuat lembar panduan penelusuran katalog untuk kelas VII.",
]


def _usernames() -> set[str]:
    names = {"rina"}
    for row in SESSIONS:
        names |= set(row[8]) | set(row[10]) | set(row[11])
    return names
