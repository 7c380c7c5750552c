"""The knowledge base's own pages beside Wagtail's: a librarian's submissions (the guided
report form, its preview, sending it to the editors), feedback, and promoting a forum topic."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.models import Page

from forum import selectors as forum_selectors
from forum.uploads import UploadRejected
from kb import permissions, selectors, services
from kb.models import ReportPage
from kb.submission_forms import FORMSETS, PHOTO_SLOTS, ReportForm


@login_required
@require_safe
def submissions_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kb/submissions.html",
        {
            "submissions": selectors.submissions_of(user=request.user),
            "can_submit": permissions.can_submit(request.user),
        },
    )


def _formsets(data=None, initial=None):
    initial = initial or {}
    return {
        prefix: formset(data, prefix=prefix, initial=initial.get(prefix))
        for prefix, formset in FORMSETS.items()
    }


def _count(value) -> int:
    """A formset's row count as sent: anything but a small number counts as none."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 4 else 0


def _store_uploads(request: HttpRequest, data) -> tuple[dict, list[str]]:
    """Store the photos and documents of this submit right away; return the form data with
    their ids filled in (so a failed submit offers them again) and any rejection messages."""
    data = data.copy()
    errors: list[str] = []
    total = _count(data.get("practices-TOTAL_FORMS"))
    for n in range(min(total, FORMSETS["practices"].max_num)):
        for slot in range(1, PHOTO_SLOTS + 1):
            upload = request.FILES.get(f"practices-{n}-photo_{slot}")
            if upload is None:
                continue
            try:
                image = services.image_from_upload(uploader=request.user, file=upload)
            except UploadRejected as error:
                errors.append(f"{upload.name}: {error}")
            else:
                data[f"practices-{n}-photo_{slot}_id"] = str(image.pk)
    kept = [pk for pk in data.getlist("document_ids") if pk not in data.getlist("remove_document")]
    for upload in request.FILES.getlist("documents")[:10]:
        try:
            kept.append(str(services.document_from_upload(uploader=request.user, file=upload).pk))
        except UploadRejected as error:
            errors.append(f"{upload.name}: {error}")
    data.setlist("document_ids", kept)
    return data, errors


def _report_data(form, formsets, *, user) -> services.ReportData:
    images = selectors.own_images(
        user=user,
        ids=[
            f.cleaned_data.get(f"photo_{slot}_id")
            for f in formsets["practices"].forms
            for slot in range(1, PHOTO_SLOTS + 1)
        ],
    )
    practices = []
    for practice in formsets["practices"].forms:
        values = practice.cleaned_data
        if not values:
            continue
        photos = [
            {"image": images[values[f"photo_{slot}_id"]], "alt": values[f"photo_{slot}_alt"]}
            for slot in range(1, PHOTO_SLOTS + 1)
            if values.get(f"photo_{slot}_id") in images
        ]
        practices.append(
            {
                key: values[key]
                for key in (
                    "title",
                    "description",
                    "why_it_works",
                    "resources_and_cost",
                    "prerequisites",
                )
            }
            | {"photos": photos}
        )
    data = form.cleaned_data
    return services.ReportData(
        title=data["title"],
        host_library=data["host_library"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        scheme=data["scheme"],
        areas=list(data["areas"]),
        tags=data["tags"],
        participants=data["colleagues"],
        summary=data["summary"],
        objectives=data["objectives"],
        lessons_learned=data["lessons_learned"],
        follow_up_status=data["follow_up_status"],
        follow_up_date=data["follow_up_date"],
        practices=practices,
        adaptation_plan=[f.cleaned_data for f in formsets["plan"].forms if f.cleaned_data],
        contacts=[f.cleaned_data for f in formsets["contacts"].forms if f.cleaned_data],
        attachments=selectors.own_documents(user=user, ids=form.data.getlist("document_ids")),
    )


def _photos_missing_alt(formsets) -> bool:
    missing = False
    for practice in formsets["practices"].forms:
        values = getattr(practice, "cleaned_data", {}) or {}
        for slot in range(1, PHOTO_SLOTS + 1):
            if values.get(f"photo_{slot}_id") and not values.get(f"photo_{slot}_alt"):
                practice.add_error(f"photo_{slot}_alt", _("Say what the photo shows."))
                missing = True
    return missing


def _render_form(request, *, form, formsets, page, document_ids, upload_errors=(), status=200):
    context = {
        "form": form,
        "formsets": formsets,
        "page": page,
        "upload_errors": list(upload_errors),
        "documents": selectors.own_documents(user=request.user, ids=document_ids),
    }
    return render(request, "kb/submission_form.html", context, status=status)


def _report_form_view(request: HttpRequest, page: ReportPage | None) -> HttpResponse:
    if request.method == "GET":
        initial = selectors.report_initial(page=page) if page else {}
        return _render_form(
            request,
            form=ReportForm(initial=initial.get("report")),
            formsets=_formsets(initial=initial),
            page=page,
            document_ids=initial.get("document_ids", []),
        )

    data, upload_errors = _store_uploads(request, request.POST)
    more = request.POST.get("more")
    if more in FORMSETS:  # "one more practice/step/contact": a row, no validation yet
        total = f"{more}-TOTAL_FORMS"
        data[total] = str(min(_count(data.get(total)) + 1, FORMSETS[more].max_num))
        form, formsets = ReportForm(data), _formsets(data)
        _quiet(form, *formsets.values())  # nothing is wrong yet: the librarian is still writing
        return _render_form(
            request,
            form=form,
            formsets=formsets,
            page=page,
            document_ids=data.getlist("document_ids"),
            upload_errors=upload_errors,
        )

    form, formsets = ReportForm(data), _formsets(data)
    # A list, not a generator: every formset validates, so that all their errors show.
    valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])  # noqa: C419
    missing_alt = _photos_missing_alt(formsets)  # said now, even when other errors show too
    valid = valid and not missing_alt and not upload_errors
    if valid:
        try:
            # Saving and sending succeed together: a refused send must not leave a new draft
            # behind, which the form (still addressed to "new") would then save a second time.
            with transaction.atomic():
                saved = services.report_save_draft(
                    author=request.user,
                    data=_report_data(form, formsets, user=request.user),
                    page=page,
                )
                if "submit" in request.POST:
                    services.report_submit(
                        page=ReportPage.objects.get(pk=saved.pk), by=request.user
                    )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Sent to the editors. You will hear from them here."))
            else:
                messages.success(request, _("Draft saved. Only you and the editors can see it."))
            return redirect("kb:submissions")
    return _render_form(
        request,
        form=form,
        formsets=formsets,
        page=page,
        document_ids=data.getlist("document_ids"),
        upload_errors=upload_errors,
        status=400,
    )


def _quiet(*forms_and_formsets) -> None:
    """Bound, but showing no errors: Django validates a form when its errors are first read,
    and an empty error list counts as read."""
    for item in forms_and_formsets:
        if hasattr(item, "forms"):
            item._errors, item._non_form_errors = [], item.error_class()
            _quiet(*item.forms)
        else:
            item._errors = ErrorDict()


@login_required
@require_http_methods(["GET", "POST"])
def submission_new_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_submit(user=request.user)
    return _report_form_view(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(ReportPage, pk=pk)
    status, _state = services.report_state(page)
    permissions.check_can_edit_submission(
        user=request.user, page=page, needs_changes=status == "needs_changes"
    )
    return _report_form_view(request, page)


@login_required
@require_safe
def submission_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission as it will look, from its latest revision: for its owner and editors."""
    page = get_object_or_404(Page, pk=pk).specific
    permissions.check_can_view_submission(user=request.user, page=page)
    draft = page.get_latest_revision_as_object()
    response = TemplateResponse(request, draft.get_template(request), draft.get_context(request))
    response.context_data["is_preview"] = True
    return response


@login_required
@require_POST
def submission_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(ReportPage, pk=pk)
    try:
        services.report_submit(page=page, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent to the editors. You will hear from them here."))
    return redirect("kb:submissions")


@login_required
@require_POST
def feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.feedback_page(pk=pk)
    helpful = request.POST.get("helpful")
    if helpful not in {"yes", "no"}:
        messages.error(request, _("Choose yes or no."))
        return redirect(page.url)
    try:
        services.feedback_give(
            page=page,
            user=request.user,
            helpful=helpful == "yes",
            comment=request.POST.get("comment", "").replace("\x00", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(f"{page.url}#feedback")


@login_required
@require_POST
def promote_view(request: HttpRequest, topic_pk: int) -> HttpResponse:
    topic = forum_selectors.topic_page(topic_id=topic_pk, user=request.user)
    try:
        page = services.article_draft_from_topic(topic=topic, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(topic)
    if permissions.is_editor(request.user):
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    messages.success(
        request, _("A draft article was made from this topic; the editors will take it from here.")
    )
    return redirect(topic)
