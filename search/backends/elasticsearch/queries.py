"""Serambi's searches in Elasticsearch's query language.

Each analysed query term is looked for in the searched fields weighed by FIELD_WEIGHTS
(multi_match best_fields: its best field and a share of the others), its near spellings
(fuzziness) at a fraction of that weight; the terms' scores add up, and a document must match
a share of the terms (min_match). That relevance is multiplied by base.boost() itself, written
in Painless (script_score), so that solved, helpful and recent documents move up exactly as much
as on the database backends and never past a clearly more relevant one.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

from elasticsearch.dsl import Q, Search

from search.backends import base
from search.backends.base import SearchRequest
from search.documents import FIELD_WEIGHTS

WEIGHTED_FIELDS = [f"terms.{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
SUGGEST_FIELDS = ["title_words", "title_words._2gram", "title_words._3gram"]
# What the other fields a term is found in add to its best one. Adding them all (most_fields)
# let a word repeated through long replies outweigh it in a title (bench/es_notes.md).
TIE_BREAKER = 0.3
# A near spelling (one edit from 4 letters, two from 8, as search.analysis.spelling allows)
# scores this share of the term itself, so that an exact match stays ahead of a typo's.
FUZZINESS = "AUTO:4,8"
FUZZY_WEIGHT = 0.3
FACET_SIZE = 50  # kinds, areas and years are a handful each; tags stop at TAG_FACET_SIZE
MAX_RESULT_WINDOW = 10_000  # index.max_result_window: a page beyond it is empty, not an error

# base.boost() in Painless, the same formula as the database backends; `now` is a parameter
# (epoch seconds) so that the factor does not hang on the search server's clock. Only what
# both Elasticsearch and osmem run: toEpochSecond(), not toInstant().
BOOST_SCRIPT = """
double factor = doc['solved'].value ? params.solved_boost : 1.0;
double votes = Math.max(0.0, doc['helpful'].value);
factor *= 1.0 + params.helpful_boost * Math.log(1.0 + votes) / Math.log(2.0);
double age = Math.max(0.0, (params.now - doc['updated_at'].value.toEpochSecond()) / 86400.0);
factor *= 1.0 + params.recency_weight * Math.pow(0.5, age / params.half_life_days);
return _score * factor;
"""


def search_body(request: SearchRequest) -> dict:
    chosen = _facet_filters(request.filters)
    visible = Q("terms", audience=list(request.audiences))
    left_out = [Q("ids", values=list(request.exclude))] if request.exclude else []
    relevance = _boosted(_relevance(request.terms, request.min_match))
    search = Search().query(Q("bool", must=[relevance], filter=[visible], must_not=left_out))
    # Facet filters narrow the hits only (post_filter); each facet is counted with the other
    # facets' filters, so that choosing one kind still shows how many the other kinds have.
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    if request.facets:
        for facet in base.FACETS:
            others = Q("bool", filter=[query for name, query in chosen.items() if name != facet])
            search.aggs.bucket(facet, "filter", filter=others).bucket(
                "values", "terms", **_facet_terms(facet)
            )
    if request.sort == base.Sort.NEWEST:
        search = search.sort({"created_at": "desc"}, {"id": "asc"}).extra(track_scores=True)
    else:
        search = search.sort("_score", {"updated_at": "desc"}, {"id": "asc"})
    start = min(request.offset, MAX_RESULT_WINDOW)
    stop = min(request.offset + request.limit, MAX_RESULT_WINDOW)
    search = search.extra(track_total_hits=True).source(excludes=["terms", "title_words"])
    return search[start:stop].to_dict()


def _relevance(terms: Sequence[str], min_match: float) -> Q:
    return Q(
        "bool",
        should=[_matches(term) for term in terms],
        minimum_should_match=_required(len(terms), min_match),
    )


def _matches(term: str) -> Q:
    """One term, scored in the field where it weighs most (FIELD_WEIGHTS) plus TIE_BREAKER of
    the others. Its near spellings count FUZZY_WEIGHT as much; dis_max keeps the better of the
    two, so that an exact match is not counted twice."""
    match = {
        "query": term,
        "fields": WEIGHTED_FIELDS,
        "type": "best_fields",
        "tie_breaker": TIE_BREAKER,
    }
    exact = Q("multi_match", **match)
    near = Q("multi_match", **match, fuzziness=FUZZINESS, prefix_length=1, boost=FUZZY_WEIGHT)
    return Q("dis_max", queries=[exact, near])


def _required(count: int, min_match: float) -> int:
    """How many of the query's terms a document must match: at least the share min_match of
    them, but never all of a query of several. (The database backends weigh terms by rarity;
    minimum_should_match can only count them.)"""
    if count <= 1:
        return 1
    return max(1, min(count - 1, math.ceil(count * min_match - 1e-9)))


def _boosted(relevance: Q) -> Q:
    params = {
        "solved_boost": base.SOLVED_BOOST,
        "helpful_boost": base.HELPFUL_BOOST,
        "recency_weight": base.RECENCY_WEIGHT,
        "half_life_days": float(base.RECENCY_HALF_LIFE_DAYS),
        "now": datetime.datetime.now(datetime.UTC).timestamp(),
    }
    return Q("script_score", query=relevance, script={"source": BOOST_SCRIPT, "params": params})


def _facet_filters(filters: base.Filters) -> dict[str, Q]:
    """The request's filters by facet; the values of one facet are alternatives."""
    chosen = {
        facet: Q("terms", **{facet: list(values)})
        for facet, values in (
            ("kind", filters.kinds),
            ("areas", filters.areas),
            ("tags", filters.tags),
            ("year", filters.years),
        )
        if values
    }
    if filters.solved is not None:
        chosen["solved"] = Q("term", solved=filters.solved)
    return chosen


def _facet_terms(facet: str) -> dict:
    # Most frequent first, ties by value (Elasticsearch's default order); years newest first.
    terms = {"field": facet, "size": base.TAG_FACET_SIZE if facet == "tags" else FACET_SIZE}
    if facet == "year":
        terms["order"] = {"_key": "desc"}
    return terms


def facets(aggregations: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        facet: [
            # Booleans come back as 1/0 with key_as_string "true"/"false", years as numbers.
            (str(bucket.get("key_as_string", bucket["key"])), bucket["doc_count"])
            for bucket in found["values"]["buckets"]
        ]
        for facet, found in aggregations.items()
    }
