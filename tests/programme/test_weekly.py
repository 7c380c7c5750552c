"""The coordinators' weekly email: sent on Monday morning once, in each one's language, with
a one-click unsubscribe."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts import roles
from programme import emails
from programme.tasks import send_weekly_reports
from search.models import SearchLogEntry
from tests.forum.factories import create_member
from tests.programme.conftest import WIB, ask

pytestmark = pytest.mark.django_db

MONDAY_MORNING = datetime.datetime(2026, 12, 7, 7, 30, tzinfo=WIB)
SUNDAY_NIGHT = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=WIB)


@pytest.fixture
def week(coordinator):
    ask(MONDAY_MORNING - datetime.timedelta(days=5), title="Anak-anak berisik di ruang baca")
    SearchLogEntry.objects.create(
        query="Sensus perpustakaan",
        normalized="sensus perpustakaan",
        results=0,
        created_at=MONDAY_MORNING - datetime.timedelta(days=2),
    )
    create_member()  # a librarian: no email for them


def send_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return send_weekly_reports.call()


def test_on_monday_morning_each_coordinator_gets_the_week_once(week, coordinator, mailoutbox):
    english = create_member(username="anna", role=roles.COORDINATORS, language="en")

    sent = [send_at(SUNDAY_NIGHT), send_at(MONDAY_MORNING), send_at(MONDAY_MORNING)]

    assert sent == [0, 2, 0]
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    indonesian = by_address[coordinator.email]
    assert "1 pertanyaan menunggu jawaban" in indonesian.subject
    assert "Anak-anak berisik di ruang baca" in indonesian.body
    assert '"Sensus perpustakaan" (1 kali dicari)' in indonesian.body
    assert "1 question waiting for an answer" in by_address[english.email].subject


def test_the_email_carries_a_one_click_unsubscribe(week, coordinator, mailoutbox):
    send_at(MONDAY_MORNING)
    [mail] = mailoutbox
    address = mail.extra_headers["List-Unsubscribe"].strip("<>")
    path = address.removeprefix("http://testserver")
    mail_program = Client(enforce_csrf_checks=True)  # posts with neither session nor token

    asked = mail_program.get(path)
    response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})

    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in mail.body
    assert asked.status_code == 200  # a question first: a link scanner's GET changes nothing
    assert response.status_code == 200
    next_monday = MONDAY_MORNING + datetime.timedelta(days=7)
    assert send_at(next_monday) == 0
    assert len(mailoutbox) == 1


def test_a_forged_unsubscribe_link_is_refused(client, coordinator):
    token = emails.unsubscribe_token(coordinator)[:-3] + "abc"

    response = client.post(reverse("programme:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert "Tautan ini tidak berlaku" in response.content.decode()


def test_the_scheduler_s_command_says_what_it_sent(week, coordinator, mailoutbox):
    out = StringIO()
    with time_machine.travel(SUNDAY_NIGHT, tick=False):
        call_command("programme_weekly", stdout=out)
        call_command("programme_weekly", "--now", stdout=out)

    assert "0 sent." in out.getvalue() and "1 sent." in out.getvalue()
    assert len(mailoutbox) == 1
