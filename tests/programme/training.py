"""Training sessions for the tests, made the way a coordinator makes them: the admin saves the
session and its meetings, then programme.services.session_saved does the rest."""

from __future__ import annotations

import datetime

from django.utils import timezone

from programme import services
from programme.models import Meeting, SessionTrainer, TrainingSession
from tests.forum.factories import competency_area

WIB = timezone.get_fixed_timezone(7 * 60)


def wib(day: int, hour: int, minute: int = 0, *, month: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def make_session(
    *,
    by,
    capacity: int = 20,
    meetings: list[tuple[datetime.datetime, datetime.datetime]] | None = None,
    deadline: datetime.datetime | None = None,
    trainers=(),
    area: str = "layanan-pemustaka",
    **fields,
) -> TrainingSession:
    meetings = meetings or [(wib(10, 9), wib(10, 12))]
    fields.setdefault("title", "Melayani pemustaka yang marah")
    fields.setdefault("description", "Latihan **menenangkan** pemustaka di meja layanan.")
    fields.setdefault("kind", TrainingSession.Kind.WORKSHOP)
    fields.setdefault("mode", TrainingSession.Mode.BOTH)
    fields.setdefault("place", "Aula Perpustakaan Kota Lubuklinggau")
    fields.setdefault("meeting_link", "https://meet.example.org/serambi-latihan")
    session = TrainingSession.objects.create(
        area=competency_area(area),
        capacity=capacity,
        registration_deadline=deadline or meetings[0][0] - datetime.timedelta(days=1),
        created_by=by,
        **fields,
    )
    for start, end in meetings:
        Meeting.objects.create(session=session, starts_at=start, ends_at=end)
    for trainer in trainers:
        if isinstance(trainer, str):
            SessionTrainer.objects.create(session=session, name=trainer)
        else:
            SessionTrainer.objects.create(session=session, member=trainer)
    return services.session_saved(session=session, by=by)
