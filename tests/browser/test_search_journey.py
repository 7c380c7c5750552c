"""Search in a real browser: a librarian typing a new question is shown the solved topic that
already answers it; the search page narrows by a facet; suggestions appear under the header's
box and the keyboard chooses one; a visitor's results hold nothing for members only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from forum import services
from tests.browser.test_accessibility import assert_no_axe_violations
from tests.browser.test_forum_journey import sign_in
from tests.forum.factories import (
    MembersOnlyCategoryFactory,
    ReplyFactory,
    TopicFactory,
    create_member,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def forum():
    """Topics as members write them; each write is indexed after its commit (the embedded
    default drains the search outbox at once)."""
    asker = create_member()
    solved = TopicFactory(author=asker, title="Pemustaka selalu terlambat mengembalikan buku")
    answer = ReplyFactory(topic=solved, body="Kirim pengingat lewat WhatsApp dua hari sebelumnya.")
    services.topic_mark_solution(topic=solved, post=answer, by=asker)
    TopicFactory(title="Jam buka perpustakaan desa saat musim panen", tags=["jam-layanan"])
    TopicFactory(title="Buku paket rusak dipinjam siswa", tags=["buku-paket"])
    secret = TopicFactory(
        category=MembersOnlyCategoryFactory(), title="Rapat pengurus: buku inventaris hilang"
    )
    return {"solved": solved, "secret": secret}


def test_typing_a_new_question_shows_the_solved_topic_that_answers_it(context, forum):
    page = sign_in(context, create_member())
    page.goto("/forum/ask/")

    page.locator("#id_title").fill("Anggota sering telat mengembalikan buku pinjaman")
    page.locator("#id_body").fill("Sudah ditegur tetapi tetap terlambat. Ada saran?")

    similar = page.locator("section.similar")
    expect(similar.get_by_role("heading")).to_have_text("Pertanyaan dan artikel serupa")
    expect(similar.get_by_role("link", name=forum["solved"].title)).to_be_visible()
    expect(similar.locator(".badge--solved")).to_have_text("Terselesaikan")


def test_the_search_page_narrows_by_a_facet_and_widens_again(page: Page, forum):
    page.goto("/search/?q=buku")
    hits = page.locator(".search-hits > li")
    expect(hits).to_have_count(2)

    page.get_by_role("link", name=re.compile(r"^#buku-paket")).click()

    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Buku paket rusak dipinjam siswa")
    chosen = page.locator(".facets a[aria-current=true]")
    expect(chosen).to_contain_text("#buku-paket")
    assert_no_axe_violations(page)
    chosen.click()
    expect(hits).to_have_count(2)


def test_suggestions_under_the_header_box_are_chosen_with_the_keyboard(page: Page, forum):
    page.goto("/")
    box = page.get_by_role("combobox", name="Cari pertanyaan dan artikel")

    box.press_sequentially("pemustaka sel")
    expect(page.get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(forum["solved"].get_absolute_url()) + "$"))


def test_a_visitors_results_hold_nothing_for_members_only(page: Page, forum):
    page.goto("/search/?q=buku+hilang+inventaris")

    results = page.locator(".search-results")
    expect(results).not_to_contain_text("Rapat pengurus")
    expect(page.locator(".facets")).not_to_contain_text("Ruang Anggota")
    page.goto("/")
    page.get_by_role("combobox", name="Cari pertanyaan dan artikel").press_sequentially("rapat")
    expect(page.get_by_role("option")).to_have_count(0)
