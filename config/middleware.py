"""The two places where Wagtail's admin (/cms/) needs a looser rule than the rest of Serambi.

- Content-Security-Policy: the admin's date and time widgets and inline panels write small
  inline scripts with per-field values (wagtailadmin/widgets/*.html), which no hash can
  cover. Inline script is allowed there, and only there: the admin is reached by signed-in
  editors, and everything they see is escaped by Wagtail.
- Framing: the page editor previews a page in an iframe of its own origin.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.core.exceptions import BadRequest
from django.shortcuts import render

ADMIN_PREFIX = "/cms/"
# Longer addresses are answered with a page saying so (no page of ours needs one this long);
# the servers in front let longer ones through to here (deploy/gunicorn.conf.py).
MAX_URL_LENGTH = 4096


def is_admin(request) -> bool:
    return request.path_info.startswith(ADMIN_PREFIX)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin(request) and not report_only:
            parts.update = {**(parts.update or {}), "script-src": [UNSAFE_INLINE]}
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


def admin_framing_middleware(get_response):
    """Placed after Django's XFrameOptionsMiddleware, so that it answers first: that middleware
    leaves a header already set alone."""

    def middleware(request):
        response = get_response(request)
        if is_admin(request):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    return middleware


def reject_nul_middleware(get_response):
    """A NUL character in the address or the query is refused with 400: PostgreSQL cannot
    store or compare one, and no person types it. (Form fields refuse it themselves.)"""

    def middleware(request):
        if "\x00" in request.path or any("\x00" in v for v in request.GET.values()):
            raise BadRequest("NUL in the request")
        return get_response(request)

    return middleware


def friendly_refusals_middleware(get_response):
    """Refusals that Django answers with an empty body get a page in the member's language:
    an address too long to serve (414), and a form's address opened as a page (405)."""

    def middleware(request):
        if len(request.get_full_path()) > MAX_URL_LENGTH:
            context = {"max_length": MAX_URL_LENGTH}
            return render(request, "414.html", context, status=414)
        response = get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    return middleware
