"""The first search: questions and knowledge pages, solved and reviewed first."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from forum import services as forum_services
from forum.models import Category
from kb import services as kb_services
from tests.factories import LibraryFactory
from tests.forum.conftest import member

pytestmark = pytest.mark.django_db


def ask(title, *, tags=(), category="layanan-pemustaka", solve=False):
    asker, helper = member(), member()
    topic = forum_services.topic_create(
        author=asker,
        category=Category.objects.get(slug=category),
        title=title,
        body="Isi pertanyaan.",
        tags=tags,
    )
    if solve:
        answer = forum_services.reply_create(author=helper, topic=topic, body="Jawabannya ini.")
        forum_services.topic_mark_solution(topic=topic, post=answer, by=asker)
    return topic


def search(client, query):
    return client.get(reverse("search:results"), {"q": query})


def titles(response) -> list[str]:
    return [r.title for r in response.context["results"]]


def test_questions_are_found_by_title_and_tag_solved_first(client):
    ask("Keterlambatan pengembalian buku di sekolah")
    ask("Cara menangani keterlambatan di desa", solve=True)
    ask("Impor katalog ke SLiMS", tags=["slims"])
    assert titles(search(client, "keterlambatan")) == [
        "Cara menangani keterlambatan di desa",
        "Keterlambatan pengembalian buku di sekolah",
    ]
    assert titles(search(client, "slims")) == ["Impor katalog ke SLiMS"]
    assert titles(search(client, "keterlambatan desa")) == ["Cara menangani keterlambatan di desa"]


def test_members_only_questions_stay_out_of_visitors_results(client):
    closed = Category.objects.create(
        slug="internal", name="Internal", colour="grey", members_only=True
    )
    ask("Rapat internal tentang anggaran", category=closed.slug)
    assert titles(search(client, "anggaran")) == []
    member_client = Client()
    member_client.force_login(member())
    assert titles(search(member_client, "anggaran")) == ["Rapat internal tentang anggaran"]


def test_published_knowledge_pages_are_found_and_drafts_are_not(client):
    author, editor = member(), member(role=roles.EDITORS)
    data = kb_services.ReportData(
        title="Magang sirkulasi di perpustakaan provinsi",
        host_library=LibraryFactory(),
        start_date=datetime.date(2026, 8, 3),
        end_date=datetime.date(2026, 8, 14),
        areas=[Category.objects.get(slug="layanan-pemustaka")],
        summary="Pengingat WhatsApp.",
        objectives="Belajar.",
        practices=[
            {
                "title": "Pengingat",
                "description": "d",
                "why_it_works": "w",
                "photos": [],
                "resources_and_cost": "",
                "prerequisites": "",
            }
        ],
    )
    page = kb_services.report_save_draft(author=author, data=data)
    assert titles(search(client, "sirkulasi")) == []
    page.get_latest_revision().publish(user=editor)
    response = search(client, "sirkulasi")
    assert titles(response) == ["Magang sirkulasi di perpustakaan provinsi"]
    assert response.context["results"][0].kind == "report"


def test_an_empty_or_huge_query_is_answered_calmly(client):
    assert search(client, "").status_code == 200
    assert search(client, "a").context["results"] == []
    long = search(client, "kata " * 500)
    assert long.status_code == 200
    assert len(long.context["search_query"]) == 200


def test_the_header_carries_the_search_box(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


def test_search_costs_the_same_whatever_the_number_of_solved_results(
    client, django_assert_max_num_queries
):
    for n in range(6):
        asker, helper = member(), member()
        found = forum_services.topic_create(
            author=asker,
            category=Category.objects.get(slug="layanan-pemustaka"),
            title=f"Keterlambatan nomor {n} di layanan",
            body="Isi.",
        )
        answer = forum_services.reply_create(
            author=helper, topic=found, body="Coba @budi dan @sari."
        )
        forum_services.topic_mark_solution(topic=found, post=answer, by=asker)
    with django_assert_max_num_queries(6):
        assert len(client.get("/search/?q=keterlambatan").context["results"]) == 6
