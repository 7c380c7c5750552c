"""Promoting a solved forum topic into a draft knowledge-base article."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from forum import services as forum_services
from forum.models import Category
from kb.models import ArticlePage
from tests.kb.conftest import member

pytestmark = pytest.mark.django_db


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
