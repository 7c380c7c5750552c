"""Site-wide pages: home, health, and the error pages Django does not render itself."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config import health


@require_safe
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


@never_cache
@require_safe
def healthz_view(request: HttpRequest) -> JsonResponse:
    """Each dependency's state as JSON; 503 when a required one is down."""
    results = health.run_all()
    required_down = any(r.required and not r.ok for r in results)
    optional_down = any(not r.required and not r.ok for r in results)
    status = "down" if required_down else "degraded" if optional_down else "ok"
    return JsonResponse(
        {"status": status, "checks": {r.name: r.as_dict() for r in results}},
        status=503 if required_down else 200,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's own failure view renders without the request, so our layout (language, the
    # signed-in user) would be missing; this one keeps it.
    return render(request, "403_csrf.html", status=403)


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400, saying plainly when the form was too large, and how to get the text
    back (the browser keeps it in the form the member came from)."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    context = {"too_large": too_large, "max_body": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    return render(request, "400.html", context, status=400)
