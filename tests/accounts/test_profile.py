from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from tests.factories import LibraryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_profile_shows_name_position_library_and_member_since(client):
    member = UserFactory(name="Budi Santoso", position="Guru pustakawan", bio="Suka puisi")
    html = client.get(member.get_absolute_url()).content.decode()
    assert "Budi Santoso" in html
    assert f"@{member.username}" in html
    assert "Guru pustakawan" in html
    assert member.library.name in html
    assert "Anggota sejak" in html
    assert "Suka puisi" in html
    assert member.email not in html  # never shown to others


def test_profile_of_an_unknown_or_deactivated_member_is_404(client):
    gone = UserFactory(is_active=False)
    assert client.get(reverse("accounts:profile", args=["tidak-ada"])).status_code == 404
    assert client.get(gone.get_absolute_url()).status_code == 404


def test_editing_a_profile_needs_signing_in(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_edits_their_own_profile(member_client, librarian):
    library = LibraryFactory(name="Perpustakaan Desa Sumber Harta")
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"name": "Sari W.", "position": "Kepala", "library": library.pk, "bio": "Halo"},
    )
    assert response.status_code == 302
    assert response["Location"] == librarian.get_absolute_url()
    librarian.refresh_from_db()
    assert (librarian.name, librarian.position, librarian.library, librarian.bio) == (
        "Sari W.",
        "Kepala",
        library,
        "Halo",
    )
    page = member_client.get(response["Location"]).content.decode()
    assert "Profil Anda sudah disimpan." in page


def test_profile_edit_cannot_reach_another_member(member_client, librarian):
    other = UserFactory(name="Orang Lain")
    member_client.post(
        reverse("accounts:profile_edit"),
        {"name": "Diubah", "position": "", "bio": "", "username": other.username, "id": other.pk},
    )
    other.refresh_from_db()
    librarian.refresh_from_db()
    assert other.name == "Orang Lain"
    assert librarian.name == "Diubah"


def test_profile_update_service_saves_only_the_profile_fields(librarian):
    username, email = librarian.username, librarian.email
    services.profile_update(user=librarian, name="Baru", position="", library=None, bio="")
    librarian.refresh_from_db()
    assert (librarian.name, librarian.library, librarian.username, librarian.email) == (
        "Baru",
        None,
        username,
        email,
    )


def test_initials_and_avatar_colour_are_stable():
    member = UserFactory.build(username="sari", name="Sari Wulandari")
    assert member.initials == "SW"
    assert member.avatar_colour == UserFactory.build(username="sari").avatar_colour
    assert UserFactory.build(username="x", name="").initials == "X"
