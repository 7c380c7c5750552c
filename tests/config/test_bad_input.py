"""Bad input gets a clear error and a 4xx, never a 500, and what was typed survives."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, LibraryFactory, UserFactory

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
    # The broken bytes become replacement characters: a form with errors, never a 500.
    assert response.status_code == 200
    assert "Masukkan alamat email yang valid" in response.content.decode()
    assert not User.objects.exists()


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


@pytest.mark.parametrize(
    "path",
    ["/search/?q=ab%00cd", "/forum/tags/suggest/?q=ab%00", "/forum/u/a%00b/", "/members/a%00b/"],
)
def test_a_nul_character_is_a_400(client, path):
    assert client.get(path).status_code == 400


# --- Odd input the issue tracker met (issue 7) ----------------------------------------------------

HUGE = "9" * 25  # beyond every database's integers


def test_a_stray_quote_in_a_search_is_a_results_page(client):
    response = client.get("/search/", {"q": 'ab"'})

    assert response.status_code == 200
    assert response.context["search_query"] == 'ab"'


@pytest.mark.parametrize(
    "path",
    [
        f"/kb/submissions/{HUGE}/edit/",
        f"/forum/t/{HUGE}/",
        f"/forum/p/{HUGE}/",
        f"/forum/attachments/{HUGE}/foto.png",
        "/forum/t/9223372036854775808/",  # one more than the largest id
    ],
)
def test_an_id_no_row_can_have_is_a_missing_page(member_client, path):
    assert member_client.get(path).status_code == 404


def test_an_action_on_an_id_no_row_can_have_is_a_missing_page(member_client):
    assert member_client.post(f"/forum/p/{HUGE}/helpful/").status_code == 404


def test_a_form_choice_no_row_can_have_is_a_form_error(member_client):
    from tests.kb.conftest import report_form_data

    data = report_form_data(LibraryFactory(), areas=[HUGE])

    response = member_client.post(reverse("kb:submission_new"), data)

    assert response.status_code == 400
    assert f"Masukkan pilihan yang valid. {HUGE} bukan salah satu" in response.content.decode()


def test_a_form_address_opened_as_a_page_says_what_it_is(member_client):
    response = member_client.get("/forum/notifications/read/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Alamat ini hanya menerima formulir" in response.content.decode()


def test_a_form_too_large_says_so_and_how_to_get_the_text_back(member_client):
    response = member_client.post(reverse("forum:ask"), {"body": "x" * (1024 * 1024 + 1)})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Yang Anda kirim terlalu besar" in html
    assert "tombol Kembali" in html
    assert "data-back" in html


def test_an_address_too_long_to_serve_is_a_page_in_indonesian(client):
    response = client.get("/search/", {"q": "perpustakaan " * 400})

    assert response.status_code == 414
    assert "Alamat ini terlalu panjang" in response.content.decode()


def test_an_expected_refusal_is_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        client.get(reverse("forum:flags"))  # a visitor: sent to sign in
        client.force_login(UserFactory(librarian=True))
        refused = client.get(reverse("forum:flags"))  # a librarian: 403

    [line] = [r for r in caplog.records if r.name == "django.request"]
    assert refused.status_code == 403
    assert (line.levelname, line.exc_info) == ("INFO", None)
    assert line.getMessage() == "Forbidden (Permission denied): /forum/flags/"
