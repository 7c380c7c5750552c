"""Behind the reverse proxy, rate limits and the sign-in lockout count each person by the
address the proxy saw, and never by an X-Forwarded-For a client wrote itself."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_ip import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"  # compose's Caddy, on the stack's private network
OUTSIDE = "203.0.113.9"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUST_PROXY_HEADERS = True
    settings.TRUSTED_PROXY_COUNT = 1


def through(remote: str, forwarded: str | None = None) -> Client:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers)


def fail_to_sign_in(client: Client, times: int) -> None:
    # A different account each time: the per-address limit, not the per-account one, is met.
    for n in range(times):
        client.post(reverse("account_login"), {"login": f"orang{n}@contoh.test", "password": "x"})


def sign_in(client: Client, user) -> int:
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    ).status_code


LOCKED_OUT = "Terlalu banyak percobaan masuk yang gagal"


def test_two_members_behind_the_proxy_are_limited_separately(behind_proxy):
    ani, budi = through(PROXY, "198.51.100.1"), through(PROXY, "198.51.100.2")
    fail_to_sign_in(ani, 10)  # allauth: ten failures a minute from one address lock it out

    locked = ani.post(
        reverse("account_login"), {"login": UserFactory().email, "password": PASSWORD}
    )

    assert LOCKED_OUT in locked.content.decode()
    assert "_auth_user_id" not in ani.session
    assert sign_in(budi, UserFactory()) == 302


def test_a_forwarded_for_written_by_a_client_outside_the_proxy_is_not_believed(behind_proxy):
    forger = through(OUTSIDE, "198.51.100.2")
    fail_to_sign_in(forger, 10)

    again = forger.post(
        reverse("account_login"), {"login": UserFactory().email, "password": PASSWORD}
    )

    assert LOCKED_OUT in again.content.decode()  # the forger's own address is locked out
    assert sign_in(through(PROXY, "198.51.100.2"), UserFactory()) == 302  # not the one it named


def test_without_trusted_proxy_headers_the_connection_address_counts(settings):
    settings.TRUST_PROXY_HEADERS = False
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == PROXY


@pytest.mark.parametrize(
    ("remote", "forwarded", "count", "seen"),
    [
        (PROXY, "198.51.100.1", 1, "198.51.100.1"),
        # A client's own header before the proxy's hop is ignored.
        (PROXY, "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"),
        # Two proxies, each adding the hop it saw.
        (PROXY, "198.51.100.1, 10.0.0.3", 2, "198.51.100.1"),
        (PROXY, "", 1, PROXY),
        (PROXY, "bukan-alamat", 1, PROXY),
        (PROXY, "[2001:db8::7]:443", 1, "2001:db8::7"),
        (OUTSIDE, "198.51.100.1", 1, OUTSIDE),
    ],
)
def test_the_client_address_is_the_hop_the_trusted_proxy_added(
    behind_proxy, settings, remote, forwarded, count, seen
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == seen
