"""The Indonesian analysis every search backend shares: what a searcher notices of it."""

from __future__ import annotations

import pytest

from search.analysis import analyze, analyze_query, lexicon, stem, tokens
from search.analysis.spelling import Speller


def test_question_words_are_dropped_and_the_meaning_kept():
    terms = analyze_query("bagaimana cara mengatur jam buka perpustakaan desa?")

    assert terms == ["atur", "jam", "buka", "perpustakaan", "desa"]


@pytest.mark.parametrize(
    "forms",
    [
        ("penyimpanan", "menyimpan", "disimpan"),
        ("pengolahan", "diolah", "mengolah"),
        ("peminjaman", "meminjam", "dipinjam", "dipinjamkan"),
        ("pengunjung", "berkunjung", "kunjungan"),
        ("pelayanan", "layanan", "dilayani"),
    ],
)
def test_affixed_forms_share_one_term(forms):
    assert len({tuple(analyze(form)) for form in forms}) == 1


def test_library_and_literature_stay_apart():
    # "daftar pustaka" (a bibliography) must not match every post about the library.
    assert analyze("perpustakaan") != analyze("pustaka")
    assert analyze_query("perpustakaannya") == ["perpustakaan"]


@pytest.mark.parametrize(
    ("written", "full"),
    [
        ("tdk", "tidak"),
        ("perpus", "perpustakaan"),
        ("perpusnas", "perpustakaan nasional"),
        ("TBM", "taman bacaan masyarakat"),
        ("jabfung", "jabatan fungsional"),
        ("SNP", "standar nasional perpustakaan"),
        ("pinjem", "pinjam"),
        ("information literacy", "literasi informasi"),
        ("Wi-Fi", "wifi"),
    ],
)
def test_informal_spellings_and_abbreviations_meet_their_full_forms(written, full):
    assert analyze_query(written) == analyze_query(full)
    assert set(analyze_query(written)) <= set(analyze(full))
    assert set(analyze_query(full)) <= set(analyze(written))


def test_an_ebook_is_found_as_a_digital_book():
    shared = set(analyze("Koleksi e-book kami")) & set(analyze("Koleksi buku digital kami"))

    assert set(analyze_query("e-book")) <= shared
    assert set(analyze_query("ebook")) == set(analyze_query("E-Book"))


def test_every_synonym_is_searched_as_its_canonical_term():
    for _, candidates in lexicon.synonyms().items():
        for member, synonym_class in candidates:
            canonical = " ".join(synonym_class.canonical)
            assert analyze_query(" ".join(member)) == analyze_query(canonical), member


def test_informal_function_words_leave_no_term():
    assert analyze_query("yg dgn utk krn gimana sy aja dong sih gak") == ["tidak"]


@pytest.mark.parametrize(
    "text",
    [
        "apa yang di dari untuk dengan dan atau ini itu adalah pada",
        "the of and how to what is",
        "apakah bisakah caranya itulah",
        "terima kasih, salam, mohon bantuan bapak ibu",
    ],
)
def test_stopwords_never_survive(text):
    stop = lexicon.stopwords()
    terms = analyze(text)

    assert not stop & set(terms)
    assert not stop & set(analyze_query(text))


@pytest.mark.parametrize("word", ["buku", "anggota", "pinjam", "layanan", "jam", "buka", "denda"])
def test_words_that_carry_the_question_are_not_stopwords(word):
    assert analyze_query(word)


def test_tokens_fold_case_accents_and_reduplication():
    assert tokens("Buku-buku KATALOG café") == ["buku", "katalog", "cafe"]
    assert tokens("buku-bukunya") == ["bukunya"]


def test_an_isbn_is_found_with_or_without_its_hyphens():
    assert tokens("ISBN 978-602-8519-93-9") == ["isbn", "9786028519939"]
    assert analyze_query("9786028519939") == ["9786028519939"]
    assert analyze_query("tahun 2024") == ["tahun", "2024"]


def test_place_names_are_not_stemmed_away():
    assert analyze_query("perpustakaan kediri") == ["perpustakaan", "kediri"]
    assert stem("musi") == "musi"


@pytest.mark.parametrize(
    "text",
    [
        '"jam buka"',
        "(sirkulasi OR katalog) AND *",
        "buku*",
        "denda\x00\x00keterlambatan",
        "😀👍🏽 perpustakaan 🎉",
        "\u202bمكتبة عامة\u202c",
        "-- ; DROP TABLE search; --",
        ("ab#$%^&*()_+{}|:<>?~`" * 100 + "pustakawan-" * 400 + "x" * 2000)[:10_000],
        "",
        "   \n\t  ",
        "?",
    ],
)
def test_hostile_input_returns_a_list_without_raising(text):
    assert isinstance(analyze(text), list)
    terms = analyze_query(text)

    assert isinstance(terms, list)
    assert len(terms) <= 32
    assert all(term and " " not in term for term in terms)


def test_nothing_meaningful_left_gives_no_terms():
    assert analyze_query('"?" * OR () ---') == []


def test_a_long_query_keeps_at_most_32_distinct_terms_in_order():
    text = " ".join(f"kata{n} kata{n}" for n in range(100))
    terms = analyze_query(text)

    assert terms == [f"kata{n}" for n in range(32)]


def test_index_terms_keep_text_order_and_repetitions():
    assert analyze("buku baru, buku lama") == ["buku", "baru", "buku", "lama"]


@pytest.fixture
def speller():
    posts = [
        "Layanan sirkulasi perpustakaan kami buka sampai jam empat.",
        "Bagaimana mengatur sirkulasi buku di perpustakaan desa?",
        "Katalog online kami memakai SLiMS; katalog kartu sudah tidak dipakai.",
        "Katalog perpustakaan sekolah sedang didigitalkan.",
    ]
    vocabulary: dict[str, int] = {}
    for post in posts:
        for term in set(analyze(post)):
            vocabulary[term] = vocabulary.get(term, 0) + 1
    return Speller(vocabulary)


def test_speller_corrects_typos_to_the_analysed_term(speller):
    assert speller.correct(stem("sirkulsi")) == stem("sirkulasi")
    assert speller.correct("katalg") == "katalog"
    assert speller.correct(stem("perpustkaan")) == stem("perpustakaan")


def test_speller_leaves_known_and_unknowable_terms_alone(speller):
    assert speller.correct("katalog") is None
    assert speller.correct("zyxwvut") is None
    assert speller.correct("2024") is None


def test_speller_prefers_the_more_frequent_and_never_the_rarer_farther_term():
    # "sirkulasii" is one edit from sirkulasi and two from sirkulasiku.
    assert Speller({"katalog": 50, "katalon": 3}).correct("katalox") == "katalog"
    assert Speller({"sirkulasi": 5, "sirkulasiku": 2}).correct("sirkulasii") == "sirkulasi"
    assert Speller({"sirkulasi": 5, "sirkulasiku": 5}).correct("sirkulasii") == "sirkulasi"
    assert Speller({"sirkulasi": 1, "sirkulasiku": 9}).correct("sirkulasii") == "sirkulasiku"


def test_speller_reaches_two_edits_only_for_long_terms():
    speller = Speller({"katalog": 10, "perpustakaan": 10})

    assert speller.correct("katlg") is None  # 5 characters, two edits away
    assert speller.correct("perpstakan") == "perpustakaan"  # two letters missing
