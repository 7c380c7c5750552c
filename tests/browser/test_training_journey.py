"""A training session in a real browser, from registration to the evaluation's results: a
librarian registers, the coordinator ticks her attendance, she downloads her certificate and
evaluates the session, and the coordinator reads the results. The pages pass axe, and the
session's page reads on a 360 px phone.

The session's one meeting ran from three hours to one hour ago, with registration still open
(a deadline after the meeting is allowed): the whole journey happens "now", no clock travel,
so the live server's thread and the test agree on the time.

Elements are found by their address, their form field's name or the data the test made,
never by a wording, so the journey holds in either language."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from programme.models import Attendance, Evaluation, Registration
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.browser.test_forum_journey import sign_in
from tests.forum.factories import create_member
from tests.programme.training import make_session

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 720}
DESKTOP = {"width": 1280, "height": 720}  # Playwright's default
TITLE = "Menyusun katalog koleksi lokal Lubuklinggau"
# The five scales, in the order of the form and of the results table.
SCORES = {
    "relevance": 5,
    "trainer": 4,
    "materials": 5,
    "confidence_before": 2,
    "confidence_after": 4,
}
APPLY = "Saya akan mencatat koleksi lokal dengan tajuk subjek yang seragam."


@pytest.fixture
def coordinator():
    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)


@pytest.fixture
def librarian():
    return create_member(username="sari", name="Sari Wulandari")


@pytest.fixture
def session(coordinator):
    now = timezone.now()
    return make_session(
        by=coordinator,
        title=TITLE,
        capacity=10,
        meetings=[(now - datetime.timedelta(hours=3), now - datetime.timedelta(hours=1))],
        deadline=now + datetime.timedelta(days=1),
        trainers=["Dr. Sulastri"],
    )


def test_a_librarian_registers_attends_gets_her_certificate_and_evaluates(
    new_context, session, librarian, coordinator
):
    session_url = reverse("programme:session", args=[session.pk])
    meeting = session.meetings.get()

    # (1) The librarian finds the session in the list and registers.
    page = sign_in(new_context(), librarian)
    page.goto(reverse("programme:sessions"))
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(session_url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.locator(
        f"form[action='{reverse('programme:session_register', args=[session.pk])}'] button"
    ).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(session_url)}$"))
    expect(page.locator(".messages .message--success")).to_be_visible()
    assert Registration.objects.get(session=session, user=librarian).status == (
        Registration.Status.REGISTERED
    )
    # Not attended yet: no certificate, no evaluation.
    certificate_link = page.locator(
        f"a[href='{reverse('programme:certificate', args=[session.pk])}']"
    )
    evaluation_url = reverse("programme:session_evaluation", args=[session.pk])
    evaluation_link = page.locator(f"a[href='{evaluation_url}']")
    expect(certificate_link).to_have_count(0)
    expect(evaluation_link).to_have_count(0)
    assert_no_axe_violations(page)

    # (2) The coordinator, in her own browser, ticks the librarian's attendance.
    coordinating = sign_in(new_context(), coordinator)
    coordinating.goto(reverse("programme:session_manage", args=[session.pk]))
    present = coordinating.locator(f"#present-{meeting.pk}-{librarian.pk}")
    expect(present).not_to_be_checked()
    present.check()
    coordinating.locator(
        f"form[action='{reverse('programme:session_attendance', args=[session.pk])}'] "
        "button[type=submit]"
    ).click()
    expect(coordinating.locator(".messages .message--success")).to_be_visible()
    expect(coordinating.locator(f"#present-{meeting.pk}-{librarian.pk}")).to_be_checked()
    assert Attendance.objects.filter(meeting=meeting, user=librarian).exists()

    # (3) The librarian's page now offers her certificate and the evaluation.
    page.reload()
    expect(page.locator(".training-meetings .badge")).to_have_count(1)
    expect(evaluation_link).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        certificate_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")

    page.set_viewport_size(PHONE)
    expect(certificate_link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    evaluation_link.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(evaluation_url)}$"))
    assert_no_axe_violations(page)
    for name, score in SCORES.items():
        page.locator(f"input[name={name}][value='{score}']").check()
    page.locator("textarea[name=apply]").fill(APPLY)
    page.locator("form.evaluation-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(session_url)}$"))
    expect(page.locator(".messages .message--success")).to_be_visible()
    expect(evaluation_link).to_have_count(0)  # once only
    evaluation = Evaluation.objects.get(session=session, user=librarian)
    assert {name: getattr(evaluation, name) for name in SCORES} == SCORES
    assert evaluation.apply == APPLY

    # (4) The coordinator reads the results: one answer, given by the one attendee.
    coordinating.goto(reverse("programme:session_results", args=[session.pk]))
    # "1 answers from 1 attendees (100%)", whatever the words: the rate says one of one.
    expect(coordinating.locator(".training p", has_text="(100%)")).to_have_count(1)
    rows = coordinating.locator(".training table tbody tr")
    expect(rows).to_have_count(len(SCORES))
    for row, score in zip(rows.all(), SCORES.values(), strict=True):
        # The average, then how many answered 1, 2, 3, 4 and 5.
        counts = ["1" if n == score else "0" for n in range(1, 6)]
        expect(row.locator("td")).to_have_text([re.compile(rf"^{score}\D0$"), *counts])
    expect(coordinating.locator(".training li", has_text=APPLY)).to_be_visible()
    assert_no_axe_violations(coordinating)
