"""The one sign-in door, in a real browser: the editors' admin sends everyone to the site's own
sign-in page, an account whose email was never confirmed gets no further there than anywhere
else, and a librarian who opens the admin is told it is for editors instead of looping."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts import roles
from tests.browser.test_forum_journey import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.forum.factories import MembersOnlyCategoryFactory

pytestmark = pytest.mark.browser

SIGN_IN_BUTTON = "Masuk"


def fill_sign_in(page: Page, email: str) -> None:
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=SIGN_IN_BUTTON, exact=True).click()


def test_wagtails_sign_in_address_leads_to_the_site_sign_in_and_back(page: Page):
    editor = UserFactory(librarian=True, role=roles.EDITORS)

    page.goto("/cms/login/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)cms(/|%2F)$"))
    expect(page.locator("input[name=username]")).to_have_count(0)  # no Wagtail form anywhere
    fill_sign_in(page, editor.email)
    expect(page).to_have_url(re.compile(r"/cms/$"))


def test_an_unconfirmed_account_gets_no_further_at_the_admin_door(
    page: Page, page_problems, live_server
):
    unconfirmed = UserFactory(verified=False, email="belum@contoh.test")
    room = MembersOnlyCategoryFactory()
    page_problems.expect_http_error(live_server.url + room.get_absolute_url())

    page.goto("/cms/login/")
    fill_sign_in(page, unconfirmed.email)

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    assert page.goto(room.get_absolute_url()).status == 404


def test_a_librarian_opening_the_admin_is_told_it_is_for_editors(
    context, page_problems, live_server
):
    page = sign_in(context, UserFactory(librarian=True))
    page_problems.expect_http_error(f"{live_server.url}/cms/login/?next=/cms/")

    page.goto("/cms/")

    expect(page).to_have_url(re.compile(r"/cms/login/\?next=/cms/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hanya editor yang membuka admin editor"
    )
    expect(page.get_by_role("link", name="kiriman Anda")).to_be_visible()
