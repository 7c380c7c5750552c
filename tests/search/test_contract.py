"""One contract, every backend (search/backends/base.py): the same searches, asked through the
real search page and service, find and rank the same documents on the database backend
(SQLite, or PostgreSQL on CI's second pass) and on Elasticsearch (osmem-server over real HTTP,
or a real Elasticsearch when ELASTICSEARCH_URL is set)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from search import service
from search.backends.base import Filters, Sort
from search.documents import Audience, Kind
from tests.factories import UserFactory
from tests.search.conftest import NOW, document

pytestmark = pytest.mark.django_db

VISITOR = AnonymousUser()


def found(query: str, user=VISITOR, **options) -> list[str]:
    return [hit.document.title for hit in service.search(query=query, user=user, **options).hits]


def page(client, query: str, **parameters) -> str:
    response = client.get(reverse("search:results"), {"q": query, **parameters})
    assert response.status_code == 200
    return response.content.decode()


# --- Finding ------------------------------------------------------------------------------------


def test_a_word_finds_its_other_affixed_forms(index):
    index.put(
        document("Aturan peminjaman buku paket untuk siswa"),
        document("Penyimpanan arsip desa yang rapi"),
        document("Jadwal kunjungan perpustakaan keliling"),
    )

    assert found("meminjam") == ["Aturan peminjaman buku paket untuk siswa"]
    assert found("dipinjamkan") == ["Aturan peminjaman buku paket untuk siswa"]
    assert found("menyimpan") == ["Penyimpanan arsip desa yang rapi"]


def test_stopwords_and_question_words_are_never_required(index):
    index.put(
        document("Jam buka perpustakaan desa saat musim panen", tags=("jam-layanan",)),
        document("Kas kecil perpustakaan sekolah"),
    )

    results = found("bagaimana cara mengatur jam buka perpustakaan desa saat musim panen?")

    assert results[0] == "Jam buka perpustakaan desa saat musim panen"


def test_the_best_documents_match_most_of_the_words_not_all(index):
    index.put(
        document("Denda keterlambatan di perpustakaan desa"),
        document("Denda untuk buku yang hilang"),
        document("Cara menghias ruang baca anak"),
    )

    results = found("denda keterlambatan buku hilang di desa")

    assert set(results) == {
        "Denda keterlambatan di perpustakaan desa",
        "Denda untuk buku yang hilang",
    }


def test_informal_spellings_and_abbreviations_meet_their_full_forms(index):
    index.put(
        document("Pemustaka tidak bisa login ke INLISLite", body="Akunnya terkunci."),
        document("Koleksi buku digital untuk sekolah", body="Kami berlangganan iPusnas."),
        document("Rak buku baru untuk ruang anak"),
    )

    assert found("tdk bisa login inlis") == ["Pemustaka tidak bisa login ke INLISLite"]
    # "e-book" means "buku digital": the page about it first; others with "buku" may follow.
    assert found("e-book")[0] == "Koleksi buku digital untuk sekolah"


def test_one_typo_still_finds_the_document_and_says_what_was_searched(index):
    index.put(
        document("Alur sirkulasi dengan SLiMS"),
        document("Katalog online untuk pemustaka", body="OPAC kami jalan di jaringan lokal."),
    )

    typo = service.search(query="sirkulsi", user=VISITOR)

    assert [h.document.title for h in typo.hits] == ["Alur sirkulasi dengan SLiMS"]
    assert typo.corrected == "sirkulasi"
    assert found("katalg") == ["Katalog online untuk pemustaka"]


def test_a_word_found_only_in_the_answer_or_a_reply_is_found(index):
    index.put(
        document(
            "Buku basah setelah banjir",
            answer="Keringkan dengan kipas, jangan dijemur: sampulnya melengkung.",
            replies="Kami juga pakai tisu di antara halaman.",
        )
    )

    assert found("kipas") == ["Buku basah setelah banjir"]
    assert found("tisu") == ["Buku basah setelah banjir"]


# --- Ranking ------------------------------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_one_in_the_replies(index):
    index.put(
        document("Pertemuan pustakawan sekecamatan", replies="Bahas juga soal rayap di gudang."),
        document("Rayap di rak koleksi lama"),
    )

    assert found("rayap") == ["Rayap di rak koleksi lama", "Pertemuan pustakawan sekecamatan"]


def test_the_accepted_answer_ranks_above_the_other_replies(index):
    index.put(
        document("Stok opname tahunan", replies="Barcode scanner kami sempat rusak."),
        document("Inventaris koleksi referensi", answer="Pakai barcode scanner per rak."),
    )

    assert found("barcode scanner")[0] == "Inventaris koleksi referensi"


def test_a_solved_relevant_topic_ranks_above_an_unsolved_one(index):
    index.put(
        document("Pemustaka menolak membayar denda", solved=False),
        document("Pemustaka menolak membayar denda!", solved=True),
    )

    assert found("pemustaka menolak membayar denda")[0] == "Pemustaka menolak membayar denda!"


def test_a_relevant_old_document_ranks_above_a_merely_recent_one(index):
    index.put(
        document("Mengusir rayap dari koleksi tua", body="Rayap di rak kayu.", days_ago=900),
        document("Rapat bulanan", replies="Ada rayap sedikit di gudang.", days_ago=1),
    )

    assert found("rayap koleksi")[0] == "Mengusir rayap dari koleksi tua"


def test_the_newest_first_when_asked(index):
    index.put(
        document("Denda pertama", days_ago=300),
        document("Denda kedua", days_ago=3),
        document("Denda ketiga", days_ago=30),
    )

    assert found("denda", sort=Sort.NEWEST) == ["Denda kedua", "Denda ketiga", "Denda pertama"]


# --- Facets, filters, pages -------------------------------------------------------------------


def corpus_of_kinds(index):
    return index.put(
        document("Kelas literasi informasi untuk siswa", areas=("literasi-informasi",)),
        document(
            "Literasi informasi di kampus",
            kind=Kind.ARTICLE,
            areas=("literasi-informasi", "kerja-sama-sekolah-kampus"),
            solved=True,
            tags=("kampus",),
        ),
        document(
            "Magang literasi di perpustakaan provinsi",
            kind=Kind.REPORT,
            areas=("literasi-informasi",),
            solved=True,
            days_ago=400,
        ),
    )


def test_facets_count_what_was_found(index):
    corpus_of_kinds(index)

    facets = service.search(query="literasi", user=VISITOR).facets

    assert dict(facets["kind"]) == {"topic": 1, "article": 1, "report": 1}
    assert dict(facets["areas"]) == {"literasi-informasi": 3, "kerja-sama-sekolah-kampus": 1}
    assert dict(facets["solved"]) == {"true": 2, "false": 1}
    assert dict(facets["tags"]) == {"kampus": 1}
    years = {str((NOW - timedelta(days=d)).year) for d in (30, 400)}
    assert {year for year, _count in facets["year"]} == years


def test_a_filter_narrows_and_its_facet_still_offers_the_other_values(index):
    corpus_of_kinds(index)

    results = service.search(query="literasi", user=VISITOR, filters=Filters(kinds=("article",)))

    assert [h.document.title for h in results.hits] == ["Literasi informasi di kampus"]
    assert results.total == 1
    assert dict(results.facets["kind"]) == {"topic": 1, "article": 1, "report": 1}
    assert dict(results.facets["areas"]) == {
        "literasi-informasi": 1,
        "kerja-sama-sekolah-kampus": 1,
    }


def test_filters_by_area_tag_and_status_combine(index):
    corpus_of_kinds(index)

    def titles(**chosen) -> set[str]:
        results = service.search(query="literasi", user=VISITOR, filters=Filters(**chosen))
        return {h.document.title for h in results.hits}

    assert titles(areas=("kerja-sama-sekolah-kampus",)) == {"Literasi informasi di kampus"}
    assert titles(tags=("kampus",)) == {"Literasi informasi di kampus"}
    assert titles(solved=False) == {"Kelas literasi informasi untuk siswa"}
    assert titles(solved=True, kinds=("report",)) == {"Magang literasi di perpustakaan provinsi"}


def test_results_come_in_pages(index):
    index.put(*(document(f"Pengadaan buku tahap {n}") for n in range(1, 26)))

    first = service.search(query="pengadaan", user=VISITOR, page=1)
    third = service.search(query="pengadaan", user=VISITOR, page=3)

    assert (first.total, first.pages, len(first.hits), len(third.hits)) == (25, 3, 10, 5)
    shown = {h.document.id for h in first.hits} | {h.document.id for h in third.hits}
    assert len(shown) == 15


# --- Who sees what ------------------------------------------------------------------------------


def members_and_public(index):
    return index.put(
        document("Rapat pengurus: anggaran rayap", audience=Audience.MEMBERS, tags=("rahasia",)),
        document("Rayap di gudang arsip"),
    )


def test_visitors_never_find_members_only_documents(index):
    members_and_public(index)

    results = service.search(query="rayap anggaran", user=VISITOR)

    assert [h.document.title for h in results.hits] == ["Rayap di gudang arsip"]
    assert results.total == 1
    assert "rahasia" not in dict(results.facets.get("tags", []))
    assert [s.title for s in service.suggestions(text="rapat", user=VISITOR)] == []
    assert service.similar(text="rapat pengurus anggaran", user=VISITOR) == []


def test_members_find_members_only_documents(index):
    members_and_public(index)
    member = UserFactory(librarian=True)

    assert set(found("rayap", user=member)) == {
        "Rapat pengurus: anggaran rayap",
        "Rayap di gudang arsip",
    }
    assert [s.title for s in service.suggestions(text="rapat", user=member)] == [
        "Rapat pengurus: anggaran rayap"
    ]


# --- While typing -------------------------------------------------------------------------------


def test_suggestions_complete_the_word_being_typed(index):
    index.put(
        document("Peminjaman antarperpustakaan di Musi Rawas"),
        document("Pemindaian naskah kuno"),
        document("Rak buku anak"),
    )

    assert {s.title for s in service.suggestions(text="pemin", user=VISITOR)} == {
        "Peminjaman antarperpustakaan di Musi Rawas",
        "Pemindaian naskah kuno",
    }
    assert [s.title for s in service.suggestions(text="pemindai", user=VISITOR)] == [
        "Pemindaian naskah kuno"
    ]


def test_similar_questions_are_found_from_a_question_being_typed(index):
    index.put(
        document("Pemustaka selalu terlambat mengembalikan buku", solved=True),
        document("Membuat pojok baca di balai desa"),
    )

    similar = service.similar(
        text="Anggota kami sering telat mengembalikan buku. Bagaimana mengingatkannya?",
        user=VISITOR,
    )

    assert [h.document.title for h in similar] == ["Pemustaka selalu terlambat mengembalikan buku"]


# --- The page -----------------------------------------------------------------------------------


def test_the_results_page_marks_the_matched_words_in_their_written_forms(client, index):
    index.put(document("Aturan peminjaman buku paket", answer="Peminjaman paling lama 7 hari."))

    html = page(client, "meminjam")

    assert "Aturan <mark>peminjaman</mark> buku paket" in html
    assert "<mark>Peminjaman</mark> paling lama 7 hari." in html


@pytest.mark.parametrize(
    "query",
    ['"denda', "(denda", "denda*", "denda OR", "NOT denda", "denda AND (", ":", "-", "''", "🙂"],
)
def test_query_syntax_is_just_text(client, index, query):
    index.put(document("Denda keterlambatan"))

    text = re.sub(r"<[^>]+>", "", page(client, query))  # marks and tags aside

    assert ("Denda keterlambatan" in text) == ("denda" in query)


def test_an_empty_search_offers_to_ask_in_the_forum_with_the_text(client, index):
    index.put(document("Denda keterlambatan"))

    html = page(client, "mesin fotokopi macet")

    assert "mesin+fotokopi+macet" in re.sub(r"%20", "+", html)
    assert reverse("forum:ask") in html
