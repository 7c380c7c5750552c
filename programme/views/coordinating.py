"""The coordinators' screens for a session beside the admin's edit form: who registered, the
attendance list, the check-in codes, and the evaluation results (which a session's trainers
see too, as aggregates only)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.ids import parse_ids
from programme import csvfiles, permissions, selectors, services
from programme.models import TrainingSession
from programme.views.training import _session

TRAINER_MIN_ANSWERS = 3


@require_safe
def manage_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_is_coordinator(user=request.user)
    session = _session(pk)
    roster = selectors.roster(session=session)
    attended = selectors.attendance_table(session=session)
    meetings = list(session.meetings.all())
    rows = [
        (registration, [(m, (m.pk, registration.user_id) in attended) for m in meetings])
        for registration in roster
    ]
    context = {"session": session, "meetings": meetings, "rows": rows}
    return render(request, "programme/training/manage.html", context)


@require_POST
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_is_coordinator(user=request.user)
    session = _session(pk)
    added = removed = 0
    for meeting in session.meetings.all():
        present = parse_ids(request.POST.getlist(f"present-{meeting.pk}"))
        more, fewer = services.attendance_set(meeting=meeting, present=present, by=request.user)
        added, removed = added + more, removed + fewer
    messages.success(
        request,
        _("Attendance saved: %(added)s ticked, %(removed)s unticked.")
        % {"added": added, "removed": removed},
    )
    return redirect("programme:session_manage", pk=session.pk)


@require_safe
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    permissions.check_can_see_results(user=request.user, session=session)
    found = selectors.results(sessions=TrainingSession.objects.filter(pk=session.pk))
    coordinator = permissions.is_coordinator(request.user)
    context = {
        "session": session,
        "results": found,
        "questions": _questions(found),
        "is_coordinator": coordinator,
        # A trainer sees figures once enough attendees answered that none can be singled out,
        # and never the written answers.
        "hidden": not coordinator and found.responses < TRAINER_MIN_ANSWERS,
        "min_answers": TRAINER_MIN_ANSWERS,
    }
    return render(request, "programme/training/results.html", context)


@require_safe
def area_results_view(request: HttpRequest) -> HttpResponse:
    permissions.check_is_coordinator(user=request.user)
    areas = [
        (area, held, found, _questions(found)) for area, held, found in selectors.results_by_area()
    ]
    return render(request, "programme/training/area_results.html", {"areas": areas})


def _questions(found: selectors.Results) -> list[tuple[str, float | None, list[int]]]:
    labels = _labels()
    return [
        (labels[name], found.averages[name], found.distribution[name]) for name in selectors.SCORES
    ]


def _labels() -> dict[str, str]:
    from programme.models import Evaluation

    return {name: str(Evaluation._meta.get_field(name).verbose_name) for name in selectors.SCORES}


# --- CSV ----------------------------------------------------------------------------------------


def _csv(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that a spreadsheet opens it as UTF-8
    return response, csv.writer(response)


def _figure(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 2, use_l10n=True)


def _result_rows(writer, label: str, held: int, found: selectors.Results) -> None:
    row = [label, held, found.attendees, found.responses, _figure(found.response_rate)]
    for name in selectors.SCORES:
        row.append(_figure(found.averages[name]))
        row.extend(found.distribution[name])
    writer.writerow(row)


def _header() -> list[str]:
    header = [_("Session or area"), _("Sessions"), _("Attendees"), _("Answers"), _("Response rate")]
    for label in _labels().values():
        header.append(_("%(question)s: average") % {"question": label})
        header.extend(
            _("%(question)s: %(score)s") % {"question": label, "score": n} for n in range(1, 6)
        )
    return header


@require_safe
def results_csv_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_is_coordinator(user=request.user)
    session = _session(pk)
    found = selectors.results(sessions=TrainingSession.objects.filter(pk=session.pk))
    response, writer = _csv(f"evaluasi-pelatihan-{session.pk}.csv")
    writer.writerow(_header())
    _result_rows(writer, csvfiles.text_cell(session.title), 1, found)
    writer.writerow([])
    writer.writerow([_("What they will apply"), _("Comments")])
    for index in range(max(len(found.applies), len(found.comments))):
        writer.writerow(
            [
                csvfiles.text_cell(found.applies[index]) if index < len(found.applies) else "",
                csvfiles.text_cell(found.comments[index]) if index < len(found.comments) else "",
            ]
        )
    return response


@require_safe
def area_results_csv_view(request: HttpRequest) -> HttpResponse:
    permissions.check_is_coordinator(user=request.user)
    response, writer = _csv("evaluasi-pelatihan-per-bidang.csv")
    writer.writerow(_header())
    for area, held, found in selectors.results_by_area():
        _result_rows(writer, str(area), held, found)
    return response
