"""Production's gunicorn settings (deploy/gunicorn.conf.py), with gunicorn really serving: what
reaches Django is answered in the member's language, not with gunicorn's bare English pages."""

from __future__ import annotations

import http.client

import pytest

from bench.lib.server import Site, gunicorn, site_env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gunicorn")
    env = site_env(workdir, database_url=f"sqlite:///{workdir / 'site.sqlite3'}")
    # The test settings serve static files from the sources: no collectstatic into the checkout.
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    with gunicorn(Site(env=env, workdir=workdir), config="deploy/gunicorn.conf.py") as running:
        yield running


def get(server, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Language": "id"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize("length", [5_000, 20_000])
def test_an_address_too_long_is_answered_by_serambi_in_indonesian(server, length):
    status, html = get(server, "/search/?q=" + "a" * length)

    assert status == 414
    assert "Alamat ini terlalu panjang" in html
    assert '<html lang="id">' in html
