"""The base interface: layout, languages and error pages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_is_in_indonesian_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Selesaikan masalah layanan perpustakaan bersama" in html
    assert 'hreflang="en" href="http://testserver/en/"' in html


def test_english_lives_under_en(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Solve library service problems together" in html


def test_the_language_links_lead_to_the_same_page_in_the_other_language(client):
    html = client.get("/accounts/login/?next=/members/sari/").content.decode()
    assert 'href="/en/accounts/login/?next=/members/sari/" hreflang="en"' in html
    english = client.get("/en/accounts/login/").content.decode()
    assert 'href="/accounts/login/" hreflang="id"' in english
    assert '<html lang="en">' in english


def test_visitor_pages_set_no_csrf_cookie(client):
    # Nothing a visitor sees posts a form, so no per-request token makes pages uncacheable.
    response = client.get("/")
    assert "csrftoken" not in response.cookies


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("account_login", "Masuk"),
        ("account_signup", "Daftar"),
        ("account_reset_password", "Reset Kata Sandi"),
        ("account_email_verification_sent", "Verifikasi Alamat E-mail Anda"),
    ],
)
def test_account_pages_are_in_the_layout_and_translated(client, name, title):
    html = client.get(reverse(name)).content.decode()
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert title in html


@pytest.mark.parametrize(
    ("name", "title"),
    [("account_email", "Alamat Email"), ("account_change_password", "Ubah Kata Sandi")],
)
def test_account_settings_pages_are_in_the_layout_and_translated(client, librarian, name, title):
    client.post(reverse("account_login"), {"login": librarian.email, "password": PASSWORD})
    html = client.get(reverse(name)).content.decode()
    assert 'class="manage__nav"' in html
    assert title in html


def test_signed_in_header_shows_the_member_and_a_sign_out_button(member_client, librarian):
    html = member_client.get("/").content.decode()
    assert librarian.get_absolute_url() in html
    assert f">{librarian.initials}<" in html
    assert 'action="/accounts/logout/"' in html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'class="site-header"' in html


def test_server_error_page_stands_alone():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


def test_static_assets_are_served(client):
    assert client.get("/static/css/serambi.css").status_code == 200
    assert client.get("/static/js/serambi.js").status_code == 200


def test_language_links_stay_on_this_site(rf):
    from config.context_processors import languages

    request = rf.get("/")
    request.path = "//evil.example/x"  # as a server passes such a path on (the client cannot)
    links = {link["code"]: link["path"] for link in languages(request)["alternate_languages"]()}
    assert links == {"id": "/evil.example/x", "en": "/en/evil.example/x"}
