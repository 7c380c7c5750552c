"""The knowledge base's journey, in a real browser: a librarian writes up an internship through
the guided form (a photo, and one more practice added on the way), an editor approves it in
Wagtail's admin, and the report appears in the knowledge base, its contacts for members only.
And the other way a review ends: the editor asks for changes, the librarian makes them and
sends the report back.

Translations are still being finished: links and buttons are found by their address, their
form role or a name in either language, never by one exact wording. In the admin, Wagtail's
workflow buttons are found by the action they carry (data-workflow-action-name)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect

from accounts import roles
from forum.models import Category
from kb import services
from kb.models import ReportPage
from tests.browser.test_forum_journey import sign_in
from tests.browser.test_signup_journey import SIGN_IN
from tests.factories import PASSWORD, LibraryFactory, UserFactory

pytestmark = pytest.mark.browser

KNOWLEDGE_BASE = re.compile(r"^(Basis pengetahuan|Knowledge base)$", re.IGNORECASE)
MY_SUBMISSIONS = re.compile(r"^(Kiriman saya|My submissions)$", re.IGNORECASE)
USER_SERVICES = re.compile(r"^(Layanan Pemustaka|User Services)$")
WRITE_UP = "a[href$='/kb/submissions/new/']"
# The statuses on "My submissions", as the librarian reads them.
WITH_THE_EDITORS = re.compile(r"editor", re.IGNORECASE)
PUBLISHED = re.compile(r"terbit|published", re.IGNORECASE)
CHANGES_REQUESTED = re.compile(r"perbaik|perubahan|changes", re.IGNORECASE)
READ_IT = re.compile(r"^(Baca|Read it)$", re.IGNORECASE)
EDIT = re.compile(r"^(Ubah|Edit)$", re.IGNORECASE)
SEND_BACK = re.compile(r"kirim|send", re.IGNORECASE)
APPROVE = re.compile(r"setuju|menyetujui|approve", re.IGNORECASE)

TITLE = "Sirkulasi dengan SLiMS di Dinas Perpustakaan Provinsi Sumatera Selatan"
PRACTICES = ("Pengingat sebelum jatuh tempo", "Laporan keterlambatan setiap Senin")
PHOTO_ALT = "Meja sirkulasi dengan daftar pengingat yang dicetak SLiMS setiap pagi"
CONTACT_EMAIL = "ratna@contoh.test"
COMMENT = "Tambahkan tahun pada judul, supaya mudah dicari."


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo(tmp_path) -> Path:
    """A photo as a phone takes it: larger than the site keeps."""
    path = tmp_path / "meja-sirkulasi.png"
    Image.new("RGB", (2000, 1500), (30, 120, 90)).save(path)
    return path


def librarian(name: str):
    """A librarian who joined a month ago."""
    return UserFactory(
        librarian=True, name=name, date_joined=timezone.now() - datetime.timedelta(days=30)
    )


def editor():
    return UserFactory(librarian=True, role=roles.EDITORS, name="Dewi Lestari")


def sign_in_to_the_admin(context: BrowserContext, member) -> Page:
    """Wagtail's admin sends editors to the site's own sign-in form, and back."""
    page = context.new_page()
    page.goto("/cms/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)cms(/|%2F)$"))
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=SIGN_IN).click()
    expect(page).to_have_url(re.compile(r"/cms/$"))
    return page


def submission(page: Page, title: str) -> Locator:
    """A row of "My submissions"."""
    return page.locator("li.submission").filter(has=page.get_by_text(title, exact=True))


def expect_status(row: Locator, status: str, words: re.Pattern[str]) -> None:
    """The row's badge: its colour (the class) and its words."""
    expect(row.locator(f".badge.badge--{status}")).to_have_text(words)


def fill_the_report(page: Page, host, photo: Path) -> None:
    """The guided form, as a librarian fills it: one practice with a photo, then one more."""
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_host_library").select_option(str(host.pk))
    page.locator("#id_start_date").fill("2026-08-03")
    page.locator("#id_end_date").fill("2026-08-14")
    page.get_by_label(USER_SERVICES).check()
    page.locator("#id_summary").fill(
        "Dua minggu di layanan sirkulasi: pengingat sebelum jatuh tempo dan laporan mingguan."
    )
    page.locator("#id_objectives").fill("Belajar menata alur sirkulasi dengan SLiMS.")

    page.locator("#id_practices-0-title").fill(PRACTICES[0])
    page.locator("#id_practices-0-description").fill(
        "Dua hari sebelum jatuh tempo, petugas mengirim pesan singkat yang ramah."
    )
    page.locator("#id_practices-0-why_it_works").fill("Kebanyakan pemustaka terlambat karena lupa.")
    page.locator("#id_practices-0-photo_1").set_input_files(photo)
    page.locator("#id_practices-0-photo_1_alt").fill(PHOTO_ALT)

    # "One more practice" goes to the server and back: nothing typed or uploaded is lost.
    page.locator("button[name=more][value=practices]").click()
    expect(page.locator("#id_practices-1-title")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_practices-0-title")).to_have_value(PRACTICES[0])
    expect(page.locator("#id_practices-0-photo_1_id")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("#id_practices-0-photo_1_alt")).to_have_value(PHOTO_ALT)
    expect(page.get_by_label(USER_SERVICES)).to_be_checked()
    expect(page.locator(".field__errors")).to_have_count(0)

    page.locator("#id_practices-1-title").fill(PRACTICES[1])
    page.locator("#id_practices-1-description").fill(
        "Setiap Senin, kepala layanan membaca laporan keterlambatan bersama petugas."
    )
    page.locator("#id_practices-1-why_it_works").fill("Tugasnya jelas, tidak ada yang sungkan.")

    page.locator("#id_plan-0-action").fill("Mencatat nomor WhatsApp anggota saat daftar ulang")
    page.locator("#id_plan-0-person_responsible").fill("Petugas keanggotaan")
    page.locator("#id_plan-0-timeline").fill("September–Oktober 2026")
    page.locator("#id_plan-0-success_indicator").fill("80% anggota aktif punya nomor tercatat")

    page.locator("#id_contacts-0-name").fill("Ibu Ratna")
    page.locator("#id_contacts-0-role").fill("Kepala layanan sirkulasi")
    page.locator("#id_contacts-0-email").fill(CONTACT_EMAIL)


def open_for_review(admin: Page, title: str) -> None:
    """From the admin's dashboard: the page awaiting this editor's review, in the editor."""
    admin.locator("#awaiting-review-section").get_by_role("link", name=title, exact=True).click()
    expect(admin).to_have_url(re.compile(r"/cms/pages/\d+/edit/$"))
    # The workflow's actions are in the footer's action menu, behind its toggle.
    admin.locator("footer [data-w-dropdown-target=toggle]").click()


def expect_not_public(visitor: Page, title: str) -> None:
    visitor.goto("/kb/laporan-magang/")
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
    expect(visitor.get_by_role("main")).not_to_contain_text(title)


def test_a_librarian_submits_a_report_an_editor_approves_it_and_everyone_can_read_it(
    context: BrowserContext,
    new_context: Callable[..., BrowserContext],
    page_problems,
    live_server,
    media: Path,
    photo: Path,
):
    host = LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan", city="Palembang")
    author = sign_in(context, librarian("Sari Wulandari"))
    author.get_by_role("banner").get_by_role("link", name=KNOWLEDGE_BASE).click()
    expect(author).to_have_url(re.compile(r"/kb/$"))
    author.get_by_role("main").locator(WRITE_UP).first.click()
    expect(author).to_have_url(re.compile(r"/kb/submissions/new/$"))

    fill_the_report(author, host, photo)
    author.locator("form.report-form button[type=submit][name=submit]").click()

    expect(author).to_have_url(re.compile(r"/kb/submissions/$"))
    expect(author.get_by_role("heading", level=1)).to_have_text(MY_SUBMISSIONS)
    expect_status(submission(author, TITLE), "in_review", WITH_THE_EDITORS)
    # Until an editor approves it, a visitor finds it neither in the list nor at its address.
    visitor = new_context().new_page()
    expect_not_public(visitor, TITLE)
    address = f"{live_server.url}{ReportPage.objects.get().url}"
    page_problems.expect_http_error(address)
    assert visitor.goto(address).status == 404

    admin = sign_in_to_the_admin(new_context(), editor())
    open_for_review(admin, TITLE)
    approve = admin.locator(
        "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    expect(approve).to_have_text(APPROVE)
    approve.click()
    expect(admin.locator(".messages .success")).to_contain_text(TITLE)

    author.reload()
    row = submission(author, TITLE)
    expect_status(row, "published", PUBLISHED)

    visitor.goto("/kb/laporan-magang/")
    visitor.get_by_role("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(visitor).to_have_url(address)
    main = visitor.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text(host.name)
    for number, practice in enumerate(PRACTICES, start=1):
        expect(main.locator(f"#praktik-{number} h3")).to_have_text(practice)
    image = main.locator("#praktik-1 img")
    expect(image).to_have_attribute("alt", PHOTO_ALT)
    expect(image).to_have_attribute("srcset", re.compile(r"\.width-480\.png 480w"))
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    # A rendition, not the original, and it loaded.
    shown = image.evaluate("img => img.currentSrc")
    assert re.search(r"/media/images/.+\.width-(480|800)\.png$", shown), shown
    assert image.evaluate("img => img.naturalWidth") > 0
    # Contacts are for members: the visitor is asked to sign in instead.
    expect(main).not_to_contain_text(CONTACT_EMAIL)
    expect(main).not_to_contain_text("Ibu Ratna")
    sign_in_for_contacts = main.locator("#contacts-title + p a[href^='/accounts/login/?next=']")
    expect(sign_in_for_contacts).to_be_visible()

    # The author, a member, reads it from "My submissions", contacts included.
    row.get_by_role("link", name=READ_IT).click()
    expect(author).to_have_url(address)
    expect(author.get_by_role("link", name=CONTACT_EMAIL)).to_be_visible()


def test_an_editor_asks_for_changes_and_the_librarian_sends_the_report_back(
    new_context: Callable[..., BrowserContext],
):
    member = librarian("Sari Wulandari")
    draft = services.report_save_draft(
        author=member,
        data=services.ReportData(
            title=TITLE,
            host_library=LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan"),
            start_date=datetime.date(2026, 8, 3),
            end_date=datetime.date(2026, 8, 14),
            areas=[Category.objects.get(slug="layanan-pemustaka")],
            summary="Dua minggu di layanan sirkulasi.",
            objectives="Belajar menata alur sirkulasi dengan SLiMS.",
            practices=[
                {
                    "title": PRACTICES[0],
                    "description": "Petugas mengirim pesan dua hari sebelumnya.",
                    "why_it_works": "Kebanyakan pemustaka lupa.",
                    "photos": [],
                }
            ],
        ),
    )
    services.report_submit(page=ReportPage.objects.get(pk=draft.pk), by=member)

    admin = sign_in_to_the_admin(new_context(), editor())
    open_for_review(admin, TITLE)
    admin.locator("footer button[data-workflow-action-name=reject]").click()
    dialog = admin.get_by_role("dialog")
    dialog.locator("textarea[name=comment]").fill(COMMENT)
    dialog.locator("form button[type=submit]").click()
    expect(admin.locator(".messages .success")).to_contain_text(TITLE)

    author = sign_in(new_context(), member)
    author.get_by_role("banner").get_by_role("link", name=KNOWLEDGE_BASE).click()
    author.get_by_role("main").get_by_role("link", name=MY_SUBMISSIONS).click()
    row = submission(author, TITLE)
    expect_status(row, "needs_changes", CHANGES_REQUESTED)
    expect(row).to_contain_text(COMMENT)

    row.get_by_role("link", name=EDIT).click()
    expect(author).to_have_url(re.compile(rf"/kb/submissions/{draft.pk}/edit/$"))
    expect(author.locator("#id_title")).to_have_value(TITLE)
    expect(author.locator("#id_practices-0-title")).to_have_value(PRACTICES[0])
    # The dates given before are there: an input of type date shows an ISO date or nothing,
    # and as they are required, the browser would refuse to send the form without them.
    dates = [author.locator(f"#id_{name}").input_value() for name in ("start_date", "end_date")]
    if dates != ["2026-08-03", "2026-08-14"]:
        pytest.fail(
            f"The edit form shows the internship's dates as {dates}, not the saved ones: "
            "kb/submission_forms.py (lines 47, 49, 85) gives its <input type=date> no format, "
            "so in Indonesian (the default) Django renders 03-08-2026, which the browser drops. "
            "The librarian must type every date again before saving. Fix: "
            'forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for start_date, '
            "end_date and follow_up_date.",
            pytrace=False,
        )
    new_title = f"{TITLE} (Agustus 2026)"
    author.locator("#id_title").fill(new_title)
    author.locator("form.report-form button[type=submit][name=save]").click()

    expect(author).to_have_url(re.compile(r"/kb/submissions/$"))
    row = submission(author, new_title)
    expect_status(row, "needs_changes", CHANGES_REQUESTED)
    row.get_by_role("button", name=SEND_BACK).click()
    row = submission(author, new_title)
    expect_status(row, "in_review", WITH_THE_EDITORS)
    expect(row).not_to_contain_text(COMMENT)

    # Back with the editor, under its new title.
    admin.goto("/cms/")
    review = admin.locator("#awaiting-review-section")
    expect(review.get_by_role("link", name=new_title, exact=True)).to_be_visible()
