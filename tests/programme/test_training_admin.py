"""Coordinators make and edit sessions in the editors' admin: one screen for a session and its
meetings, trainers, reading and materials; saving opens the forum discussion once."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from accounts import roles
from forum.models import Topic
from programme.models import TrainingSession
from tests.forum.factories import competency_area, create_member
from tests.programme.training import wib

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
    return data


def session_form(**changes) -> dict:
    data = {
        "title": "Literasi informasi untuk siswa SMP",
        "area": str(competency_area("literasi-informasi").pk),
        "description": "Cara mengajarkan **penelusuran** informasi.",
        "kind": "class",
        "mode": "online",
        "place": "",
        "meeting_link": "https://meet.example.org/literasi",
        "capacity": "25",
        "registration_deadline": "2026-12-08 17:00",
        **formset("meetings", [{"starts_at": "2026-12-10 13:00", "ends_at": "2026-12-10 15:00"}]),
        **formset("trainers", [{"member": "", "name": "Ibu Sulastri"}]),
        **formset("readings", []),
        **formset("materials", []),
    }
    return data | changes


@pytest.fixture
def coordinator():
    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)


@time_machine.travel(wib(1, 10), tick=False)
def test_a_coordinator_creates_a_session_and_its_forum_discussion_in_the_admin(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("training_sessions:add"), session_form())

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    session = TrainingSession.objects.get()
    assert session.starts_at == wib(10, 13) and session.ends_at == wib(10, 15)
    assert session.trainers.get().name == "Ibu Sulastri"
    assert session.topic.category.slug == "literasi-informasi"
    client.post(reverse("training_sessions:edit", args=[session.pk]), session_form(capacity="30"))
    assert Topic.objects.count() == 1


@time_machine.travel(wib(1, 10), tick=False)
def test_a_meeting_that_ends_before_it_starts_is_an_error_in_the_form(client, coordinator):
    client.force_login(coordinator)
    data = session_form(
        **formset("meetings", [{"starts_at": "2026-12-10 13:00", "ends_at": "2026-12-10 12:00"}])
    )

    response = client.post(reverse("training_sessions:add"), data)

    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_librarians_and_moderators_have_no_sessions_admin(client):
    client.force_login(create_member())

    response = client.get(reverse("training_sessions:index"))

    assert response.status_code == 302  # to the "only editors" door


def test_a_coordinator_chooses_the_competency_area_with_the_admin_s_chooser(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("wagtailsnippetchoosers_forum_category:choose"))

    assert response.status_code == 200
    assert "Literasi Informasi" in response.content.decode()


@time_machine.travel(wib(1, 10), tick=False)
def test_materials_go_through_the_safe_uploads_and_download_from_the_session(client, coordinator):
    from tests.forum.factories import exe_file, pdf_file

    client.force_login(coordinator)
    refused = client.post(
        reverse("training_sessions:add"),
        session_form(
            **formset("materials", [{"title": "Pemasang", "url": "", "file": exe_file()}])
        ),
    )
    assert refused.status_code == 200 and not TrainingSession.objects.exists()

    client.post(
        reverse("training_sessions:add"),
        session_form(
            **formset("materials", [{"title": "Salindia sesi 1", "url": "", "file": pdf_file()}])
        ),
    )
    material = TrainingSession.objects.get().materials.get()
    page = client.get(material.session.get_absolute_url()).content.decode()
    download = client.get(reverse("programme:material", args=[material.session_id, material.pk]))

    assert reverse("programme:material", args=[material.session_id, material.pk]) in page
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]


def test_deleting_a_session_keeps_its_certificates_true(client, coordinator):
    from programme import services
    from programme.models import Certificate
    from tests.programme.training import make_session

    member = create_member(name="Sari Lestari")
    with time_machine.travel(wib(1, 10), tick=False) as clock:
        session = make_session(by=coordinator)
        services.registration_register(session=session, user=member)
        services.attendance_set(meeting=session.meetings.get(), present=[member.pk], by=coordinator)
        clock.move_to(wib(11, 10))
        certificate = services.certificate_issue(session=session, user=member)
    client.force_login(coordinator)

    response = client.post(reverse("training_sessions:delete", args=[session.pk]))

    assert response.status_code == 302 and not TrainingSession.objects.exists()
    check = client.get(reverse("programme:certificate_verify", args=[certificate.code]))
    assert check.status_code == 200 and session.title in check.content.decode()
    client.force_login(member)
    pdf = client.get(reverse("programme:certificate_pdf", args=[certificate.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(create_member())
    stranger = client.get(reverse("programme:certificate_pdf", args=[certificate.code]))
    assert stranger.status_code == 404
    assert Certificate.objects.count() == 1
