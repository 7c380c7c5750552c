"""Keeping the index true: every write records its document's update in its own transaction,
the drain brings the index up to date from the database, and nothing is lost or indexed from
a change that was rolled back. The index is read back through the real database backend."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction

from forum import services
from forum.models import Category
from search import indexing, service
from search.backends.database import DatabaseBackend
from search.models import IndexedDocument, OutboxEntry
from search.reindexing import check, reindex
from tests.forum.factories import (
    MembersOnlyCategoryFactory,
    ReplyFactory,
    TopicFactory,
    create_member,
    create_moderator,
    question_of,
)
from tests.search.conftest import document

pytestmark = pytest.mark.django_db

VISITOR = AnonymousUser()


def found(query: str, user=VISITOR) -> list[str]:
    return [h.document.title for h in service.search(query=query, user=user, log=False).hits]


def indexed(topic) -> IndexedDocument:
    return IndexedDocument.objects.get(key=f"topic:{topic.pk}")


def test_a_reply_reaches_the_index_once_drained():
    topic = TopicFactory(title="Buku paket hilang dipinjam siswa")
    ReplyFactory(topic=topic, body="Minta ganti dengan buku yang sama atau uang seharga buku.")

    assert found("seharga") == []  # recorded, not yet drained
    indexing.drain()

    assert found("seharga") == ["Buku paket hilang dipinjam siswa"]
    assert not OutboxEntry.objects.filter(processed_at=None).exists()


def test_a_change_that_is_rolled_back_indexes_nothing():
    author, category = create_member(), Category.objects.get(slug="layanan-pemustaka")

    with pytest.raises(RuntimeError), transaction.atomic():
        services.topic_create(
            author=author, category=category, title="Pertanyaan yang batal", body="Isi."
        )
        raise RuntimeError("the request failed after the write")
    indexing.drain()

    assert not OutboxEntry.objects.exists()
    assert not IndexedDocument.objects.exists()


def test_hidden_and_deleted_posts_leave_the_document():
    moderator = create_moderator()
    topic = TopicFactory(title="Kotak saran di ruang baca")
    spam = ReplyFactory(topic=topic, body="Beli kotak saran murah di tokoku!")
    mine = ReplyFactory(topic=topic, body="Kotak kami dari kardus bekas.")
    services.post_hide(post=spam, by=moderator)
    services.post_delete(post=mine, by=mine.author)
    indexing.drain()

    replies = indexed(topic).replies
    assert "tokoku" not in replies
    assert "kardus" not in replies


def test_a_hidden_question_takes_its_topic_out_of_the_index():
    topic = TopicFactory(title="Iklan terselubung soal rak buku")
    indexing.drain()
    services.post_hide(post=question_of(topic), by=create_moderator())
    indexing.drain()

    assert found("terselubung") == []
    assert not IndexedDocument.objects.filter(key=f"topic:{topic.pk}").exists()


def test_a_merged_topic_leaves_and_its_posts_are_found_in_the_target():
    target = TopicFactory(title="Cara menghitung denda keterlambatan")
    duplicate = TopicFactory(title="Denda telat berapa per hari?", body="Kami pakai Rp500.")
    services.topic_merge(source=duplicate, target=target, by=create_moderator())
    indexing.drain()

    assert not IndexedDocument.objects.filter(key=f"topic:{duplicate.pk}").exists()
    assert "Rp500" in indexed(target).replies


def test_a_topic_moved_into_a_members_only_category_is_for_members_only():
    room = MembersOnlyCategoryFactory()
    topic = TopicFactory(title="Honor petugas perpustakaan desa")
    services.topic_move(topic=topic, category=room, by=create_moderator())
    indexing.drain()

    assert found("honor petugas") == []
    assert found("honor petugas", user=create_member()) == ["Honor petugas perpustakaan desa"]


def test_making_a_category_members_only_in_the_admin_hides_its_topics(admin_client):
    topic = TopicFactory(title="Lomba bercerita tingkat kecamatan")
    indexing.drain()
    category = topic.category

    admin_client.post(
        f"/admin/forum/category/{category.pk}/change/",
        {
            "name": category.name,
            "name_en": category.name_en,
            "slug": category.slug,
            "description": category.description,
            "description_en": category.description_en,
            "position": category.position,
            "colour": category.colour,
            "members_only": "on",
        },
    )
    indexing.drain()

    assert found("lomba bercerita") == []


def test_an_older_update_never_overwrites_a_newer_one():
    backend = DatabaseBackend()
    newer = document("Judul terbaru tentang rayap")
    older = document("Judul lama", id=newer.id)

    backend.index([(newer, 7)])
    backend.index([(older, 5)])
    backend.delete([(newer.id, 6)])

    assert IndexedDocument.objects.get(key=newer.id).title == "Judul terbaru tentang rayap"


def test_reindex_misses_nothing_that_changes_while_it_builds():
    TopicFactory(title="Kliping koran untuk pojok informasi")
    changed = []

    def meanwhile(stage, done, total):
        if done and not changed:  # a member asks while the reindex is half way
            changed.append(TopicFactory(title="Mural dinding ruang anak"))

    reindex(progress=meanwhile)
    indexing.drain()

    assert found("mural") == ["Mural dinding ruang anak"]
    assert found("kliping") == ["Kliping koran untuk pojok informasi"]
    assert [drift.total for drift in check()] == [0]


def test_search_check_finds_drift_and_repairs_it(capsys):
    kept = TopicFactory(title="Perpustakaan keliling ke SD")
    lost = TopicFactory(title="Sumbangan buku dari alumni")
    indexing.drain()
    IndexedDocument.objects.filter(key=f"topic:{lost.pk}").delete()
    IndexedDocument.objects.filter(key=f"topic:{kept.pk}").update(digest="0" * 32)

    call_command("search_check")
    report = capsys.readouterr().out
    call_command("search_check", "--fix")
    repaired = capsys.readouterr().out

    assert "database: 1 missing, 1 out of date, 0 no longer indexable" in report
    assert "run with --fix" in report
    assert "Drift repaired" in repaired
    assert [drift.total for drift in check()] == [0]
    assert found("sumbangan alumni") == ["Sumbangan buku dari alumni"]


def test_reindex_shows_progress_and_ends_with_a_summary(capsys):
    TopicFactory(title="Pertanyaan pertama")
    TopicFactory(title="Pertanyaan kedua")

    call_command("search_reindex")

    out = capsys.readouterr().out
    assert "2/2 (100%)" in out
    assert "Reindexed 2 documents into database" in out


def test_healthz_reports_the_backlog_of_index_updates(client):
    TopicFactory(title="Menunggu diindeks")

    waiting = client.get("/healthz").json()["checks"]["search_backlog"]
    indexing.drain()
    drained = client.get("/healthz").json()["checks"]["search_backlog"]

    assert waiting["ok"] and waiting["waiting"] == 1
    assert drained["waiting"] == 0


def test_reindex_if_empty_builds_a_first_index_once(capsys):
    TopicFactory(title="Sudah ada sebelum indeks pertama")
    OutboxEntry.objects.all().delete()  # content from before search existed: never recorded

    call_command("search_reindex", "--if-empty")
    first = capsys.readouterr().out
    call_command("search_reindex", "--if-empty")
    second = capsys.readouterr().out

    assert "Reindexed 1 documents" in first
    assert "nothing to do" in second
    assert found("indeks pertama") == ["Sudah ada sebelum indeks pertama"]
