"""The coordinators' page (/program/), its CSV files and chart, and a librarian's record."""

from __future__ import annotations

import csv
import datetime

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from programme import charts, csvfiles, emails, insight, permissions, record, services
from programme.forms import InsightFilters, RecordFilters

CHARTS = {"asked": _("Questions asked per month"), "solved": _("Questions solved per month")}


def _insight(request: HttpRequest, **only) -> tuple[InsightFilters, insight.Insight]:
    permissions.check_is_coordinator(user=request.user)
    filters = InsightFilters(request.GET or None)
    chosen = filters.chosen()
    built = insight.build(
        period=chosen["period"], area=chosen["area"], library=chosen["library"], **only
    )
    return filters, built


@require_safe
def insight_view(request: HttpRequest) -> HttpResponse:
    filters, built = _insight(request)
    query = request.GET.urlencode()
    context = {
        "filters": filters,
        "insight": built,
        "query": f"?{query}" if query else "",
        "tables": built.tables,
    }
    return render(request, "programme/insight.html", context)


def _csv(name: str, headings: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


def _cell(value) -> str:
    # The page's figures as the page shows them (1.234,5 in Indonesian), dates as ISO.
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    if isinstance(value, str):
        return csvfiles.text_cell(value)
    return "" if value is None else str(value)


@require_safe
def insight_csv_view(request: HttpRequest, table: str) -> HttpResponse:
    if table not in insight.TABLES:
        raise Http404
    _filters, built = _insight(request, tables=(table,), trend=False)
    chosen = built.table(table)
    first = built.period.first_day.isoformat()
    return _csv(f"serambi-{table}-{first}", chosen.headings, chosen.rows)


@require_safe
def chart_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CHARTS:
        raise Http404
    _filters, built = _insight(request, tables=())
    svg = charts.trend_svg(built, kind=kind, title=str(CHARTS[kind]))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # A picture: its own styles, never a script (pygal's are left out).
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
def record_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    permissions.check_can_see_record(viewer=request.user, member=member)
    filters = RecordFilters(request.GET or None)
    period = filters.chosen()
    if request.GET.get("format") == "csv":
        rows = record.rows(member=member, period=period)
        name = f"serambi-record-{member.username}-{period.first_day}"
        return _csv(name, record.headings(), rows)
    context = {
        "member": member,
        "filters": filters,
        "period": period,
        "record": record.build(member=member, period=period),
        "query": request.GET.urlencode(),
    }
    return render(request, "programme/record.html", context)


# Mail programs post here without a session or CSRF token (RFC 8058 one-click); the signed
# token in the address is the authorisation, and it can only ever turn the email off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=emails.read_unsubscribe_token(token), is_active=True)
    except (signing.BadSignature, User.DoesNotExist, ValueError, KeyError):
        return render(request, "programme/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.weekly_report_stop(user=user)
        return render(request, "programme/unsubscribe.html", {"done": True})
    return render(request, "programme/unsubscribe.html", {"token": token})
