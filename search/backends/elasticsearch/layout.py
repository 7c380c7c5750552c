"""How a search document is held in Elasticsearch: the mapping, the source, the bulk actions.

The terms are ours (search.analysis): Elasticsearch only splits them on spaces. No stemmer, no
stopwords, no synonyms here, or both sides of a match would no longer be the same terms.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from elasticsearch import dsl

from search.documents import SEARCHED_FIELDS, SearchDocument

TERMS = dsl.analyzer("serambi_terms", tokenizer="whitespace")
# Titles' words as written, for suggestions; lower-cased and folded again in case a caller
# passes what was typed as it was typed.
WORDS = dsl.analyzer("serambi_words", tokenizer="whitespace", filter=["lowercase", "asciifolding"])

# How the document's fields are held.
KEYWORDS = ("id", "kind", "url", "host_library", "author", "audience")
LISTS = ("areas", "tags")  # keywords too: slugs
DATES = ("created_at", "updated_at")
TEXTS = ("title", "body", "answer", "replies")  # as written, for highlighting; not searched


def mapping() -> dsl.Mapping:
    mapping = dsl.Mapping()
    mapping.meta("dynamic", "strict")
    # Searched: each field's analysed terms. Kept for the caller's highlighting: the texts.
    terms = {name: dsl.Text(analyzer=TERMS) for name in SEARCHED_FIELDS}
    mapping.field("terms", dsl.Object(properties=terms))
    mapping.field("text", dsl.Object(enabled=False))
    mapping.field("title_words", dsl.SearchAsYouType(analyzer=WORDS))
    for name in (*KEYWORDS, *LISTS, "digest"):
        mapping.field(name, dsl.Keyword())
    for name in DATES:
        mapping.field(name, dsl.Date())
    mapping.field("solved", dsl.Boolean())
    mapping.field("helpful", dsl.Integer())
    mapping.field("year", dsl.Integer())
    return mapping


def source(document: SearchDocument) -> dict:
    return {
        **{name: getattr(document, name) for name in KEYWORDS},
        **{name: list(getattr(document, name)) for name in LISTS},
        # ISO 8601 with the offset: Elasticsearch reads the instant, the source keeps the zone.
        **{name: getattr(document, name).isoformat() for name in DATES},
        "text": {name: getattr(document, name) for name in TEXTS},
        "terms": document.terms(),
        "title_words": document.title_words(),
        "solved": document.solved,
        "helpful": document.helpful,
        "year": document.year,
        "digest": document.digest(),
    }


def document(source: dict) -> SearchDocument:
    return SearchDocument(
        **{name: source[name] for name in KEYWORDS},
        **{name: tuple(source[name]) for name in LISTS},
        **{name: datetime.datetime.fromisoformat(source[name]) for name in DATES},
        **source["text"],
        solved=source["solved"],
        helpful=source["helpful"],
    )


def index_actions(index: str, documents: Iterable[tuple[SearchDocument, int]]) -> Iterator[dict]:
    for document, version in documents:
        # external: written only over a lower version, a deletion's included.
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": document.id,
            "version": version,
            "version_type": "external",
            "_source": source(document),
        }


def delete_actions(index: str, ids: Iterable[tuple[str, int]]) -> Iterator[dict]:
    for document_id, version in ids:
        yield {
            "_op_type": "delete",
            "_index": index,
            "_id": document_id,
            "version": version,
            "version_type": "external",
        }


def superseded(item: dict) -> bool:
    """A write that lost to a newer version (409), or a delete of what is already gone."""
    (operation, result), *_ = item.items()
    return result.get("status") == 409 or (
        operation == "delete" and result.get("result") == "not_found"
    )
