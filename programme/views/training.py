"""Training sessions for librarians: the list, a session's page, registration, check-in,
calendars, certificates and the evaluation. Coordinators' screens are in views.coordinating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum import permissions as forum_permissions
from forum import ratelimits, rendering
from forum.models import Category
from programme import calendar, certificates, permissions, selectors, services
from programme.forms import CheckInForm, EvaluationForm
from programme.models import CalendarFeed, Certificate, Material, Registration, TrainingSession

ICS = "text/calendar; charset=utf-8"


def _session(pk: int) -> TrainingSession:
    try:
        return selectors.session_page(pk=pk)
    except TrainingSession.DoesNotExist:
        raise Http404 from None


@require_safe
def sessions_view(request: HttpRequest) -> HttpResponse:
    areas = list(Category.objects.filter(training_sessions__isnull=False).distinct())
    area = next((a for a in areas if a.slug == request.GET.get("area")), None)
    context = {
        "areas": areas,
        "area": area,
        "upcoming": selectors.sessions_list(upcoming=True, area=area),
        "past": selectors.sessions_list(upcoming=False, area=area)[:50],
        "is_coordinator": permissions.is_coordinator(request.user),
    }
    return render(request, "programme/training/sessions.html", context)


@require_safe
def session_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    user = request.user
    registration = selectors.registration_of(session=session, user=user)
    registered = registration is not None and registration.status == Registration.Status.REGISTERED
    context = {
        "session": session,
        "registration": registration,
        "registered": registered,
        "waiting_position": (
            selectors.waiting_position(registration=registration)
            if registration and registration.status == Registration.Status.WAITING
            else None
        ),
        "can_register": forum_permissions.is_librarian(user),
        "shows_link": registered or permissions.is_coordinator(user),
        "topic_visible": session.topic_id and forum_permissions.can_view_topic(user, session.topic),
        "attended": selectors.attended_meetings(session=session, user=user)
        if registered
        else set(),
        "has_certificate": user.is_authenticated
        and (
            Certificate.objects.filter(session=session, user=user).exists()
            or selectors.attended_every_meeting(session=session, user=user)
        ),
        "can_evaluate": selectors.can_evaluate(session=session, user=user),
        "checkin_form": CheckInForm(),
        "checkin_open": any(m.checkin_open() for m in session.meetings.all()),
        "description_html": mark_safe(rendering.render_markdown(session.description).html),  # noqa: S308 - sanitised by nh3
        "is_coordinator": permissions.is_coordinator(user),
        "sees_results": permissions.can_see_results(user, session),
    }
    return render(request, "programme/training/session.html", context)


@login_required
@require_POST
def register_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        registration = services.registration_register(session=session, user=request.user)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
        return redirect(session)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are registered. The session is in your calendar feed."))
    else:
        messages.info(
            request,
            _(
                "The session is full: you are on the waiting list and will be told if a place "
                "frees up."
            ),
        )
    return redirect(session)


@login_required
@require_POST
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        services.registration_cancel(session=session, user=request.user)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(session)


@login_required
@require_POST
def checkin_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the check-in code."))
        return redirect(session)
    try:
        ratelimits.hit(user=request.user, action="checkin")
        services.attendance_check_in(
            session=session, user=request.user, code=form.cleaned_data["code"]
        )
    except ratelimits.RateLimited as limited:
        messages.error(
            request,
            _("Too many tries. Wait %(minutes)s minutes and try again.")
            % {"minutes": limited.minutes},
        )
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("You are checked in. Welcome!"))
    return redirect(session)


@require_safe
def material_view(request: HttpRequest, pk: int, material: int) -> HttpResponse:
    """A material's file, offered for download, never rendered as a page of ours."""
    found = get_object_or_404(Material, pk=material, session=pk)
    if not found.file:
        raise Http404
    name = found.file.name.rsplit("/", 1)[-1]
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Calendars -------------------------------------------------------------------------------


def _ics(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def session_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    registration = selectors.registration_of(session=session, user=request.user)
    with_link = (
        {session.pk}
        if registration and registration.status == Registration.Status.REGISTERED
        else set()
    )
    data = calendar.calendar([session], name=session.title, with_link=with_link)
    response = _ics(data, f"pelatihan-{session.pk}.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """A member's private feed: the sessions they are registered for or waiting for. The
    token is the key (calendar apps send no cookies)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    registrations = Registration.objects.filter(user=feed.user).exclude(
        status=Registration.Status.CANCELLED
    )
    sessions = TrainingSession.objects.filter(
        pk__in=registrations.values("session")
    ).prefetch_related("meetings")
    seated = set(
        registrations.filter(status=Registration.Status.REGISTERED).values_list(
            "session", flat=True
        )
    )
    data = calendar.calendar(sessions, name=_("Serambi training"), with_link=seated)
    response = HttpResponse(data, content_type=ICS)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def calendar_view(request: HttpRequest) -> HttpResponse:
    feed = services.calendar_feed_get(user=request.user)
    url = request.build_absolute_uri(feed_url(feed))
    return render(
        request,
        "programme/training/calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


@login_required
@require_POST
def calendar_reset_view(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("programme:calendar")


def feed_url(feed: CalendarFeed) -> str:
    return reverse("programme:feed", kwargs={"token": feed.token})


# --- Certificates and the evaluation ---------------------------------------------------------


@login_required
@require_safe
def certificate_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        certificate = services.certificate_issue(session=session, user=request.user)
    except services.RegistrationRefused:
        raise Http404 from None
    return _pdf(request, certificate)


@login_required
@require_safe
def certificate_pdf_view(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate already issued, for its holder (also once its session is gone)."""
    return _pdf(request, get_object_or_404(Certificate, code=code, user=request.user))


def _pdf(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    pdf = certificates.certificate_pdf(certificate, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def certificate_verify_view(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone may check a certificate: what it says, and nothing else about its holder."""
    certificate = get_object_or_404(Certificate, code=code)
    response = render(
        request, "programme/training/certificate_verify.html", {"certificate": certificate}
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    if not selectors.can_evaluate(session=session, user=request.user):
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                session=session, user=request.user, answers=form.cleaned_data
            )
        except services.RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Thank you: your evaluation is recorded."))
        return redirect(session)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "programme/training/evaluation.html",
        {"session": session, "form": form},
        status=status,
    )
