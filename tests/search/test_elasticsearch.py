"""The Elasticsearch backend, through the real client over HTTP (osmem-server, or the
Elasticsearch that ELASTICSEARCH_URL names: tests/search/elasticsearch_server.py)."""

from __future__ import annotations

import datetime
import socket
import threading

import pytest

from search.analysis import analyze_query, tokens
from search.backends.base import BackendError, Filters, SearchRequest, Sort, Suggestion
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import Audience, Kind, SearchDocument
from tests.search import elasticsearch_server as harness
from tests.search.elasticsearch_server import backend_for

# The harness's fixtures, for this module (bound by assignment, not imported: an imported
# fixture would read as redefined by every test that takes it).
elasticsearch_url = harness.elasticsearch_url
elasticsearch_backend = harness.elasticsearch_backend

UTC = datetime.UTC
WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")
EVERYONE = (Audience.PUBLIC, Audience.MEMBERS)
VISITORS = (Audience.PUBLIC,)


def days_ago(days: float) -> datetime.datetime:
    return datetime.datetime.now(UTC) - datetime.timedelta(days=days)


def document(number: int, **fields) -> SearchDocument:
    fields.setdefault("kind", Kind.TOPIC)
    fields.setdefault("title", f"Pertanyaan nomor {number}")
    fields.setdefault("url", f"/forum/t/{number}/")
    fields.setdefault("created_at", days_ago(30))
    fields.setdefault("updated_at", fields["created_at"])
    return SearchDocument(id=f"topic:{number}", **fields)


def put(backend: ElasticsearchBackend, *documents: SearchDocument, version: int = 1) -> None:
    backend.index([(each, version) for each in documents])
    backend.refresh()


def request(query: str, audiences=EVERYONE, **options) -> SearchRequest:
    return SearchRequest(terms=tuple(analyze_query(query)), audiences=audiences, **options)


def ids(response) -> list[str]:
    return [hit.document.id for hit in response.hits]


# --- Documents and versions --------------------------------------------------------------------


def test_a_found_document_is_the_document_indexed(elasticsearch_backend):
    indexed = SearchDocument(
        id="page:40",
        kind=Kind.REPORT,
        title="Magang di Perpustakaan Daerah Musi Rawas",
        url="/kb/magang-musi-rawas/",
        created_at=datetime.datetime(2025, 3, 4, 9, 30, 15, 123456, tzinfo=WIB),
        updated_at=datetime.datetime(2025, 6, 1, 2, 0, tzinfo=UTC),
        body="Kami belajar mengolah koleksi deposit dan layanan keliling.",
        answer="",
        replies="",
        areas=("manajemen-perpustakaan", "layanan-pemustaka"),
        tags=("magang", "layanan-keliling"),
        host_library="Perpustakaan Daerah Musi Rawas",
        author="Siti Rahma",
        solved=True,
        helpful=7,
        audience=Audience.MEMBERS,
    )
    put(elasticsearch_backend, indexed)

    (hit,) = elasticsearch_backend.search(request("koleksi deposit")).hits

    assert hit.document == indexed
    assert hit.document.created_at.utcoffset() == datetime.timedelta(hours=7)
    assert hit.document.digest() == indexed.digest()
    assert hit.score > 0


def test_an_older_update_never_overwrites_a_newer_one(elasticsearch_backend):
    elasticsearch_backend.index([(document(1, title="Katalog terbaru"), 5)])
    elasticsearch_backend.index([(document(1, title="Katalog lama"), 3)])
    elasticsearch_backend.refresh()

    (hit,) = elasticsearch_backend.search(request("katalog")).hits

    assert hit.document.title == "Katalog terbaru"


def test_an_update_with_the_same_version_changes_nothing(elasticsearch_backend):
    elasticsearch_backend.index([(document(1, title="Katalog pertama"), 5)])
    elasticsearch_backend.index([(document(1, title="Katalog kedua"), 5)])
    elasticsearch_backend.refresh()

    assert [
        hit.document.title for hit in elasticsearch_backend.search(request("katalog")).hits
    ] == ["Katalog pertama"]


def test_a_delete_older_than_the_stored_update_is_ignored(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Katalog kartu"), version=7)

    elasticsearch_backend.delete([("topic:1", 6)])
    elasticsearch_backend.refresh()

    assert ids(elasticsearch_backend.search(request("katalog"))) == ["topic:1"]


def test_a_deleted_document_is_not_brought_back_by_an_older_update(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Katalog kartu"), version=7)

    elasticsearch_backend.delete([("topic:1", 8)])
    elasticsearch_backend.index([(document(1, title="Katalog kartu"), 7)])
    elasticsearch_backend.refresh()

    assert elasticsearch_backend.search(request("katalog")).total == 0
    assert elasticsearch_backend.count() == 0


def test_deleting_what_was_never_indexed_is_not_an_error(elasticsearch_backend):
    elasticsearch_backend.delete([("topic:404", 1)])
    elasticsearch_backend.refresh()

    assert elasticsearch_backend.count() == 0


# --- Index layout: aliases and rebuilds ---------------------------------------------------------


def test_searches_and_writes_go_through_the_aliases(elasticsearch_backend):
    (physical,) = elasticsearch_backend.physical_indexes()
    put(elasticsearch_backend, document(1, title="Rak buku"))

    assert elasticsearch_backend.ensure_index() == physical
    assert elasticsearch_backend.physical_indexes() == [physical]
    assert elasticsearch_backend.ping()["index"] == physical
    assert ids(elasticsearch_backend.search(request("rak"))) == ["topic:1"]


def test_a_rebuilt_index_answers_once_the_aliases_move(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Rak buku lama"))
    (old,) = elasticsearch_backend.physical_indexes()

    new = elasticsearch_backend.create_index()
    elasticsearch_backend.index_into(new, [(document(2, title="Rak buku baru"), 1)])
    elasticsearch_backend.refresh(new)
    before = ids(elasticsearch_backend.search(request("rak")))
    elasticsearch_backend.switch_aliases(new)
    after = ids(elasticsearch_backend.search(request("rak")))
    elasticsearch_backend.drop_indexes(except_name=new)

    assert (before, after) == (["topic:1"], ["topic:2"])
    assert elasticsearch_backend.physical_indexes() == [new]
    assert old != new
    put(elasticsearch_backend, document(3, title="Rak buku terbaru"))
    assert sorted(ids(elasticsearch_backend.search(request("rak")))) == ["topic:2", "topic:3"]


def test_a_change_replayed_into_a_rebuild_keeps_the_version_rule(elasticsearch_backend):
    new = elasticsearch_backend.create_index()
    elasticsearch_backend.index_into(new, [(document(1, title="Rak baru"), 9)])
    elasticsearch_backend.index_into(new, [(document(1, title="Rak lama"), 4)])
    elasticsearch_backend.delete_from(new, [("topic:1", 8)])
    elasticsearch_backend.refresh(new)
    elasticsearch_backend.switch_aliases(new)

    assert [hit.document.title for hit in elasticsearch_backend.search(request("rak")).hits] == [
        "Rak baru"
    ]


def test_searches_never_fail_while_the_aliases_move(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Rak buku"))
    failures, totals, done = [], set(), threading.Event()

    def search_meanwhile():
        while not done.is_set():
            try:
                totals.add(elasticsearch_backend.search(request("rak")).total)
            except BackendError as error:
                failures.append(error)

    searcher = threading.Thread(target=search_meanwhile)
    searcher.start()
    try:
        for round_ in range(3):
            new = elasticsearch_backend.create_index()
            elasticsearch_backend.index_into(new, [(document(1, title="Rak buku"), round_ + 2)])
            elasticsearch_backend.refresh(new)
            elasticsearch_backend.switch_aliases(new)
            elasticsearch_backend.drop_indexes(except_name=new)
    finally:
        done.set()
        searcher.join()

    assert failures == []
    assert totals == {1}


def test_the_index_searches_read_is_never_dropped(elasticsearch_backend):
    (live,) = elasticsearch_backend.physical_indexes()
    abandoned = elasticsearch_backend.create_index()

    with pytest.raises(ValueError, match="switch_aliases first"):
        elasticsearch_backend.drop_indexes(except_name=abandoned)
    elasticsearch_backend.drop_indexes(except_name=live)

    assert elasticsearch_backend.physical_indexes() == [live]


def test_clearing_removes_every_document_and_keeps_the_aliases(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Rak"), document(2, title="Rak"), version=50)

    elasticsearch_backend.clear()
    put(elasticsearch_backend, document(3, title="Rak"), version=1)

    assert elasticsearch_backend.count() == 1
    assert ids(elasticsearch_backend.search(request("rak"))) == ["topic:3"]
    assert len(elasticsearch_backend.physical_indexes()) == 1


def test_the_first_write_creates_the_index_and_both_aliases(elasticsearch_url):
    backend = backend_for(elasticsearch_url)
    write_alias = f"{elasticsearch_url.prefix}-documents-write"

    put(backend, document(1, title="Rak buku"))

    (physical,) = backend.physical_indexes()
    assert ids(backend.search(request("rak"))) == ["topic:1"]
    assert elasticsearch_url.client.indices.get_alias(name=write_alias) == {
        physical: {"aliases": {write_alias: {"is_write_index": True}}}
    }


def test_processes_starting_together_create_one_index(elasticsearch_url):
    backends = [backend_for(elasticsearch_url) for _ in range(4)]
    names, start = [], threading.Barrier(len(backends))

    def start_up(backend):
        start.wait()
        names.append(backend.ensure_index())

    threads = [threading.Thread(target=start_up, args=(backend,)) for backend in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(names)) == 1
    assert backends[0].physical_indexes() == names[:1]


def test_a_lost_write_alias_is_brought_back(elasticsearch_url):
    backend = backend_for(elasticsearch_url)
    physical = backend.ensure_index()
    elasticsearch_url.client.indices.delete_alias(index=physical, name=backend.write_alias)

    assert backend_for(elasticsearch_url).ensure_index() == physical
    put(backend, document(1, title="Rak buku"))
    assert ids(backend.search(request("rak"))) == ["topic:1"]


def test_writing_into_a_dropped_rebuild_is_an_error_and_creates_nothing(elasticsearch_backend):
    (live,) = elasticsearch_backend.physical_indexes()
    abandoned = elasticsearch_backend.create_index()
    elasticsearch_backend.drop_indexes(except_name=live)

    with pytest.raises(BackendError, match="does not exist"):
        elasticsearch_backend.index_into(abandoned, [(document(1), 1)])

    assert elasticsearch_backend.physical_indexes() == [live]


def test_a_search_before_any_index_exists_is_a_backend_error(elasticsearch_url):
    backend = backend_for(elasticsearch_url)

    with pytest.raises(BackendError, match="ELASTICSEARCH_URL"):
        backend.search(request("rak"))


# --- Relevance ----------------------------------------------------------------------------------


def test_a_term_in_the_title_ranks_above_the_term_in_replies(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Jam buka layanan", replies="Rayap di rak belakang sudah dibasmi"),
        document(2, title="Rayap di rak belakang", replies="Jam buka layanan diperpanjang"),
    )

    assert ids(elasticsearch_backend.search(request("rayap"))) == ["topic:2", "topic:1"]


def test_the_accepted_answer_counts_more_than_the_replies(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Gudang lembap", replies="Pakai kapur barus untuk rayap."),
        document(2, title="Gudang lembap", answer="Pakai kapur barus untuk rayap."),
    )

    assert ids(elasticsearch_backend.search(request("rayap"))) == ["topic:2", "topic:1"]


def test_matching_more_of_the_terms_ranks_higher(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Denda keterlambatan siswa"),
        document(2, title="Denda perpustakaan desa"),
        document(3, title="Denda keterlambatan perpustakaan sekolah"),
    )

    found = ids(elasticsearch_backend.search(request("denda keterlambatan sekolah")))

    assert found == ["topic:3", "topic:1", "topic:2"]


def test_a_solved_question_ranks_above_an_equal_unsolved_one(elasticsearch_backend):
    updated = days_ago(100)
    put(
        elasticsearch_backend,
        document(1, title="Menyiangi koleksi lama", updated_at=updated, created_at=updated),
        document(
            2, title="Menyiangi koleksi lama", updated_at=updated, created_at=updated, solved=True
        ),
    )

    response = elasticsearch_backend.search(request("menyiangi koleksi"))

    assert ids(response) == ["topic:2", "topic:1"]
    assert response.hits[0].score == pytest.approx(response.hits[1].score * 1.25, rel=1e-3)


def test_helpful_votes_and_recency_boost_an_otherwise_equal_document(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Kartu anggota hilang", updated_at=days_ago(1400), helpful=0),
        document(2, title="Kartu anggota hilang", updated_at=days_ago(1400), helpful=15),
        document(3, title="Kartu anggota hilang", updated_at=days_ago(1), helpful=0),
    )

    scores = {
        hit.document.id: hit.score for hit in elasticsearch_backend.search(request("kartu")).hits
    }

    assert scores["topic:2"] > scores["topic:1"]
    assert scores["topic:3"] > scores["topic:1"]


def test_a_clearly_more_relevant_old_document_outranks_a_weak_new_one(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(
            1,
            title="Buku basah kena banjir, cara mengeringkan",
            answer="Keringkan buku basah dengan kertas penyerap, jangan dijemur.",
            updated_at=days_ago(1000),
            helpful=0,
        ),
        document(
            2,
            title="Rapat pengurus bulan ini",
            replies="Jalan ke perpustakaan sempat banjir.",
            updated_at=days_ago(1),
            solved=True,
            helpful=40,
        ),
    )

    assert ids(elasticsearch_backend.search(request("buku basah banjir"))) == ["topic:1", "topic:2"]


def test_a_document_matching_too_few_of_the_terms_is_left_out(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Jadwal layanan keliling desa saat panen"),
        document(2, title="Layanan rujukan"),
    )

    found = elasticsearch_backend.search(request("jadwal layanan keliling panen", min_match=0.5))

    assert ids(found) == ["topic:1"]


def test_a_long_query_never_requires_every_term(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Jadwal layanan keliling desa"))

    found = elasticsearch_backend.search(request("jadwal layanan keliling panen", min_match=1.0))

    assert ids(found) == ["topic:1"]


def test_a_one_letter_typo_still_finds_the_document(elasticsearch_backend):
    put(elasticsearch_backend, document(1, title="Inventarisasi koleksi tahunan"))

    found = elasticsearch_backend.search(request("inventarisaso"))

    assert ids(found) == ["topic:1"]


def test_an_exact_match_ranks_above_a_near_spelling(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Katalog daring"),
        document(2, title="Katalag daring"),
    )

    assert ids(elasticsearch_backend.search(request("katalog"))) == ["topic:1", "topic:2"]


# --- Sorting, pages, exclusions -----------------------------------------------------------------


def test_newest_first_sorts_matching_documents_by_creation(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Donasi buku", created_at=days_ago(300)),
        document(2, title="Donasi buku dari alumni, cara menyeleksi", created_at=days_ago(900)),
        document(3, title="Donasi", created_at=days_ago(10)),
        document(4, title="Pelatihan pustakawan", created_at=days_ago(1)),
    )

    found = elasticsearch_backend.search(request("donasi buku", sort=Sort.NEWEST))

    assert ids(found) == ["topic:3", "topic:1", "topic:2"]
    assert all(hit.score > 0 for hit in found.hits)


def test_pages_of_results_come_with_the_exact_total(elasticsearch_backend):
    put(
        elasticsearch_backend,
        *(document(number, title=f"Literasi digital {number}") for number in range(25)),
    )

    first = elasticsearch_backend.search(request("literasi", limit=10))
    third = elasticsearch_backend.search(request("literasi", offset=20, limit=10))

    assert (first.total, len(first.hits)) == (25, 10)
    assert (third.total, len(third.hits)) == (25, 5)
    assert not set(ids(first)) & set(ids(third))


def test_excluded_documents_are_left_out(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Pojok baca"),
        document(2, title="Pojok baca masjid"),
    )

    found = elasticsearch_backend.search(request("pojok baca", exclude=("topic:1",)))

    assert ids(found) == ["topic:2"]
    assert found.total == 1


# --- Filters and facets -------------------------------------------------------------------------


def made_in(year: int, month: int = 5) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=UTC)


@pytest.fixture
def catalogue(elasticsearch_backend):
    it, management = "teknologi-informasi", "manajemen-perpustakaan"
    put(
        elasticsearch_backend,
        document(1, title="Katalog SLiMS", areas=(it,), tags=("slims",), solved=True,
                 created_at=made_in(2025)),
        document(2, title="Katalog INLISLite", areas=(it,), tags=("inlislite",),
                 created_at=made_in(2024)),
        document(3, title="Katalog kartu", kind=Kind.ARTICLE, areas=(management, it),
                 tags=("slims", "katalog"), solved=True, created_at=made_in(2026)),
        document(4, title="Katalog induk", kind=Kind.REPORT, areas=(management,),
                 created_at=made_in(2026, 2)),
        document(5, title="Katalog rahasia", areas=(it,), tags=("slims",),
                 audience=Audience.MEMBERS, created_at=made_in(2023)),
    )  # fmt: skip
    return elasticsearch_backend


def test_facets_count_every_value_of_the_matching_documents(catalogue):
    facets = catalogue.search(request("katalog")).facets

    assert facets == {
        "kind": [("topic", 3), ("article", 1), ("report", 1)],
        "areas": [("teknologi-informasi", 4), ("manajemen-perpustakaan", 2)],
        "tags": [("slims", 3), ("inlislite", 1), ("katalog", 1)],
        "solved": [("false", 3), ("true", 2)],
        "year": [("2026", 2), ("2025", 1), ("2024", 1), ("2023", 1)],
    }


def test_filters_narrow_the_hits_and_each_facet_counts_with_the_others_filters(catalogue):
    found = catalogue.search(
        request("katalog", filters=Filters(kinds=(Kind.TOPIC,), tags=("slims",)))
    )

    assert sorted(ids(found)) == ["topic:1", "topic:5"]
    assert found.total == 2
    # Kinds counted with the tag filter only, tags with the kind filter only.
    assert found.facets["kind"] == [("topic", 2), ("article", 1)]
    assert found.facets["tags"] == [("slims", 2), ("inlislite", 1)]
    assert found.facets["year"] == [("2025", 1), ("2023", 1)]


def test_values_of_one_facet_are_alternatives(catalogue):
    found = catalogue.search(
        request(
            "katalog",
            filters=Filters(kinds=(Kind.ARTICLE, Kind.REPORT), solved=True, years=(2026,)),
        )
    )

    assert ids(found) == ["topic:3"]


def test_no_facets_are_counted_when_none_are_asked_for(catalogue):
    assert catalogue.search(request("katalog", facets=False)).facets == {}


# --- Audiences ----------------------------------------------------------------------------------


def test_a_members_only_document_does_not_exist_for_visitors(catalogue):
    found = catalogue.search(request("katalog rahasia", audiences=VISITORS))

    assert "topic:5" not in ids(found)
    assert found.total == 4
    assert ("2023", 1) not in found.facets["year"]
    assert found.facets["tags"] == [("slims", 2), ("inlislite", 1), ("katalog", 1)]
    assert catalogue.suggest(["katalog", "rah"], audiences=VISITORS) == []


def test_members_find_members_only_documents(catalogue):
    found = catalogue.search(request("katalog rahasia", audiences=EVERYONE))

    assert ids(found)[0] == "topic:5"
    assert [s.url for s in catalogue.suggest(["katalog", "rah"], audiences=EVERYONE)] == [
        "/forum/t/5/"
    ]


# --- Suggestions --------------------------------------------------------------------------------


def test_suggestions_complete_the_word_being_typed(elasticsearch_backend):
    put(
        elasticsearch_backend,
        document(1, title="Pemustaka tunanetra di ruang baca"),
        document(2, title="Pemutihan denda"),
        document(3, title="Ruang baca ramah anak", kind=Kind.ARTICLE, url="/kb/ruang-baca/"),
    )

    assert [
        s.title for s in elasticsearch_backend.suggest(tokens("pemus"), audiences=VISITORS)
    ] == ["Pemustaka tunanetra di ruang baca"]
    assert elasticsearch_backend.suggest(tokens("Ruang baca ram"), audiences=VISITORS) == [
        Suggestion(title="Ruang baca ramah anak", url="/kb/ruang-baca/", kind=Kind.ARTICLE)
    ]


def test_suggestions_stop_at_the_limit(elasticsearch_backend):
    put(
        elasticsearch_backend,
        *(document(number, title=f"Layanan {number}") for number in range(12)),
    )

    assert len(elasticsearch_backend.suggest(["lay"], audiences=VISITORS, limit=5)) == 5
    assert elasticsearch_backend.suggest([], audiences=VISITORS) == []


# --- Maintenance --------------------------------------------------------------------------------


def test_stored_lists_every_document_with_its_digest_page_after_page(elasticsearch_backend):
    documents = [document(number, title=f"Arsip {number}") for number in range(230)]
    put(elasticsearch_backend, *documents)

    stored = dict(elasticsearch_backend.stored(page_size=50))

    assert stored == {each.id: each.digest() for each in documents}
    assert elasticsearch_backend.count() == 230


def test_ping_names_the_version_the_documents_and_the_index(elasticsearch_backend):
    put(elasticsearch_backend, document(1), document(2))

    details = elasticsearch_backend.ping()

    assert details["documents"] == 2
    assert details["index"] == elasticsearch_backend.physical_indexes()[0]
    assert details["version"]


# --- When the server does not answer -----------------------------------------------------------


@pytest.fixture
def unreachable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there any more: every request is refused.
    backend = ElasticsearchBackend(f"http://elastic:s3cret@127.0.0.1:{port}", request_timeout=0.5)
    yield backend
    backend.close()


@pytest.mark.parametrize(
    "call",
    [
        lambda backend: backend.search(request("katalog")),
        lambda backend: backend.suggest(["kat"], audiences=VISITORS),
        lambda backend: backend.index([(document(1), 1)]),
        lambda backend: backend.delete([("topic:1", 1)]),
        lambda backend: list(backend.stored()),
        lambda backend: backend.count(),
        lambda backend: backend.ping(),
        lambda backend: backend.clear(),
    ],
    ids=["search", "suggest", "index", "delete", "stored", "count", "ping", "clear"],
)
def test_an_unreachable_server_is_a_backend_error_naming_the_setting(unreachable, call):
    with pytest.raises(BackendError, match="ELASTICSEARCH_URL") as raised:
        call(unreachable)

    assert "127.0.0.1" in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_a_server_that_does_not_answer_in_time_is_a_backend_error():
    # It accepts connections (the kernel's backlog) and never says a word.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        backend = ElasticsearchBackend(f"http://127.0.0.1:{port}", request_timeout=0.2)

        with pytest.raises(BackendError, match="ConnectionTimeout"):
            backend.search(request("katalog"))
        backend.close()


def test_a_malformed_address_is_a_backend_error_naming_the_setting():
    backend = ElasticsearchBackend("elastic:s3cret@search", request_timeout=0.2)

    with pytest.raises(BackendError, match=r"ELASTICSEARCH_URL \(search\) is not usable") as raised:
        backend.ping()

    assert "s3cret" not in str(raised.value)
