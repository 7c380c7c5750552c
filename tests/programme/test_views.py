"""The coordinators' page, its CSV files and chart, and a librarian's record: who may see
them, what they show, and what they cost."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from search.models import SearchLogEntry
from tests.factories import UserFactory
from tests.forum.factories import create_member, create_moderator
from tests.programme.conftest import NOVEMBER, after, answer, ask, at, solve

pytestmark = pytest.mark.django_db


def page_table(html: str, name: str) -> list[list[str]]:
    """A table of the page as its cells' text, row by row (without the action column)."""
    section = BeautifulSoup(html, "html.parser").find(id=f"table-{name}").find_parent("section")
    return [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"]) if not cell.form]
        for tr in section.select("tbody tr")
    ]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.fixture
def november(today):
    helper = create_member(username="budi", name="Budi Santoso")
    first = ask(at(2), title="Pemustaka lansia kesulitan memakai OPAC")
    solve(first, answer(first, after(at(2), 2), author=helper), after(at(2), 5))
    late = ask(at(3), title="Rak referensi selalu berantakan", area="manajemen-perpustakaan")
    ask(at(25, month=10), title="Pertanyaan bulan Oktober yang lama")
    SearchLogEntry.objects.create(
        query="Denda buku hilang", normalized="denda buku hilang", results=0, created_at=at(10)
    )
    SearchLogEntry.objects.create(
        query="denda buku hilang?", normalized="denda buku hilang", results=0, created_at=at(12)
    )
    return {"first": first, "late": late, "helper": helper}


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "librarian", "moderator"])
def test_only_coordinators_see_the_programme_pages(client, who, coordinator):
    member = create_member()
    if who != "visitor":
        client.force_login(member if who == "librarian" else create_moderator())
    addresses = [
        reverse("programme:insight"),
        reverse("programme:insight_csv", args=["areas"]),
        reverse("programme:chart", args=["asked"]),
        reverse("programme:record", args=[coordinator.username]),
    ]

    assert [client.get(url).status_code for url in addresses] == [404] * 4


def test_a_coordinator_gets_the_page_and_the_menu_link(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("programme:insight"))

    assert response.status_code == 200
    assert f'href="{reverse("programme:insight")}" aria-current="page"' in response.content.decode()


def test_a_librarian_sees_their_own_record_but_no_one_else_s(client):
    sari, dewi = create_member(username="sari"), create_member(username="dewi")
    client.force_login(sari)

    own = client.get(reverse("programme:record", args=["sari"]))
    other = client.get(reverse("programme:record", args=["dewi"]))
    profile = client.get(dewi.get_absolute_url()).content.decode()

    assert (own.status_code, other.status_code) == (200, 404)
    assert reverse("programme:record", args=["dewi"]) not in profile
    own_profile = client.get(sari.get_absolute_url()).content.decode()
    assert reverse("programme:record", args=["sari"]) in own_profile


# --- What the page shows ------------------------------------------------------------------------


def test_the_areas_table_shows_november_the_indonesian_way(client, coordinator, november):
    client.force_login(coordinator)

    html = client.get(reverse("programme:insight") + NOVEMBER).content.decode()
    rows = {row[0]: row[1:] for row in page_table(html, "areas")}

    # asked, answered within 24 h (%), solved (%), median hours to answer, to solution, late
    assert rows["Layanan Pemustaka"] == ["1", "100,0", "100,0", "2,0", "5,0", "0"]
    assert rows["Manajemen Perpustakaan"] == ["1", "0,0", "0,0", "—", "—", "1"]
    assert rows["Literasi Informasi"] == ["0", "—", "—", "—", "—", "0"]
    assert "1 November 2026" in html and "30 November 2026" in html


def test_unanswered_questions_link_to_them_and_empty_searches_are_grouped(
    client, coordinator, november
):
    client.force_login(coordinator)

    html = client.get(reverse("programme:insight") + NOVEMBER).content.decode()

    library = november["late"].author.library.name
    assert page_table(html, "unanswered") == [
        ["Rak referensi selalu berantakan", "Manajemen Perpustakaan", library, "3 November 2026"]
    ]
    assert november["late"].get_absolute_url() in html
    [search] = page_table(html, "searches")
    assert search[1] == "2"


def test_a_solved_undocumented_topic_offers_the_promotion(client, coordinator, november):
    client.force_login(coordinator)

    html = client.get(reverse("programme:insight") + NOVEMBER).content.decode()

    assert page_table(html, "undocumented") == [
        ["Pemustaka lansia kesulitan memakai OPAC", "Layanan Pemustaka", "0"]
    ]
    assert f'action="{reverse("kb:promote", args=[november["first"].pk])}"' in html


def test_an_empty_period_shows_zeros_and_dashes_not_an_error(client, coordinator, november):
    client.force_login(coordinator)

    response = client.get(
        reverse("programme:insight") + "?period=custom&start=2026-01-01&end=2026-01-31"
    )

    assert response.status_code == 200
    rows = page_table(response.content.decode(), "areas")
    assert {tuple(row[1:]) for row in rows} == {("0", "—", "—", "—", "—", "0")}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?period=custom&start=2026-11-01", "Pilih hari pertama dan hari terakhir."),
        ("?period=custom&start=2000-01-01&end=2026-11-30", "Pilih paling lama lima tahun."),
        ("?period=custom&start=kemarin&end=2026-11-30", "Masukkan tanggal yang valid."),
    ],
)
def test_a_wrong_filter_is_explained_and_the_others_are_kept(client, coordinator, query, error):
    client.force_login(coordinator)

    response = client.get(reverse("programme:insight") + query + "&area=teknologi-informasi")

    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert [row[0] for row in page_table(html, "areas")] == ["Teknologi Informasi"]


def test_the_page_costs_the_same_queries_for_a_month_and_for_five_years(
    client, coordinator, november
):
    client.force_login(coordinator)
    client.get(reverse("programme:insight"))  # the layout's unread count is cached from here
    counts = []
    for query in (NOVEMBER, "?period=custom&start=2022-01-01&end=2026-12-31"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("programme:insight") + query).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


# --- Downloads ----------------------------------------------------------------------------------


# Each table with a column of names in the same words on the page and in the file (dates are
# spelt out on the page, ISO in the file).
NAMED_COLUMN = {"areas": 0, "unanswered": 0, "trends": 1, "searches": 0, "libraries": 0}


@pytest.mark.parametrize("table", list(NAMED_COLUMN))
def test_every_table_downloads_as_csv_with_the_page_s_rows(client, coordinator, november, table):
    client.force_login(coordinator)
    html = client.get(reverse("programme:insight") + NOVEMBER).content.decode()

    response = client.get(reverse("programme:insight_csv", args=[table]) + NOVEMBER)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    _headings, *rows = csv_rows(response)
    shown = page_table(html, table)
    column = NAMED_COLUMN[table]
    assert rows
    assert [row[column] for row in rows] == [row[column] for row in shown]


def test_the_csv_says_the_figures_as_the_page_does_and_dates_as_iso(client, coordinator, november):
    client.force_login(coordinator)

    areas = csv_rows(client.get(reverse("programme:insight_csv", args=["areas"]) + NOVEMBER))
    late = csv_rows(client.get(reverse("programme:insight_csv", args=["unanswered"]) + NOVEMBER))

    assert areas[0][:2] == ["Bidang kompetensi", "Ditanyakan"]
    assert ["Layanan Pemustaka", "1", "100,0", "100,0", "2,0", "5,0", "0"] in areas
    assert late[1][-1] == "2026-11-03"


def test_an_unknown_table_or_chart_is_not_found(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("programme:insight_csv", args=["gaji"])).status_code == 404
    assert client.get(reverse("programme:chart", args=["gaji"])).status_code == 404


def test_the_chart_is_a_picture_without_script(client, coordinator, november):
    client.force_login(coordinator)

    response = client.get(reverse("programme:chart", args=["asked"]) + NOVEMBER)

    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert svg.startswith("<svg") and "<script" not in svg
    assert "Layanan Pemustaka" in svg and "Nov 2026" in svg


# --- A librarian's record -----------------------------------------------------------------------


def test_the_record_lists_answers_and_solutions_with_their_dates(client, november):
    helper = november["helper"]
    other = ask(at(20), title="Cara menata koran lama di ruang baca")
    reply = answer(other, after(at(20), 3), author=helper)
    client.force_login(helper)
    url = reverse("programme:record", args=["budi"]) + "?start=2026-11-01&end=2026-11-30"

    html = client.get(url).content.decode()
    rows = csv_rows(client.get(url + "&format=csv"))

    soup = BeautifulSoup(html, "html.parser")
    figures = [dd.get_text(strip=True) for dd in soup.select(".stats dd")]
    assert figures == ["2", "1", "0", "0", "0", "0", "0"]
    assert [r[:3] for r in rows[1:]] == [
        ["2026-11-20", "Jawaban", "Cara menata koran lama di ruang baca"],
        ["2026-11-02", "Jawaban yang dipilih sebagai solusi", november["first"].title],
    ]
    assert rows[1][3].endswith(reply.get_absolute_url())  # the answer itself, in its topic


def test_a_coordinator_sees_anyone_s_record(client, coordinator, november):
    client.force_login(coordinator)

    assert client.get(reverse("programme:record", args=["budi"])).status_code == 200


def test_an_inactive_member_s_record_is_not_found(client, coordinator):
    UserFactory(username="pergi", is_active=False)
    client.force_login(coordinator)

    assert client.get(reverse("programme:record", args=["pergi"])).status_code == 404


def test_the_page_speaks_english_too(client, coordinator, november):
    client.force_login(coordinator)
    with translation.override("en"):
        url = reverse("programme:insight") + NOVEMBER

    html = client.get(url).content.decode()

    assert "Questions by competency area" in html
    assert "November 1, 2026" in html or "1 November 2026" in html


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("id", ["1.234,5", "12.000", "4 Desember 2026", "—"]),
        ("en", ["1,234.5", "12,000", "4 December 2026", "—"]),
    ],
)
def test_figures_are_written_the_reader_s_way(language, shown):
    from programme.templatetags.programme import figure

    with translation.override(language):
        values = [figure(1234.5), figure(12000), figure(datetime.date(2026, 12, 4)), figure(None)]

    assert values == shown
