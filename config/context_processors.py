from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def alternate_languages(request: HttpRequest) -> dict:
    """This page's address in each language, for <link rel="alternate" hreflang>."""

    def urls():
        path = request.get_full_path()
        for code, _name in settings.LANGUAGES:
            yield {"code": code, "url": request.build_absolute_uri(translate_url(path, code))}

    # Lazy: only pages that render the layout's <head> pay for the URL resolving.
    return {"alternate_languages": urls}
