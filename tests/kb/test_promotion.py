"""Knowledge-base findings of the independent review, kept from coming back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import roles
from forum import services as forum_services
from forum.models import Category
from kb import services
from kb.models import ArticlePage, ReportPage
from tests.kb.conftest import member, png, report_form_data

pytestmark = pytest.mark.django_db


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


def test_a_topic_whose_question_was_taken_back_is_not_copied_into_an_article(editor):
    asker, helper = member(), member()
    topic = forum_services.topic_create(
        author=asker,
        category=Category.objects.get(slug="layanan-pemustaka"),
        title="Nomor HP saya bocor di forum",
        body="Nomor HP saya 0812-0000.",
    )
    answer = forum_services.reply_create(author=helper, topic=topic, body="Hapus saja.")
    forum_services.topic_mark_solution(topic=topic, post=answer, by=asker)
    forum_services.post_delete(post=topic.posts.get(position=1), by=asker)
    moderator = Client()
    moderator.force_login(member(role=roles.MODERATORS))
    moderator.post(reverse("kb:promote", args=[topic.pk]))
    assert not ArticlePage.objects.exists()


def test_promoting_from_the_english_interface_writes_indonesian_headings(editor):
    asker, helper = member(), member()
    topic = forum_services.topic_create(
        author=asker,
        category=Category.objects.get(slug="layanan-pemustaka"),
        title="Pemustaka terlambat lagi bulan ini",
        body="Bagaimana?",
    )
    answer = forum_services.reply_create(author=helper, topic=topic, body="Pengingat.")
    forum_services.topic_mark_solution(topic=topic, post=answer, by=asker)
    client = Client()
    client.force_login(editor)
    client.post(f"/en{reverse('kb:promote', args=[topic.pk])}")
    draft = ArticlePage.objects.get().get_latest_revision_as_object()
    assert draft.body[0].value["text"] == "Pertanyaan"


@pytest.mark.parametrize(
    "field, value",
    [
        ("practices-TOTAL_FORMS", "abc"),
        ("document_ids", "9" * 25),
        ("practices-0-photo_1_id", "9" * 25),
    ],
)
def test_odd_form_input_is_not_a_500(author, host, field, value):
    client = Client()
    client.force_login(author)
    data = report_form_data(host)
    data[field] = value
    assert client.post(reverse("kb:submission_new"), data).status_code in {200, 302, 400}
    data["more"] = "plan"
    data["plan-TOTAL_FORMS"] = "x"
    assert client.post(reverse("kb:submission_new"), data).status_code in {200, 400}


def test_a_refused_send_leaves_no_draft_behind(author, host):
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.all().delete()  # an administrator removed the review workflow
    client = Client()
    client.force_login(author)
    response = client.post(reverse("kb:submission_new"), report_form_data(host, submit="1"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not ReportPage.objects.exists()  # sending again will not make a second draft
