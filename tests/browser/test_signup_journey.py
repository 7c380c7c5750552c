"""A librarian's first visit, in a real browser: join, confirm the email, fill in the profile,
sign out and come back. The site is Indonesian first; names are matched in Indonesian or
English so that the journey does not hang on the exact wording of a translation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, LibraryFactory

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")


def one_of(*names: str) -> re.Pattern[str]:
    """An accessible name in either of the site's languages."""
    return re.compile("^(" + "|".join(re.escape(name) for name in names) + ")$", re.IGNORECASE)


JOIN = one_of("Gabung", "Join")
SIGN_UP = one_of("Daftar", "Sign Up")
CONFIRM = one_of("Konfirmasi", "Confirm")
MY_PROFILE = one_of("Profil saya", "My profile")
EDIT_PROFILE = one_of("Ubah profil", "Edit profile")
SAVE_PROFILE = one_of("Simpan profil", "Save profile")
SIGN_OUT = one_of("Keluar", "Sign out")
SIGN_IN = one_of("Masuk", "Sign in")
VERIFY_EMAIL = re.compile(r"Verifikasi|Verify", re.IGNORECASE)
PASSWORD_MISMATCH = re.compile(r"kata sandi yang sama|same password", re.IGNORECASE)


def fill_signup_form(page: Page, *, password2: str = PASSWORD, library: str = "") -> None:
    page.locator("#id_name").fill("Sari Wulandari")
    page.locator("#id_email").fill("sari@contoh.test")
    page.locator("#id_username").fill("sari.w")
    if library:
        page.locator("#id_library").select_option(label=library)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(password2)
    page.get_by_role("main").get_by_role("button", name=SIGN_UP).click()


def test_a_librarian_joins_confirms_edits_the_profile_and_signs_in_again(
    page: Page, mailoutbox, live_server
):
    library = LibraryFactory(name="Perpustakaan SMA Negeri 1 Lubuklinggau")
    header = page.get_by_role("banner")
    main = page.get_by_role("main")

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    header.get_by_role("link", name=JOIN).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    fill_signup_form(page, library=f"{library.name} ({library.city})")
    expect(main.get_by_role("heading", level=1)).to_have_text(VERIFY_EMAIL)

    [mail] = mailoutbox
    assert mail.to == ["sari@contoh.test"]
    link = CONFIRM_LINK.search(mail.body)
    assert link, mail.body
    assert link.group().startswith(live_server.url)
    page.goto(link.group())
    expect(main).to_contain_text("sari@contoh.test")
    main.get_by_role("button", name=CONFIRM).click()

    # Signed in by the confirmation: the header now leads to the member's own profile.
    header.get_by_role("link", name=MY_PROFILE).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Sari Wulandari")
    expect(main).to_contain_text(library.name)
    profile_url = page.url
    main.get_by_role("link", name=EDIT_PROFILE).click()
    page.locator("#id_position").fill("Pustakawan Ahli Muda")
    main.get_by_role("button", name=SAVE_PROFILE).click()
    expect(page).to_have_url(profile_url)
    expect(main).to_contain_text("Pustakawan Ahli Muda")

    header.get_by_role("button", name=SIGN_OUT).click()
    expect(header.get_by_role("link", name=MY_PROFILE)).to_have_count(0)
    # The profile is public: a visitor sees the new position too.
    page.goto(profile_url)
    expect(main).to_contain_text("Pustakawan Ahli Muda")

    header.get_by_role("link", name=SIGN_IN).click()
    page.locator("#id_login").fill("sari@contoh.test")
    page.locator("#id_password").fill(PASSWORD)
    main.get_by_role("button", name=SIGN_IN).click()
    expect(header.get_by_role("link", name=MY_PROFILE)).to_be_visible()
    expect(header.get_by_role("button", name=SIGN_OUT)).to_be_visible()


def test_signup_with_mismatched_passwords_shows_the_error_at_the_field_and_keeps_the_input(
    page: Page, mailoutbox
):
    page.goto("/accounts/signup/")
    fill_signup_form(page, password2="kata-sandi-lain-8")

    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    second_password = page.locator("#id_password2")
    expect(second_password).to_have_attribute("aria-invalid", "true")
    expect(second_password).to_have_accessible_description(PASSWORD_MISMATCH)
    expect(page.locator("#id_password2_error")).to_have_text(PASSWORD_MISMATCH)
    expect(page.locator("#id_name")).to_have_value("Sari Wulandari")
    expect(page.locator("#id_email")).to_have_value("sari@contoh.test")
    assert mailoutbox == []
