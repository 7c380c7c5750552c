"""Sign-up, email verification, sign-in and the account pages, as a member meets them."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


def signup_data(**overrides) -> dict:
    data = {
        "name": "Sari Wulandari",
        "email": "sari@contoh.test",
        "username": "sari",
        "library": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def confirm_path(mail) -> str:
    match = CONFIRM_LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def test_signup_then_confirm_then_sign_in_makes_a_librarian(client, mailoutbox, library):
    response = client.post(reverse("account_signup"), signup_data(library=library.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="sari@contoh.test")
    assert (user.name, user.username, user.library) == ("Sari Wulandari", "sari", library)
    assert not roles.has_role(user, roles.LIBRARIANS)
    [mail] = mailoutbox
    assert mail.to == ["sari@contoh.test"]
    assert mail.subject == "[Serambi] Mohon Konfirmasi Alamat E-mail Anda"

    link = confirm_path(mail)
    page = client.get(link)
    assert page.status_code == 200
    assert "sari@contoh.test" in page.content.decode()
    assert client.post(link).status_code == 302

    assert EmailAddress.objects.get(email="sari@contoh.test").verified
    assert roles.has_role(User.objects.get(pk=user.pk), roles.LIBRARIANS)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "sari@contoh.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_sign_in_before_verifying_is_held_at_the_verification_page(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "sari@contoh.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1  # not re-sent within minutes: the confirm_email rate limit


def test_signup_with_a_taken_email_looks_the_same_and_warns_the_owner(client, mailoutbox):
    owner = UserFactory(email="sari@contoh.test")
    response = client.post(reverse("account_signup"), signup_data(username="sari2"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="sari@contoh.test").count() == 1
    [mail] = mailoutbox
    assert mail.to == [owner.email]


def test_signup_errors_are_indonesian_and_keep_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        signup_data(password2="lain-sekali-123", name="Budi Santoso", email="budi@contoh.test"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anda harus mengetikkan kata sandi yang sama" in html
    assert 'value="Budi Santoso"' in html
    assert 'value="budi@contoh.test"' in html
    assert not User.objects.filter(email="budi@contoh.test").exists()


def test_password_reset_answers_alike_for_known_and_unknown_emails(client, mailoutbox):
    UserFactory(email="ada@contoh.test")
    url = reverse("account_reset_password")
    known = client.post(url, {"email": "ada@contoh.test"})
    unknown = client.post(url, {"email": "tidak-ada@contoh.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # the owner gets the reset link; the stranger's address gets an "unknown account" note
    assert [m.to for m in mailoutbox] == [["ada@contoh.test"], ["tidak-ada@contoh.test"]]
    assert "password/reset/key/" in mailoutbox[0].body
    assert "password/reset/key/" not in mailoutbox[1].body


def test_password_reset_link_sets_a_new_password(client, mailoutbox):
    UserFactory(email="ada@contoh.test")
    client.post(reverse("account_reset_password"), {"email": "ada@contoh.test"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new = "kata-sandi-baru-99"
    response = client.post(action, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert User.objects.get(email="ada@contoh.test").check_password(new)


def test_repeated_failed_sign_ins_are_rate_limited(client):
    UserFactory(email="ada@contoh.test")
    url = reverse("account_login")
    statuses = [
        client.post(url, {"login": "ada@contoh.test", "password": "salah"}).status_code
        for _ in range(6)
    ]
    last = client.post(url, {"login": "ada@contoh.test", "password": PASSWORD})
    assert statuses[:5] == [200] * 5
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak" in last.content.decode()


def test_email_change_needs_the_password_again_and_a_verified_new_address(client, mailoutbox):
    member = UserFactory(email="ada@contoh.test")
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    change = {"action_add": "", "email": "baru@contoh.test"}

    response = client.post(reverse("account_email"), change)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="baru@contoh.test").exists()

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(reverse("account_email"), change).status_code == 302
    [mail] = [m for m in mailoutbox if m.to == ["baru@contoh.test"]]
    member.refresh_from_db()
    assert member.email == "ada@contoh.test"  # not before the new address is confirmed

    client.post(confirm_path(mail))
    member.refresh_from_db()
    assert member.email == "baru@contoh.test"


def test_sign_out_needs_a_post(member_client):
    assert member_client.get(reverse("account_logout")).status_code == 200
    assert "_auth_user_id" in member_client.session
    member_client.post(reverse("account_logout"))
    assert "_auth_user_id" not in member_client.session
