"""Training sessions' pages and who sees what: visitors, registered members, trainers and
coordinators; calendars, certificates and their verification, the evaluation."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import roles
from programme import services
from programme.models import Evaluation, Registration, TrainingSession
from tests.forum.factories import create_member
from tests.programme.training import make_session, wib

pytestmark = pytest.mark.django_db
LINK = "https://meet.example.org/serambi-latihan"


@pytest.fixture(autouse=True)
def a_week_before():
    with time_machine.travel(wib(1, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator():
    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)


@pytest.fixture
def session(coordinator):
    return make_session(by=coordinator, capacity=2, trainers=["Dr. Sulastri"])


def signed_in(client, user):
    client.force_login(user)
    return client


def test_visitors_see_the_session_without_its_meeting_link(client, session):
    page = client.get(session.get_absolute_url())

    assert page.status_code == 200
    text = page.content.decode()
    assert session.title in text and "Dr. Sulastri" in text
    assert "Kamis, 10 Desember 2026, 09.00–12.00 WIB" in text
    assert "Tersisa 2 dari 2 tempat." in text
    assert LINK not in text


def test_only_registered_members_see_the_meeting_link(client, session):
    member, other = create_member(), create_member()
    services.registration_register(session=session, user=member)

    assert LINK in signed_in(client, member).get(session.get_absolute_url()).content.decode()
    assert LINK not in signed_in(Client(), other).get(session.get_absolute_url()).content.decode()
    session_ics = signed_in(Client(), other).get(
        reverse("programme:session_ics", args=[session.pk])
    )
    assert LINK.encode() not in session_ics.content


def test_the_list_shows_places_left_by_area(client, session):
    page = client.get(reverse("programme:sessions"), {"area": session.area.slug})

    assert page.status_code == 200
    assert session.title in page.content.decode()


def test_registering_is_a_post_and_a_full_session_puts_you_on_the_waiting_list(client, session):
    people = [create_member() for _ in range(3)]
    url = reverse("programme:session_register", args=[session.pk])

    assert signed_in(client, people[0]).get(url).status_code == 405
    for person in people:
        response = signed_in(Client(), person).post(url)
        assert response.status_code == 302
    statuses = [Registration.objects.get(user=p).status for p in people]
    assert statuses == ["registered", "registered", "waiting"]
    page = signed_in(Client(), people[2]).get(session.get_absolute_url()).content.decode()
    assert "nomor 1 dalam daftar tunggu" in page


def test_a_visitor_is_sent_to_sign_in_to_register(client, session):
    response = client.post(reverse("programme:session_register", args=[session.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_registrations_never_overfill_a_session(coordinator):
    session = make_session(by=coordinator, capacity=3)
    people = [create_member() for _ in range(8)]
    url = reverse("programme:session_register", args=[session.pk])
    start = threading.Barrier(len(people))
    statuses = []

    def register(person):
        try:
            client = signed_in(Client(), person)
            start.wait()
            statuses.append(client.post(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * len(people)
    session.refresh_from_db()
    assert session.seats_taken == 3
    assert Registration.objects.filter(session=session, status="registered").count() == 3
    assert Registration.objects.filter(session=session, status="waiting").count() == 5


def test_only_coordinators_manage_a_session(client, session):
    trainer = create_member()
    url = reverse("programme:session_manage", args=[session.pk])

    assert client.get(url).status_code == 404
    assert signed_in(Client(), trainer).get(url).status_code == 404
    assert signed_in(Client(), session.created_by).get(url).status_code == 200
    attendance = reverse("programme:session_attendance", args=[session.pk])
    assert signed_in(Client(), trainer).post(attendance).status_code == 404


def test_the_coordinator_ticks_attendance_on_the_list(client, session, coordinator):
    member = create_member()
    services.registration_register(session=session, user=member)
    meeting = session.meetings.get()

    response = signed_in(client, coordinator).post(
        reverse("programme:session_attendance", args=[session.pk]),
        {f"present-{meeting.pk}": [str(member.pk), "99999999999999999999999"]},
    )

    assert response.status_code == 302
    assert list(meeting.attendances.values_list("user", flat=True)) == [member.pk]


def test_checking_in_with_the_code_during_the_meeting(client, session, a_week_before):
    member = create_member()
    services.registration_register(session=session, user=member)
    a_week_before.move_to(wib(10, 9, 5))
    meeting = session.meetings.get()

    page = signed_in(client, member).get(session.get_absolute_url()).content.decode()
    assert 'name="code"' in page
    client.post(reverse("programme:session_checkin", args=[session.pk]), {"code": "XXXXXX"})
    assert not meeting.attendances.exists()
    client.post(
        reverse("programme:session_checkin", args=[session.pk]), {"code": meeting.checkin_code}
    )
    assert meeting.attendances.filter(user=member).exists()


# --- Certificates ---------------------------------------------------------------------------------


def attended(session, coordinator, *people):
    for meeting in session.meetings.all():
        services.attendance_set(meeting=meeting, present=[p.pk for p in people], by=coordinator)


def test_an_attendee_downloads_a_certificate_that_anyone_can_verify(
    client, session, coordinator, a_week_before
):
    member = create_member(name="Sari Lestari", email="sari@contoh.test")
    services.registration_register(session=session, user=member)
    attended(session, coordinator, member)
    a_week_before.move_to(wib(10, 13))

    pdf = signed_in(client, member).get(reverse("programme:certificate", args=[session.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    certificate = member.certificates.get()

    check = Client().get(reverse("programme:certificate_verify", args=[certificate.code]))
    text = check.content.decode()
    assert check.status_code == 200
    assert "Sari Lestari" in text and session.title in text
    assert "sari@contoh.test" not in text and member.username not in text
    assert LINK not in text
    assert (
        Client().get(reverse("programme:certificate_verify", args=["tidak-ada"])).status_code == 404
    )


def test_no_certificate_for_someone_who_missed_a_meeting(client, session, a_week_before):
    member = create_member()
    services.registration_register(session=session, user=member)
    a_week_before.move_to(wib(10, 13))

    response = signed_in(client, member).get(reverse("programme:certificate", args=[session.pk]))

    assert response.status_code == 404


# --- Calendars ------------------------------------------------------------------------------------


def test_a_member_s_private_feed_lists_their_sessions_until_they_reset_it(client, session):
    member = create_member()
    services.registration_register(session=session, user=member)
    signed_in(client, member).get(reverse("programme:calendar"))
    old = member.calendar_feed.token

    feed = Client().get(reverse("programme:feed", args=[old]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in feed.content and LINK.encode() in feed.content.replace(b"\r\n ", b"")
    client.post(reverse("programme:calendar_reset"))
    member.calendar_feed.refresh_from_db()

    assert Client().get(reverse("programme:feed", args=[old])).status_code == 404
    assert (
        Client().get(reverse("programme:feed", args=[member.calendar_feed.token])).status_code
        == 200
    )


def test_a_session_s_calendar_file_has_one_event_per_meeting(client, coordinator):
    session = make_session(
        by=coordinator, meetings=[(wib(10, 9), wib(10, 12)), (wib(17, 9), wib(17, 12))]
    )

    data = client.get(reverse("programme:session_ics", args=[session.pk])).content

    assert data.count(b"BEGIN:VEVENT") == 2
    assert b"DTSTART:20261210T020000Z" in data  # 09.00 WIB


# --- The evaluation -------------------------------------------------------------------------------


def evaluated(session, coordinator, people, a_week_before):
    for person in people:
        services.registration_register(session=session, user=person)
    attended(session, coordinator, *people)
    a_week_before.move_to(wib(10, 13))


def test_the_evaluation_form_keeps_what_was_typed_when_an_answer_is_missing(
    client, session, coordinator, a_week_before
):
    member = create_member()
    evaluated(session, coordinator, [member], a_week_before)
    url = reverse("programme:session_evaluation", args=[session.pk])

    response = signed_in(client, member).post(url, {"relevance": "5", "apply": "Senyum dulu."})

    assert response.status_code == 400
    assert "Senyum dulu." in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post(
        url,
        {
            "relevance": 5,
            "trainer": 4,
            "materials": 4,
            "confidence_before": 2,
            "confidence_after": 4,
        },
    )
    assert response.status_code == 302 and Evaluation.objects.count() == 1
    assert client.get(url).status_code == 404  # once


def test_trainers_see_only_aggregates_and_only_from_three_answers(
    client, coordinator, a_week_before
):
    trainer = create_member(name="Budi Pelatih")
    session = make_session(by=coordinator, capacity=5, trainers=[trainer])
    people = [create_member(name=f"Peserta Nomor{n}") for n in range(3)]
    evaluated(session, coordinator, people, a_week_before)
    url = reverse("programme:session_results", args=[session.pk])
    answers = {
        "relevance": 5,
        "trainer": 4,
        "materials": 3,
        "confidence_before": 2,
        "confidence_after": 4,
    }

    services.evaluation_submit(
        session=session, user=people[0], answers={**answers, "comments": "Rahasia A"}
    )
    early = signed_in(client, trainer).get(url).content.decode()
    assert "5,0" not in early and "Rahasia A" not in early
    for person in people[1:]:
        services.evaluation_submit(session=session, user=person, answers=answers)
    later = client.get(url).content.decode()

    assert "5,0" in later
    assert "Rahasia A" not in later
    assert all(p.get_full_name() not in later for p in people)
    assert (
        client.get(reverse("programme:session_results_csv", args=[session.pk])).status_code == 404
    )
    coordinators_view = signed_in(Client(), coordinator).get(url).content.decode()
    assert "Rahasia A" in coordinators_view
    assert all(p.get_full_name() not in coordinators_view for p in people)
    assert signed_in(Client(), people[0]).get(url).status_code == 404


def test_results_download_as_csv_without_names_and_without_formulas(
    client, session, coordinator, a_week_before
):
    member = create_member(name="Dewi Rahasia")
    evaluated(session, coordinator, [member], a_week_before)
    services.evaluation_submit(
        session=session,
        user=member,
        answers={
            "relevance": 4,
            "trainer": 4,
            "materials": 4,
            "confidence_before": 1,
            "confidence_after": 3,
            "apply": '=HYPERLINK("http://x")',
            "comments": "",
        },
    )

    csv = (
        signed_in(client, coordinator)
        .get(reverse("programme:session_results_csv", args=[session.pk]))
        .content.decode("utf-8-sig")
    )

    assert "Dewi Rahasia" not in csv
    assert "'=HYPERLINK" in csv
    assert session.title in csv
    per_area = client.get(reverse("programme:area_results_csv")).content.decode("utf-8-sig")
    assert session.area.name in per_area


def test_a_session_that_does_not_exist_is_a_404(client):
    assert client.get("/program/pelatihan/99999999999999999999999/").status_code == 404
    assert client.get(reverse("programme:session", args=[12345])).status_code == 404
    assert not TrainingSession.objects.exists()


def test_the_insight_page_shows_a_session_beside_its_area_s_questions_before_and_after(
    client, session, coordinator, a_week_before
):
    from programme import insight, periods
    from tests.programme.conftest import answer, ask, solve

    before = ask(wib(2, 8), area=session.area.slug, title="Sebelum pelatihan")
    solve(before, answer(before, wib(4, 8)), wib(4, 8))  # 48 hours
    member = create_member()
    services.registration_register(session=session, user=member)
    attended(session, coordinator, member)
    later = ask(wib(11, 8), area=session.area.slug, title="Sesudah pelatihan")
    solve(later, answer(later, wib(11, 14)), wib(11, 14))  # 6 hours
    a_week_before.move_to(wib(20, 8))

    december = periods.period(periods.CUSTOM, first=wib(1, 0).date(), last=wib(31, 0).date())
    table = insight.build(period=december, area=None, library=None, tables=("training",)).table(
        "training"
    )

    # The session's own discussion topic, opened with it, is not a question asked.
    assert table.rows == [
        [session.title, session.area.display_name, wib(10, 0).date(), 1, 1, 48.0, 1, 6.0]
    ]
    assert table.links == [session.get_absolute_url()]
    signed_in(client, coordinator)
    assert session.title in client.get(reverse("programme:insight")).content.decode()


def _queries(client, url) -> int:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_session_page_and_the_list_take_the_same_queries_however_many_meetings(
    client, coordinator
):
    small = make_session(by=coordinator, trainers=["A"])
    big = make_session(
        by=coordinator,
        title="Lima pertemuan",
        meetings=[(wib(d, 9), wib(d, 11)) for d in (10, 11, 12, 14, 15)],
        trainers=["A", "B", create_member(), create_member()],
    )
    member = create_member()
    for session in (small, big):
        services.registration_register(session=session, user=member)

    visitor = [_queries(Client(), s.get_absolute_url()) for s in (small, big)]
    signed = signed_in(Client(), member)
    signed.get(reverse("programme:sessions"))  # the member's unread count, cached once
    registered = [_queries(signed, s.get_absolute_url()) for s in (small, big)]
    listed = _queries(Client(), reverse("programme:sessions"))
    make_session(by=coordinator, title="Satu lagi", meetings=[(wib(20, 9), wib(20, 12))])

    assert visitor[0] == visitor[1]
    assert registered[0] == registered[1]
    assert _queries(Client(), reverse("programme:sessions")) == listed


def test_the_member_s_profile_lists_their_coming_sessions_and_certificates(client, session):
    member = create_member()
    services.registration_register(session=session, user=member)

    page = signed_in(client, member).get(member.get_absolute_url()).content.decode()

    assert session.title in page
    assert reverse("programme:calendar") in page
    other = signed_in(Client(), create_member()).get(member.get_absolute_url()).content.decode()
    assert session.title not in other
