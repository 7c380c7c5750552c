from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest


def path_in(path: str, code: str) -> str:
    """The same page in another language. Serambi's paths are not translated, only prefixed
    (i18n_patterns: /en/… for English, no prefix for Indonesian), so this is a prefix swap;
    django.urls.translate_url resolved the whole URL and cost ~10% of a page (bench/)."""
    for other, _name in settings.LANGUAGES:
        prefix = f"/{other}/"
        if other != settings.LANGUAGE_CODE and path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    # "//host/x" would be read as another site's address.
    path = "/" + path.lstrip("/")
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def languages(request: HttpRequest) -> dict:
    """This page in each language: the footer's language links and <link rel="alternate">."""

    def alternates():
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # rendering the 400 page for a request with a foreign Host
            return
        path = request.get_full_path()
        for code, name in settings.LANGUAGES:
            local = path_in(path, code)
            yield {"code": code, "name": name, "path": local, "url": origin + local}

    # A callable: only pages that render the layout pay for it.
    return {"alternate_languages": alternates}


def limits(request: HttpRequest) -> dict:
    """What the page's script checks before sending a form, and whether it may open a live
    socket (static/js/serambi.js)."""
    return {"max_body": settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "live_updates": settings.LIVE_UPDATES}
