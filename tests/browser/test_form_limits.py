"""A form with more text than Serambi takes, in a real browser: stopped before it is sent, with
the reason said in the form, and everything typed still there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_forum_journey import sign_in
from tests.forum.factories import create_member

pytestmark = pytest.mark.browser


def test_a_question_too_large_to_send_stays_in_the_form_with_the_reason(context):
    page = sign_in(context, create_member())
    page.goto("/forum/ask/")
    page.locator("#id_title").fill("Bagaimana mendata koleksi hibah yang sangat banyak?")
    # More than the server takes. The textarea's maxlength stops typing long before that, but
    # a value set by a script (an autofill tool, a browser extension) is not held to it.
    page.locator("#id_body").evaluate(
        """(box) => {
            box.value = "Judul buku; pengarang; tahun\\n".repeat(40000);
            box.dispatchEvent(new Event("input", { bubbles: true }));
        }"""
    )

    page.get_by_role("button", name="Kirim pertanyaan").click()

    expect(page.get_by_role("alert")).to_contain_text("melebihi batas Serambi")
    expect(page).to_have_url(re.compile(r"/forum/ask/$"))
    assert page.locator("#id_body").input_value().startswith("Judul buku; pengarang")
    assert len(page.locator("#id_body").input_value()) > 1024 * 1024
