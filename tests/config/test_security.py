"""Security headers and rules every page keeps, from the first page on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_carry_the_other_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_style():
    # The policy would block them in the browser; this finds them before a person does.
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if inline_script.search(text) or "<style" in text or re.search(r"\sstyle=", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
        if re.search(r"\son[a-z]+=", text):  # onclick=, onchange=…
            offenders.append(f"{template.relative_to(TEMPLATES)} (event handler attribute)")
    assert offenders == []


def test_a_post_without_the_csrf_token_is_refused_with_a_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@contoh.test", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in html
    assert 'class="site-header"' in html  # in the site's layout, not Django's bare page


def test_session_and_csrf_cookies_are_http_only(client, librarian):
    from tests.factories import PASSWORD

    client.get(reverse("account_login"))
    response = client.post(
        reverse("account_login"), {"login": librarian.email, "password": PASSWORD}
    )
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
