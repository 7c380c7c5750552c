"""What a page weighs on the wire."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from bench.lib.client import Cookies, fetch

# nginx's and most proxies' default; Serambi itself does not compress HTML (no GZipMiddleware:
# compressing pages that carry a CSRF token invites BREACH).
GZIP_LEVEL = 6


@dataclass(frozen=True)
class PageSize:
    status: int
    raw_bytes: int
    gzip_bytes: int
    content_type: str


def page_size(host: str, port: int, path: str, *, cookies: Cookies | None = None) -> PageSize:
    """The body's size as the server sends it, and gzip-compressed as a proxy would send it."""
    response = fetch(host, port, path, cookies=cookies)
    return PageSize(
        status=response.status,
        raw_bytes=len(response.body),
        gzip_bytes=len(gzip.compress(response.body, compresslevel=GZIP_LEVEL)),
        content_type=response.headers.get("Content-Type", ""),
    )
