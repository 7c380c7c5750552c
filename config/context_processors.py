from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import translate_url


def languages(request: HttpRequest) -> dict:
    """This page's address in each language: for <link rel="alternate" hreflang> and for the
    language switch, which must post the address in the default language (set_language runs
    outside i18n_patterns, in the default language, and cannot resolve /en/… addresses)."""
    path = request.get_full_path()

    def alternates():
        try:
            request.get_host()
        except DisallowedHost:  # rendering the 400 page for a request with a foreign Host
            return
        for code, _name in settings.LANGUAGES:
            yield {"code": code, "url": request.build_absolute_uri(translate_url(path, code))}

    def default_language_path():
        return translate_url(path, settings.LANGUAGE_CODE)

    # Callables, so that only pages rendering the layout pay for resolving URLs.
    return {"alternate_languages": alternates, "language_switch_next": default_language_path}
