"""The HTTP requests every measurement sends: same headers, same cookies."""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from dataclasses import dataclass

Cookies = Mapping[str, str]

# What a browser sends that changes Django's answer; no Accept-Encoding, so bodies stay raw and
# sizes are comparable (a proxy compresses in production; see pages.page_size).
BASE_HEADERS = {"User-Agent": "serambi-bench", "Accept": "text/html,*/*"}


def cookie_header(cookies: Cookies | None) -> str:
    """`Cookie:` value for e.g. {"sessionid": "..."} (django_site.member_cookies gives one)."""
    return "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())


def request_headers(cookies: Cookies | None = None) -> dict[str, str]:
    headers = dict(BASE_HEADERS)
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    return headers


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def fetch(host: str, port: int, path: str, *, cookies: Cookies | None = None) -> Response:
    """One GET on a fresh connection."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers=request_headers(cookies))
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()
