"""Reading the knowledge base: feedback, related pages, promotion from the forum, and the cost
of a page with many blocks."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from accounts import roles
from forum import services as forum_services
from forum.models import Category
from kb import services
from kb.models import ArticlePage, Feedback, KnowledgeBaseHome, ReportIndexPage, ReportPage
from search import indexing
from tests.kb.conftest import member, png

pytestmark = pytest.mark.django_db


def publish_report(
    author, editor, host, *, practices=1, photos=0, title="Laporan magang di perpustakaan provinsi"
):
    images = [
        services.image_from_upload(uploader=author, file=png(f"f{n}.png")) for n in range(photos)
    ]
    data = services.ReportData(
        title=title,
        host_library=host,
        start_date=datetime.date(2026, 8, 3),
        end_date=datetime.date(2026, 8, 14),
        areas=[Category.objects.get(slug="layanan-pemustaka")],
        tags=["slims"],
        summary="Ringkasan.",
        objectives="Tujuan.",
        practices=[
            {
                "title": f"Praktik {n}",
                "description": "Uraian.",
                "why_it_works": "Alasan.",
                "resources_and_cost": "",
                "prerequisites": "",
                "photos": [{"image": image, "alt": "Foto"} for image in images],
            }
            for n in range(practices)
        ],
        contacts=[{"name": "Ibu Ratna", "role": "", "email": "ratna@contoh.test", "phone": ""}],
    )
    page = services.report_save_draft(author=author, data=data)
    page.get_latest_revision().publish(user=editor)
    return ReportPage.objects.get(pk=page.pk)


def test_feedback_once_per_member_and_counts_for_editors(author, editor, host):
    page = publish_report(author, editor, host)
    reader = member()
    client = Client()
    client.force_login(reader)
    url = reverse("kb:feedback", args=[page.pk])
    client.post(url, {"helpful": "no", "comment": "Kurang contoh"})
    client.post(url, {"helpful": "yes", "comment": ""})
    assert Feedback.objects.filter(page=page).count() == 1
    assert Feedback.objects.get().helpful is True
    english = f"/en{page.url}"
    assert "found it helpful" not in client.get(english).content.decode()  # not for readers
    editors_view = Client()
    editors_view.force_login(editor)
    assert "1 found it helpful, 0 did not." in editors_view.get(english).content.decode()


@pytest.mark.parametrize("page", ["root", "home", "index"])
def test_only_articles_and_reports_take_feedback(page):
    target = {
        "root": lambda: Page.objects.get(depth=1),
        "home": lambda: KnowledgeBaseHome.objects.get(),
        "index": lambda: ReportIndexPage.objects.get(),
    }[page]()
    client = Client()
    client.force_login(member())

    response = client.post(reverse("kb:feedback", args=[target.pk]), {"helpful": "yes"})

    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_visitors_cannot_give_feedback(author, editor, host):
    page = publish_report(author, editor, host)
    response = Client().post(reverse("kb:feedback", args=[page.pk]), {"helpful": "yes"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Feedback.objects.exists()


def test_related_content_comes_from_the_search_engine_forum_included(author, editor, host):
    first = publish_report(author, editor, host, title="Laporan magang pertama tentang SLiMS")
    second = publish_report(author, editor, host, title="Laporan magang kedua tentang SLiMS")
    topic = forum_services.topic_create(
        author=member(),
        category=Category.objects.get(slug="layanan-pemustaka"),
        title="Migrasi data anggota ke SLiMS versi baru",
        body="Ada yang pernah?",
    )
    indexing.drain()

    html = Client().get(first.url).content.decode()

    related = html[html.index('id="related-title"') :]
    assert second.title in related
    assert topic.title in related
    assert first.title not in related  # not itself


def test_a_solved_topic_becomes_a_draft_article_and_the_topic_says_so_once_published(editor):
    asker, helper, moderator = member(), member(), member(role=roles.MODERATORS)
    topic = forum_services.topic_create(
        author=asker,
        category=Category.objects.get(slug="layanan-pemustaka"),
        title="Pemustaka selalu terlambat mengembalikan buku",
        body="Bagaimana?",
    )
    answer = forum_services.reply_create(author=helper, topic=topic, body="Kirim **pengingat**.")
    client = Client()
    client.force_login(moderator)
    url = reverse("kb:promote", args=[topic.pk])
    assert client.post(url).status_code == 302  # unsolved: refused with a message
    assert not ArticlePage.objects.exists()
    forum_services.topic_mark_solution(topic=topic, post=answer, by=asker)
    client.post(url)
    article = ArticlePage.objects.get()
    assert not article.live and article.owner == moderator
    assert list(article.source_topics.all()) == [topic]
    draft = article.get_latest_revision_as_object()
    html = "".join(str(block.value) for block in draft.body)
    assert "Bagaimana?" in html and "<strong>pengingat</strong>" in html
    client.post(url)  # promoting again returns the same article
    assert ArticlePage.objects.count() == 1

    stranger = Client()
    stranger.force_login(member())
    assert stranger.post(url).status_code == 403

    article.get_latest_revision().publish(user=editor)
    topic_page = Client().get(topic.get_absolute_url()).content.decode()
    assert article.title in topic_page and ArticlePage.objects.get().url in topic_page
    ArticlePage.objects.get().unpublish(user=editor)
    assert (
        ArticlePage.objects.get().url not in Client().get(topic.get_absolute_url()).content.decode()
    )


def count_queries(client, url) -> int:
    client.get(url)  # renditions made on the first view
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_a_page_with_many_blocks_costs_what_a_page_with_few_does(author, editor, host, reader):
    small = publish_report(
        author, editor, host, practices=1, photos=1, title="Laporan magang kecil sekali"
    )
    large = publish_report(
        author, editor, host, practices=8, photos=3, title="Laporan magang besar sekali"
    )
    client = Client()
    if reader == "member":
        client.force_login(member())
    assert count_queries(client, small.url) == count_queries(client, large.url)


def test_photos_are_served_as_renditions_sized_for_phones(author, editor, host):
    page = publish_report(author, editor, host, photos=1)
    html = Client().get(page.url).content.decode()
    assert "srcset=" in html and ".width-480" in html and ".width-800" in html
    assert 'loading="lazy"' in html
    assert "original_images" not in html


def test_drafts_are_not_public(author, host):
    data = services.ReportData(
        title="Draf yang belum terbit sama sekali",
        host_library=host,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 1, 2),
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
    index = ReportIndexPage.objects.get()
    assert Client().get(f"{index.url}{page.slug}/").status_code == 404
    assert page.title not in Client().get(index.url).content.decode()
