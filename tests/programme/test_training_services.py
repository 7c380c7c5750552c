"""The rules of training sessions, through programme.services: places and the waiting list,
the deadline, check-in, certificates, evaluations and reminders."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from forum.models import Notification
from programme import selectors, services
from programme.models import Attendance, Certificate, Evaluation, Registration
from tests.forum.factories import create_member
from tests.programme.training import make_session, wib

pytestmark = pytest.mark.django_db
Status = Registration.Status
BEFORE = wib(1, 10)  # a week before the sessions' meetings
ANSWERS = {
    "relevance": 5,
    "trainer": 4,
    "materials": 3,
    "confidence_before": 2,
    "confidence_after": 4,
    "apply": "Menyapa dulu, baru menjelaskan aturan.",
    "comments": "",
}


@pytest.fixture(autouse=True)
def before_the_session():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator():
    from accounts import roles

    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)


def register(session, *people):
    return [services.registration_register(session=session, user=p) for p in people]


def test_a_session_opens_its_discussion_in_its_competency_area(coordinator):
    session = make_session(by=coordinator)

    assert session.topic.category == session.area
    assert session.title in session.topic.title
    assert not session.topic.is_question  # not in the programme's figures of questions
    assert session.starts_at == wib(10, 9) and session.ends_at == wib(10, 12)


def test_registration_takes_a_place_until_the_session_is_full_then_the_waiting_list(coordinator):
    session = make_session(by=coordinator, capacity=2)
    first, second, third = (create_member() for _ in range(3))

    results = register(session, first, second, third)

    assert [r.status for r in results] == [Status.REGISTERED, Status.REGISTERED, Status.WAITING]
    session.refresh_from_db()
    assert session.seats_taken == 2 and session.places_left == 0


def test_registering_twice_keeps_one_place(coordinator):
    session = make_session(by=coordinator)
    member = create_member()

    first, again = register(session, member, member)

    assert first.pk == again.pk
    assert Registration.objects.filter(session=session, user=member).count() == 1
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list_who_is_told(
    coordinator, before_the_session, django_capture_on_commit_callbacks
):
    session = make_session(by=coordinator, capacity=1)
    seated, early, late = (create_member() for _ in range(3))
    register(session, seated)
    register(session, early)
    before_the_session.shift(datetime.timedelta(minutes=5))
    register(session, late)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(session=session, user=seated)

    statuses = dict(Registration.objects.filter(session=session).values_list("user", "status"))
    assert statuses == {
        seated.pk: Status.CANCELLED,
        early.pk: Status.REGISTERED,
        late.pk: Status.WAITING,
    }
    told = Notification.objects.get(recipient=early, kind=Notification.Kind.TRAINING)
    assert told.action == "promoted" and told.link == session.get_absolute_url()
    assert not Notification.objects.filter(recipient=late).exists()
    assert [m.to for m in mail.outbox] == [[early.email]]
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_leaving_the_waiting_list_frees_no_place(coordinator):
    session = make_session(by=coordinator, capacity=1)
    seated, waiting = create_member(), create_member()
    register(session, seated, waiting)

    services.registration_cancel(session=session, user=waiting)

    session.refresh_from_db()
    assert session.seats_taken == 1
    assert Registration.objects.get(user=seated).status == Status.REGISTERED


def test_a_larger_capacity_moves_the_waiting_list_up(coordinator):
    session = make_session(by=coordinator, capacity=1)
    seated, waiting = create_member(), create_member()
    register(session, seated, waiting)

    session.capacity = 2
    session.save()
    services.session_saved(session=session, by=coordinator)

    assert Registration.objects.get(user=waiting).status == Status.REGISTERED


def test_no_registration_after_the_deadline(coordinator, before_the_session):
    session = make_session(by=coordinator, deadline=wib(5, 17))
    before_the_session.move_to(wib(5, 17, 1))

    with pytest.raises(services.RegistrationRefused):
        services.registration_register(session=session, user=create_member())
    assert not Registration.objects.exists()


def test_no_registration_once_the_coordinator_closes_it(coordinator):
    session = make_session(by=coordinator, registration_closed=True)

    with pytest.raises(services.RegistrationRefused):
        services.registration_register(session=session, user=create_member())


def test_a_member_who_cancelled_registers_again_at_the_back_of_the_queue(coordinator):
    session = make_session(by=coordinator, capacity=1)
    first, second = create_member(), create_member()
    register(session, first, second)
    services.registration_cancel(session=session, user=first)

    (again,) = register(session, first)

    assert again.status == Status.WAITING
    assert Registration.objects.filter(user=first).count() == 1


def test_an_unverified_account_cannot_register(coordinator):
    from tests.factories import UserFactory

    session = make_session(by=coordinator)

    with pytest.raises(PermissionDenied):
        services.registration_register(session=session, user=UserFactory())
    assert not Registration.objects.exists()


# --- Check-in and attendance ---------------------------------------------------------------------


def test_check_in_works_with_the_code_only_while_the_meeting_runs(coordinator, before_the_session):
    session = make_session(by=coordinator)
    member = create_member()
    register(session, member)
    meeting = session.meetings.get()
    code = meeting.checkin_code

    with pytest.raises(services.RegistrationRefused):
        services.attendance_check_in(session=session, user=member, code=code)  # a week early
    before_the_session.move_to(wib(10, 8, 55))
    with pytest.raises(services.RegistrationRefused):
        services.attendance_check_in(session=session, user=member, code=code)  # not yet
    before_the_session.move_to(wib(10, 12, 1))
    with pytest.raises(services.RegistrationRefused):
        services.attendance_check_in(session=session, user=member, code=code)  # just over
    before_the_session.move_to(wib(10, 9, 15))
    attendance = services.attendance_check_in(
        session=session, user=member, code=f" {code.lower()} "
    )

    assert attendance.meeting == meeting and attendance.method == Attendance.Method.CODE


def test_a_wrong_code_or_an_unregistered_member_does_not_check_in(coordinator, before_the_session):
    session = make_session(by=coordinator)
    member, stranger = create_member(), create_member()
    register(session, member)
    before_the_session.move_to(wib(10, 9, 15))

    with pytest.raises(services.RegistrationRefused):
        services.attendance_check_in(session=session, user=member, code="ZZZZZZ")
    with pytest.raises(services.RegistrationRefused):
        services.attendance_check_in(
            session=session, user=stranger, code=session.meetings.get().checkin_code
        )
    assert not Attendance.objects.exists()


def test_the_coordinator_s_list_ticks_and_unticks_registered_members_only(coordinator):
    session = make_session(by=coordinator)
    here, away, stranger = create_member(), create_member(), create_member()
    register(session, here, away)
    meeting = session.meetings.get()

    services.attendance_set(
        meeting=meeting, present=[here.pk, away.pk, stranger.pk], by=coordinator
    )
    added, removed = services.attendance_set(meeting=meeting, present=[here.pk], by=coordinator)

    assert (added, removed) == (0, 1)
    assert list(meeting.attendances.values_list("user", flat=True)) == [here.pk]


# --- Certificates and evaluations ----------------------------------------------------------------


def two_meeting_session(coordinator, trainer):
    return make_session(
        by=coordinator,
        meetings=[(wib(10, 9), wib(10, 12)), (wib(11, 13), wib(11, 15, 30))],
        trainers=[trainer, "Dr. Sulastri (Perpustakaan Nasional)"],
    )


def attend(session, member, meetings, by):
    for meeting in meetings:
        services.attendance_set(
            meeting=meeting,
            present=[member.pk, *meeting.attendances.values_list("user", flat=True)],
            by=by,
        )


def test_a_certificate_is_for_attendees_of_every_meeting_once_the_session_ended(
    coordinator, before_the_session
):
    trainer = create_member(name="Budi Pelatih")
    session = two_meeting_session(coordinator, trainer)
    full, half = create_member(name="Sari Lengkap"), create_member()
    register(session, full, half)
    first, second = session.meetings.all()
    attend(session, full, [first, second], coordinator)
    attend(session, half, [first], coordinator)

    with pytest.raises(services.RegistrationRefused):
        services.certificate_issue(session=session, user=full)  # not over yet
    before_the_session.move_to(wib(12, 8))
    certificate = services.certificate_issue(session=session, user=full)
    with pytest.raises(services.RegistrationRefused):
        services.certificate_issue(session=session, user=half)

    assert certificate.holder_name == "Sari Lengkap"
    assert (certificate.first_day, certificate.last_day) == (wib(10, 0).date(), wib(11, 0).date())
    assert str(certificate.hours) == "5.5"
    assert certificate.trainers == "Budi Pelatih, Dr. Sulastri (Perpustakaan Nasional)"
    assert services.certificate_issue(session=session, user=full).code == certificate.code
    assert Certificate.objects.count() == 1


def test_one_evaluation_per_attendee_after_the_last_meeting(coordinator, before_the_session):
    session = make_session(by=coordinator)
    attendee, absent = create_member(), create_member()
    register(session, attendee, absent)
    attend(session, attendee, session.meetings.all(), coordinator)

    with pytest.raises(services.RegistrationRefused):
        services.evaluation_submit(session=session, user=attendee, answers=ANSWERS)
    before_the_session.move_to(wib(10, 13))
    services.evaluation_submit(session=session, user=attendee, answers=ANSWERS)
    with pytest.raises(services.RegistrationRefused):
        services.evaluation_submit(session=session, user=attendee, answers=ANSWERS)
    with pytest.raises(services.RegistrationRefused):
        services.evaluation_submit(session=session, user=absent, answers=ANSWERS)

    assert Evaluation.objects.count() == 1


def test_results_are_aggregates_with_the_response_rate(coordinator, before_the_session):
    session = make_session(by=coordinator)
    people = [create_member() for _ in range(4)]
    register(session, *people)
    for person in people:
        attend(session, person, session.meetings.all(), coordinator)
    before_the_session.move_to(wib(10, 13))
    for person, score in zip(people[:3], (5, 4, 3), strict=True):
        services.evaluation_submit(
            session=session, user=person, answers={**ANSWERS, "relevance": score}
        )

    found = selectors.results(sessions=type(session).objects.filter(pk=session.pk))

    assert (found.responses, found.attendees) == (3, 4)
    assert found.response_rate == 0.75
    assert found.averages["relevance"] == 4
    assert found.distribution["relevance"] == [0, 0, 1, 1, 1]
    assert found.confidence_gain == 2
    assert found.applies == [ANSWERS["apply"]] * 3


# --- Reminders ------------------------------------------------------------------------------------


def test_a_reminder_goes_out_once_the_day_before_each_meeting(
    coordinator, before_the_session, django_capture_on_commit_callbacks
):
    session = make_session(
        by=coordinator, meetings=[(wib(10, 9), wib(10, 12)), (wib(17, 9), wib(17, 12))]
    )
    member, waiting = create_member(language="en"), create_member()
    session.capacity = 1
    session.save()
    register(session, member, waiting)

    before_the_session.move_to(wib(9, 8))
    assert services.reminders_send() == 0  # 25 hours ahead
    before_the_session.move_to(wib(9, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    before_the_session.move_to(wib(16, 10))
    assert services.reminders_send() == 1

    reminders = Notification.objects.filter(recipient=member, action="reminder")
    assert [n.message for n in reminders.order_by("created_at")] == [
        "2026-12-10 09:00 WIB",
        "2026-12-17 09:00 WIB",
    ]
    assert not Notification.objects.filter(recipient=waiting, action="reminder").exists()
    assert "Reminder" in mail.outbox[-1].subject  # in the member's language


def test_attendees_are_invited_to_the_evaluation_once_after_the_last_meeting(
    coordinator, before_the_session
):
    session = make_session(by=coordinator)
    attendee, absent = create_member(), create_member()
    register(session, attendee, absent)
    attend(session, attendee, session.meetings.all(), coordinator)

    assert services.evaluations_invite() == 0
    before_the_session.move_to(wib(10, 13))
    assert services.evaluations_invite() == 1
    assert services.evaluations_invite() == 0
    assert Notification.objects.get(action="evaluation").recipient == attendee


def test_the_scheduler_s_command_reminds_and_says_what_it_did(coordinator, before_the_session):
    from io import StringIO

    from django.core.management import call_command

    session = make_session(by=coordinator)
    register(session, create_member())
    before_the_session.move_to(wib(9, 12))
    out = StringIO()

    call_command("programme_training", stdout=out)

    assert "meeting reminders: 1 sent" in out.getvalue()
    assert "evaluation invitations: 0 sent" in out.getvalue()


def test_certificates_and_sessions_given_count_in_the_contribution_record(
    coordinator, before_the_session
):
    from programme import periods, record

    trainer = create_member()
    session = make_session(by=coordinator, trainers=[trainer])
    member = create_member()
    register(session, member)
    attend(session, member, session.meetings.all(), coordinator)
    before_the_session.move_to(wib(12, 8))
    services.certificate_issue(session=session, user=member)
    december = periods.period(periods.CUSTOM, first=wib(1, 0).date(), last=wib(31, 0).date())

    attended_record = record.build(member=member, period=december)
    trainer_record = record.build(member=trainer, period=december)

    assert attended_record.certificates == 1 and attended_record.entries[0].title == session.title
    assert trainer_record.trainings_given == 1 and trainer_record.entries[0].title == session.title


def test_the_demo_sessions_have_a_past_with_certificates_and_a_full_one_with_a_waiting_list():
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=StringIO())

    ended = list(selectors.sessions_list(upcoming=False))
    coming = list(selectors.sessions_list(upcoming=True))
    assert len(ended) == 1 and len(coming) == 2
    assert Certificate.objects.filter(session=ended[0]).count() == 1
    assert Evaluation.objects.filter(session=ended[0]).count() == 2
    full = [s for s in coming if s.places_left == 0]
    assert len(full) == 1 and full[0].registrations.filter(status=Status.WAITING).count() == 1
    assert all(s.topic_id for s in ended + coming)
