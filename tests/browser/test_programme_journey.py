"""The programme's pages in a real browser: a coordinator narrows the insight to one area and
a period, sees the chart and its table, and downloads a CSV with the table's rows; both pages
pass axe and read on a 360 px phone."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import roles
from forum import services
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.browser.test_forum_journey import sign_in
from tests.forum.factories import competency_area, create_member

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 720}
# An image's natural width once it has loaded (0 if it failed), however long it takes.
LOADED_WIDTH = """image => image.complete ? image.naturalWidth : new Promise(resolve => {
    image.addEventListener("load", () => resolve(image.naturalWidth), {once: true});
    image.addEventListener("error", () => resolve(0), {once: true});
})"""


def asked(days_ago: float, title: str, area: str, *, answered_after: float | None = None):
    """A question asked some days ago, answered by a colleague some hours later if at all."""
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    with time_machine.travel(moment, tick=False):
        topic = services.topic_create(
            author=create_member(), category=competency_area(area), title=title, body="Bagaimana?"
        )
    if answered_after is not None:
        with time_machine.travel(moment + datetime.timedelta(hours=answered_after), tick=False):
            services.reply_create(author=create_member(), topic=topic, body="Begini caranya.")
    return topic


@pytest.fixture
def programme():
    asked(
        9,
        "Pemustaka lansia kesulitan memakai katalog daring",
        "layanan-pemustaka",
        answered_after=3,
    )
    asked(8, "Anak-anak berisik di ruang baca setiap sore", "layanan-pemustaka")
    asked(7, "Jaringan internet perpustakaan sering putus", "teknologi-informasi")
    return create_member(username="rina", name="Rina Koordinator", role=roles.COORDINATORS)


def table_rows(page: Page, name: str) -> list[list[str]]:
    rows = page.locator(f"section:has(#table-{name}) tbody tr")
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()
    ]


def test_a_coordinator_narrows_the_insight_and_downloads_what_the_table_shows(context, programme):
    page = sign_in(context, programme)
    page.get_by_role("banner").get_by_role("link", name="Program", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Di mana pustakawan kesulitan")

    page.get_by_role("combobox", name="Bidang kompetensi").select_option(label="Layanan Pemustaka")
    page.get_by_role("combobox", name="Periode").select_option(label="Dari … sampai …")
    today = timezone.localdate()
    page.get_by_label("Dari:", exact=True).fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Sampai:", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Terapkan").click()

    expect(page).to_have_url(re.compile(r"[?&]area=layanan-pemustaka"))
    shown = table_rows(page, "areas")
    assert shown == [["Layanan Pemustaka", "2", "50,0", "0,0", "3,0", "—", "1"]]
    unanswered = table_rows(page, "unanswered")
    assert [row[0] for row in unanswered] == ["Anak-anak berisik di ruang baca setiap sore"]
    chart = page.get_by_role("img", name=re.compile("^Grafik: pertanyaan yang diajukan per bulan"))
    expect(chart).to_be_visible()
    # The chart is drawn by its own request, which may still be on its way: wait for it.
    assert chart.evaluate(LOADED_WIDTH) > 0

    with page.expect_download() as download:
        page.locator("section:has(#table-areas)").get_by_role("link", name="Unduh CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    headings, *rows = list(csv.reader(io.StringIO(text)))
    assert headings[0] == "Bidang kompetensi"
    # The page's dash for "no figure" is an empty cell in the file, where sums still work.
    assert rows == [[cell.replace("—", "") for cell in row] for row in shown]

    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_librarian_s_record_passes_axe_and_reads_on_a_phone(context, programme):
    librarian = create_member(username="sari", name="Sari Wulandari")
    topic = asked(5, "Cara menata koran lama di ruang baca", "manajemen-perpustakaan")
    services.reply_create(author=librarian, topic=topic, body="Pakai rak koran gantung.")
    page = sign_in(context, librarian)
    page.set_viewport_size(PHONE)

    page.get_by_role("banner").get_by_role("link", name="Profil saya").click()
    page.get_by_role("link", name="Catatan kontribusi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Catatan kontribusi Sari Wulandari")
    expect(page.get_by_role("row", name="Cara menata koran lama di ruang baca")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
