"""Bad input gets a clear error and a 4xx, never a 500, and what was typed survives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, **fields):
    data = {
        "name": "Sari",
        "email": "sari@contoh.test",
        "username": "sari",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(fields)
    return client.post(reverse("account_signup"), data)


def test_an_oversized_body_is_refused_with_400(client):
    response = signup(client, name="x" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert not User.objects.exists()


def test_too_many_fields_are_refused_with_400(client):
    response = client.post(reverse("account_signup"), {f"f{i}": "x" for i in range(500)})
    assert response.status_code == 400


def test_an_overlong_name_is_a_form_error(client):
    response = signup(client, name="N" * 5000)
    assert response.status_code == 200
    assert "Pastikan nilai ini mengandung paling banyak 100 karakter" in response.content.decode()
    assert not User.objects.exists()


def test_a_null_character_is_a_form_error(client):
    response = signup(client, name="Sari\x00")
    assert response.status_code == 200
    assert "Karakter null tidak diizinkan" in response.content.decode()


@pytest.mark.parametrize("value", ["999999", "abc", "1; DROP TABLE"])
def test_an_unknown_library_is_a_form_error(client, value):
    response = signup(client, library=value)
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_malformed_encoding_does_not_break_the_form(client):
    response = client.generic(
        "POST",
        reverse("account_signup"),
        b"name=%FF%FE&email=%C0%80@x&username=%E0%A4",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {200, 400}


def test_a_malformed_email_is_a_form_error(client):
    response = signup(client, email="bukan email")
    assert response.status_code == 200
    assert "Masukkan alamat email yang valid" in response.content.decode()


def test_profile_edit_errors_keep_what_was_typed(member_client):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"name": "", "position": "Kepala perpustakaan", "bio": "Suka membaca"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bidang ini tidak boleh kosong" in html
    assert 'value="Kepala perpustakaan"' in html
    assert "Suka membaca" in html


def test_a_wrong_method_is_refused_with_405(client):
    assert client.post("/").status_code == 405
    assert client.delete("/healthz").status_code == 405


def test_a_foreign_host_header_is_a_400_not_a_500(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()
