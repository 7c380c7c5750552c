"""One sign-in door: Wagtail's and Django admin's own sign-in and password pages lead to
allauth's, so that the same rules hold whichever way someone comes in (a verified email, the
rate limits, the lockout), and a member without the role is told so instead of looping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from tests.factories import PASSWORD, UserFactory
from tests.forum.factories import MembersOnlyCategoryFactory, TopicFactory

pytestmark = pytest.mark.django_db

ADMIN_SIGN_INS = ["/cms/login/", "/admin/login/"]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", ADMIN_SIGN_INS)
def test_an_admin_sign_in_form_signs_nobody_in_and_leads_to_the_one_door(client, door):
    unverified = UserFactory(verified=False, username="belum", email="belum@contoh.test")
    room = MembersOnlyCategoryFactory()
    secret = TopicFactory(category=room, title="Rencana anggaran rahasia tahun depan")

    response = client.post(door, {"username": unverified.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not signed_in(client)
    assert client.get(room.get_absolute_url()).status_code == 404
    assert client.get(secret.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("door", ADMIN_SIGN_INS)
def test_a_lockout_earned_at_the_sign_in_page_holds_at_the_admin_doors(client, door):
    editor = UserFactory(role=roles.EDITORS, is_staff=True, email="dewi@contoh.test")
    for _attempt in range(5):  # allauth: five failures for one account in five minutes
        client.post(reverse("account_login"), {"login": editor.email, "password": "salah"})

    client.post(door, {"username": editor.username, "password": PASSWORD})
    allauth = client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})

    assert not signed_in(client)
    assert allauth.status_code == 200  # the form again, with the lockout's message
    assert "Terlalu banyak percobaan masuk yang gagal" in allauth.content.decode()


def test_wagtails_password_reset_leads_to_the_one_reset_page(client):
    response = client.get("/cms/password_reset/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")


def test_a_librarian_opening_the_editors_admin_is_told_it_is_for_editors(client):
    client.force_login(UserFactory(librarian=True))

    response = client.get("/cms/", follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # no loop back to the sign-in page
    html = response.content.decode()
    assert "Hanya editor yang membuka admin editor" in html
    assert reverse("kb:submissions") in html


def test_a_moderator_opening_django_admin_is_told_it_is_for_administrators(client):
    client.force_login(UserFactory(librarian=True, role=roles.MODERATORS))

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Hanya administrator yang membuka admin ini" in response.content.decode()


def test_an_editor_signed_in_at_the_one_door_lands_where_they_were_going(client):
    editor = UserFactory(librarian=True, role=roles.EDITORS)

    first = client.get("/cms/pages/")
    to_sign_in = client.get(first["Location"])
    signed = client.post(to_sign_in["Location"], {"login": editor.email, "password": PASSWORD})

    assert first["Location"] == "/cms/login/?next=/cms/pages/"
    assert to_sign_in["Location"] == f"{reverse('account_login')}?next=/cms/pages/"
    assert signed["Location"] == "/cms/pages/"
    assert client.get("/cms/").status_code == 200


@pytest.mark.parametrize(
    "wanted", ["https://contoh-jahat.test/", "//contoh-jahat.test/", "/forum/"]
)
def test_the_admin_door_leads_only_into_its_own_admin(client, wanted):
    client.force_login(UserFactory(librarian=True, role=roles.EDITORS))

    response = client.get("/cms/login/", {"next": wanted})

    assert response["Location"] == reverse("wagtailadmin_home")
