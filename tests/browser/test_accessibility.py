"""axe-core finds nothing to fix on the pages every visitor meets, at desktop width and at the
320 px of a small phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

axe = Axe()


def assert_no_axe_violations(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(context: BrowserContext, member, live_server) -> None:
    # Signing in through the form is the journey test's business; here only the session counts.
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/accounts/login/", "/accounts/signup/", "/search/?q=buku", "/search/"],
    ids=["home", "home-en", "sign-in", "sign-up", "search", "search-empty"],
)
def test_page_has_no_axe_violations(page: Page, path: str):
    page.goto(path)
    assert_no_axe_violations(page)


def test_home_at_320px_has_no_axe_violations_and_no_sideways_scrolling(page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    assert_no_axe_violations(page)
    # WCAG's reflow criterion, which axe does not check: nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_member_profile_has_no_axe_violations(page: Page):
    member = UserFactory(librarian=True, bio="Pustakawan di layanan sirkulasi.")
    page.goto(member.get_absolute_url())
    assert_no_axe_violations(page)


def test_own_profile_and_its_edit_page_signed_in_have_no_axe_violations(
    page: Page, context: BrowserContext, live_server
):
    member = UserFactory(librarian=True)
    sign_in(context, member, live_server)
    page.goto(member.get_absolute_url())
    assert_no_axe_violations(page)
    page.goto(reverse("accounts:profile_edit"))
    assert_no_axe_violations(page)


def test_not_found_page_has_no_axe_violations(page: Page, page_problems, live_server):
    missing = f"{live_server.url}/halaman-yang-tidak-ada/"
    page_problems.expect_http_error(missing)
    response = page.goto(missing)
    assert response.status == 404
    assert_no_axe_violations(page)
