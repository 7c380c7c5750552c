"""The Indonesian text analysis that every search backend shares.

Serambi analyses text in Python, once, the same way for SQLite FTS5, PostgreSQL full-text and
Elasticsearch: each backend receives the terms below joined by spaces and indexes and queries
them with a plain whitespace tokenizer. Ranking is then comparable between backends, and
testable without any of them. It has to be so: no backend ships a usable Indonesian analysis
(SQLite and PostgreSQL have none, and the in-memory OpenSearch server that the tests run stores
every token as an empty string when given Elasticsearch's `indonesian` stemmer, and ignores
synonym filters).

The pipeline, in text order:

1. tokens(): lower-cased, ASCII-folded words (é -> e); reduplication resolved (buku-buku ->
   buku), e-book -> ebook, an ISBN's hyphens dropped; digits kept. No stopwords, no stems:
   this is what highlighting and phrase matching compare.
2. Synonyms, abbreviations and informal spellings (synonyms_id.txt) are matched on those
   tokens, longest member first, multi-word members as whole-word sequences. At index time a
   match emits its class's canonical term and keeps the stems of the words written, so a query
   for either form finds the post; at query time only the canonical term is searched.
3. Stopwords (stopwords_id.txt) are dropped; a class whose canonical term is a stopword (yg,
   dgn, gimana) is dropped whole.
4. Each remaining word is stemmed (stemming.py: Sastrawi behind a cache, corrected for this
   domain); a canonical term is analysed the same way, word by word.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from search.analysis import lexicon
from search.analysis.stemming import stem
from search.analysis.tokenize import words as tokens

__all__ = ["MAX_QUERY_TERMS", "analyze", "analyze_query", "stem", "tokens", "without_stemming"]

MAX_QUERY_TERMS = 32
# A query longer than this is pasted text; its first part already gives more than 32 terms,
# and the rest would only fill the stem cache with words nobody searches for.
MAX_QUERY_CHARACTERS = 1_000


def analyze(text: str) -> list[str]:
    """Index-time terms of `text`, in text order, a synonym's canonical term beside its words."""
    return list(_terms(tokens(text), keep_written=True))


def analyze_query(text: str) -> list[str]:
    """Query-time terms of `text`: canonical terms only, each once, at most 32; [] if none."""
    terms = _terms(tokens(text[:MAX_QUERY_CHARACTERS]), keep_written=False)
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


def _terms(words: list[str], *, keep_written: bool) -> Iterator[str]:
    position = 0
    while position < len(words):
        found = lexicon.match(words, position)
        if found is None:
            yield from _word_terms(words[position])
            position += 1
            continue
        length, synonym_class = found
        canonical = _canonical_terms(synonym_class.canonical)
        yield from canonical
        written = tuple(words[position : position + length])
        # A class of stopword spellings (yg, dgn) keeps nothing; the canonical written out
        # needs no second copy.
        if keep_written and canonical and written != synonym_class.canonical:
            for word in written:
                yield from _word_terms(word)
        position += length


def _word_terms(word: str) -> Iterator[str]:
    if not lexicon.is_stopword(word):
        yield _stem(word)


_stem = stem


@contextmanager
def without_stemming() -> Iterator[None]:
    """The same analysis with every word kept as written: the baseline bench/relevance.py
    measures stemming against. Not for the site (not thread-safe)."""
    global _stem
    _canonical_terms.cache_clear()
    _stem = str
    try:
        yield
    finally:
        _stem = stem
        _canonical_terms.cache_clear()


@functools.cache
def _canonical_terms(canonical: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(term for word in canonical for term in _word_terms(word))
