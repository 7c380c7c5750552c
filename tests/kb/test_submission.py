"""A librarian writes up an internship through the guided form; editors publish it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from forum.models import Notification
from kb import services
from kb.models import ReportPage
from tests.kb.conftest import member, png, report_form_data

pytestmark = pytest.mark.django_db


def submit(client, host, **overrides):
    return client.post(reverse("kb:submission_new"), report_form_data(host, **overrides))


def decide(page, editor, action, comment=""):
    """What the editor's Approve / Request changes buttons in Wagtail's admin do."""
    state = page.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, editor, action, comment=comment)


def test_the_guided_form_saves_a_draft_only_its_owner_and_editors_see(client, author, editor, host):
    client.force_login(author)
    response = client.post(
        reverse("kb:submission_new"),
        report_form_data(
            host, **{"practices-0-photo_1": png(), "practices-0-photo_1_alt": "Meja sirkulasi"}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ReportPage.objects.get()
    assert (page.owner, page.live) == (author, False)
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Sirkulasi dengan SLiMS di perpustakaan provinsi"
    practice = draft.practices[0].value
    assert practice["title"] == "Pengingat sebelum jatuh tempo 1"
    [photo] = practice["photos"]
    assert photo["alt"] == "Meja sirkulasi" and photo["image"].width <= 1600
    assert [c.value["name"] for c in draft.contacts] == ["Ibu Ratna"]
    assert list(draft.participants.all()) == [author]

    assert Client().get("/kb/laporan-magang/").content.decode().count(draft.title) == 0
    preview = reverse("kb:submission_preview", args=[page.pk])
    assert client.get(preview).status_code == 200
    stranger = Client()
    stranger.force_login(member())
    assert stranger.get(preview).status_code == 404
    reviewer = Client()
    reviewer.force_login(editor)
    assert reviewer.get(preview).status_code == 200


def test_a_failed_submit_keeps_the_photo_and_what_was_typed(client, author, host):
    client.force_login(author)
    data = report_form_data(host, title="Pendek", **{"practices-0-photo_1": png()})
    response = client.post(reverse("kb:submission_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Pendek"' in html
    assert "Pengingat sebelum jatuh tempo 1" in html
    kept = response.context["formsets"]["practices"].forms[0]["photo_1_id"].value()
    assert kept  # stored at once, offered again
    assert not ReportPage.objects.exists()


def test_one_more_practice_adds_a_row_without_complaining(client, author, host):
    client.force_login(author)
    response = client.post(reverse("kb:submission_new"), report_form_data(host, more="practices"))
    assert response.status_code == 200
    assert response.context["formsets"]["practices"].total_form_count() == 2
    assert "field__errors" not in response.content.decode()


def test_submit_approve_publish_and_the_author_hears(client, author, editor, host):
    client.force_login(author)
    client.post(reverse("kb:submission_new"), report_form_data(host, submit="1"))
    page = ReportPage.objects.get()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(reverse("kb:submission_edit", args=[page.pk])).status_code == 403  # in review

    decide(page, editor, "approve")

    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200
    note = Notification.objects.get(recipient=author)
    assert (note.kind, note.subject, note.link) == ("review_approved", page.title, page.url)


def test_changes_requested_then_edited_and_sent_back(client, author, editor, host):
    client.force_login(author)
    client.post(reverse("kb:submission_new"), report_form_data(host, submit="1"))
    page = ReportPage.objects.get()

    decide(page, editor, "reject", comment="Tambahkan foto meja sirkulasi.")

    note = Notification.objects.get(recipient=author)
    assert (note.kind, note.message) == ("review_changes", "Tambahkan foto meja sirkulasi.")
    listing = client.get(reverse("kb:submissions")).content.decode()
    assert "Tambahkan foto meja sirkulasi." in listing
    edit = reverse("kb:submission_edit", args=[page.pk])
    assert client.get(edit).status_code == 200
    data = report_form_data(host, title="Sirkulasi dengan SLiMS, dengan foto meja", submit="1")
    assert client.post(edit, data).status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.get_latest_revision_as_object().title == "Sirkulasi dengan SLiMS, dengan foto meja"
    assert not page.live


def test_librarians_cannot_publish_or_reach_the_admin(client, author, host):
    client.force_login(author)
    client.post(reverse("kb:submission_new"), report_form_data(host))
    page = ReportPage.objects.get()
    admin = client.get(f"/cms/pages/{page.pk}/edit/", follow=True)
    assert admin.status_code == 403  # the "only editors" page, not a loop
    assert [url for url, _status in admin.redirect_chain] == [
        f"{reverse('cms_login')}?next=/cms/pages/{page.pk}/edit/"
    ]
    assert not ReportPage.objects.get().live
    other = Client()
    other.force_login(member())
    assert other.get(reverse("kb:submission_edit", args=[page.pk])).status_code == 403
    assert other.post(reverse("kb:submission_submit", args=[page.pk])).status_code == 403


def test_dates_in_the_wrong_order_are_a_form_error(client, author, host):
    client.force_login(author)
    response = submit(client, host, start_date="2026-08-14", end_date="2026-08-03")
    assert response.status_code == 400
    assert response.context["form"].errors["end_date"]


def test_a_photo_without_words_or_a_wrong_file_is_refused_clearly(client, author, host):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(author)
    response = submit(client, host, **{"practices-0-photo_1": png()})
    assert response.status_code == 400
    assert response.context["formsets"]["practices"].forms[0].errors["photo_1_alt"]
    exe = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    response = submit(client, host, **{"practices-0-photo_2": exe})
    assert response.status_code == 400
    assert response.context["upload_errors"]


def test_the_contacts_are_for_members_only(author, editor, host):
    client = Client()
    client.force_login(author)
    client.post(reverse("kb:submission_new"), report_form_data(host, submit="1"))
    page = ReportPage.objects.get()
    decide(page, editor, "approve")
    page.refresh_from_db()
    assert "ratna@contoh.test" in client.get(page.url).content.decode()
    visitor = Client().get(page.url).content.decode()
    assert "ratna@contoh.test" not in visitor and "Ibu Ratna" not in visitor


def test_report_state_reads_the_workflow(author, host):
    data = services.ReportData(
        title="Laporan tanpa formulir untuk uji",
        host_library=host,
        start_date=__import__("datetime").date(2026, 1, 1),
        end_date=__import__("datetime").date(2026, 1, 2),
        areas=[],
        summary="s",
        objectives="o",
        practices=[
            {
                "title": "t",
                "description": "d",
                "why_it_works": "w",
                "photos": [],
                "resources_and_cost": "",
                "prerequisites": "",
            }
        ],
    )
    page = services.report_save_draft(author=author, data=data)
    assert services.report_state(ReportPage.objects.get(pk=page.pk))[0] == "draft"


def pdf(name="anggaran-pribadi.pdf"):
    body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body)


def test_a_drafts_document_is_served_only_to_its_owner_and_editors(
    author, editor, host, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(author)
    data = report_form_data(host)
    data["documents"] = pdf()
    assert client.post(reverse("kb:submission_new"), data).status_code == 302
    page = ReportPage.objects.get()
    document = page.get_latest_revision_as_object().attachments[0].value["document"]
    assert client.get(document.url).status_code == 200
    assert Client().get(document.url).status_code == 404
    reviewer = Client()
    reviewer.force_login(editor)
    assert reviewer.get(document.url).status_code == 200

    page.get_latest_revision().publish(user=editor)
    assert Client().get(document.url).status_code == 200


def test_photos_are_stored_under_names_nobody_can_guess(author, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    image = services.image_from_upload(uploader=author, file=png("foto-ktp.png"))
    assert "foto-ktp" not in image.file.name
    assert image.title == "foto-ktp"


@pytest.mark.parametrize(
    "field, value, status",
    [
        # A tampered count of practices: the form says it cannot be read, and saves nothing.
        ("practices-TOTAL_FORMS", "abc", 400),
        # Ids no row can have, of documents or photos kept from an earlier submit: forgotten.
        ("document_ids", "9" * 25, 302),
        ("practices-0-photo_1_id", "9" * 25, 302),
    ],
)
def test_odd_form_input_is_answered_without_a_500(author, host, field, value, status):
    client = Client()
    client.force_login(author)
    data = report_form_data(host)
    data[field] = value

    assert client.post(reverse("kb:submission_new"), data).status_code == status
    assert ReportPage.objects.count() == (1 if status == 302 else 0)
    data.update({"more": "plan", "plan-TOTAL_FORMS": "x"})  # "one more step", count tampered
    assert client.post(reverse("kb:submission_new"), data).status_code == 200


def test_a_refused_send_leaves_no_draft_behind(author, host):
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.all().delete()  # an administrator removed the review workflow
    client = Client()
    client.force_login(author)
    response = client.post(reverse("kb:submission_new"), report_form_data(host, submit="1"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not ReportPage.objects.exists()  # sending again will not make a second draft
