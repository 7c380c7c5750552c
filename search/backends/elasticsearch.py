"""Serambi's search on Elasticsearch 9 (search.backends.base is the contract).

Index layout (kitsune's): versioned physical indexes `<prefix>-documents-<UTC timestamp>`
behind a read alias `<prefix>-documents` and a write alias `<prefix>-documents-write`. A
reindex fills a new physical index (create_index, index_into, delete_from), then moves both
aliases in one atomic `_aliases` call (switch_aliases): searches never see a half-built index.

Ranking: each analysed query term is looked for in the searched fields weighed by
FIELD_WEIGHTS (multi_match best_fields: its best field and a share of the others), its near
spellings (fuzziness) at a fraction of that weight; the terms' scores add up, and a document
must match a share of the terms (min_match). That relevance is multiplied by base.boost()
itself, written in Painless (script_score), so that solved, helpful and recent documents move
up exactly as much as on the database backends and never past a clearly more relevant one.

Tested against osmem-server (tests/search/elasticsearch_server.py); where it differs from
Elasticsearch 9, this module does what Elasticsearch does and says so where it matters.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from collections.abc import Iterable, Iterator, Sequence

from elastic_transport import ApiError, TransportError
from elasticsearch import Elasticsearch, dsl
from elasticsearch.dsl import Q, Search
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.backends import base
from search.backends.base import BackendError, Hit, SearchRequest, SearchResponse, Suggestion
from search.documents import FIELD_WEIGHTS, SEARCHED_FIELDS, SearchDocument

# The terms are ours (search.analysis): Elasticsearch only splits them on spaces. No stemmer,
# no stopwords, no synonyms here, or both sides of a match would no longer be the same terms.
TERMS = dsl.analyzer("serambi_terms", tokenizer="whitespace")
# Titles' words as written, for suggestions; lower-cased and folded again in case a caller
# passes what was typed as it was typed.
WORDS = dsl.analyzer("serambi_words", tokenizer="whitespace", filter=["lowercase", "asciifolding"])

WEIGHTED_FIELDS = [f"terms.{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
SUGGEST_FIELDS = ["title_words", "title_words._2gram", "title_words._3gram"]
# What the other fields a term is found in add to its best one. Adding them all (most_fields)
# let a word repeated through long replies outweigh it in a title (bench/es_notes.md).
TIE_BREAKER = 0.3
# A near spelling (one edit from 4 letters, two from 8, as search.analysis.spelling allows)
# scores this share of the term itself, so that an exact match stays ahead of a typo's.
FUZZINESS = "AUTO:4,8"
FUZZY_WEIGHT = 0.3

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

# How the document's fields are held.
KEYWORDS = ("id", "kind", "url", "host_library", "author", "audience")
LISTS = ("areas", "tags")  # keywords too: slugs
DATES = ("created_at", "updated_at")
TEXTS = ("title", "body", "answer", "replies")  # as written, for highlighting; not searched

FACET_SIZE = 50  # kinds, areas and years are a handful each; tags stop at TAG_FACET_SIZE
MAX_RESULT_WINDOW = 10_000  # index.max_result_window: a page beyond it is empty, not an error
STORED_PAGE = 1_000
# Searches answer someone waiting; writes and index management may take longer (a bulk of
# 500 documents, creating an index on a busy cluster).
MAINTENANCE_TIMEOUT = 30.0


class ElasticsearchBackend(base.SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        *,
        index_prefix: str = "serambi",
        client: Elasticsearch | None = None,
        request_timeout: float = 2.0,
    ) -> None:
        self._where = _without_credentials(url)
        self._unusable = ""
        self._owns_client = client is None
        if client is None:
            try:
                # No retry after a timeout: the caller falls back to the database sooner.
                client = Elasticsearch(url, max_retries=1, retry_on_timeout=False)
            except ValueError as error:
                # Said on every use, as a server that is down would be (_backend_errors):
                # search falls back to the database, and /healthz names the setting.
                self._unusable = f"ELASTICSEARCH_URL ({self._where}) is not usable: {error}"
        maintenance_timeout = max(request_timeout, MAINTENANCE_TIMEOUT)
        self._client = client and client.options(request_timeout=request_timeout)
        self._maintenance = client and client.options(request_timeout=maintenance_timeout)
        self.read_alias = f"{index_prefix}-documents"
        self.write_alias = f"{index_prefix}-documents-write"
        self._physical = re.compile(re.escape(f"{self.read_alias}-") + r"\d{20}")
        self._aliases_checked = False

    def close(self) -> None:
        """Close the connections of the client this backend made (not of one it was given)."""
        if self._owns_client and self._client is not None:
            self._client.close()

    # --- Writes --------------------------------------------------------------------------------

    def index(self, documents: Sequence[tuple[SearchDocument, int]]) -> None:
        if not documents:
            return
        self._check_aliases()
        self._bulk(_index_actions(self.write_alias, documents), "index documents", alias=True)

    def delete(self, ids: Sequence[tuple[str, int]]) -> None:
        if not ids:
            return
        self._check_aliases()
        self._bulk(_delete_actions(self.write_alias, ids), "delete documents", alias=True)

    def refresh(self, name: str | None = None) -> None:
        """Make what was written searchable now (tests; Elasticsearch does it every second)."""
        with self._backend_errors("refresh the index"):
            self._maintenance.indices.refresh(index=name or self.read_alias)

    def _check_aliases(self) -> None:
        if not self._aliases_checked:
            self.ensure_index()

    def _bulk(self, actions: Iterable[dict], what: str, *, alias: bool) -> None:
        with self._backend_errors(what):
            results = streaming_bulk(
                self._maintenance,
                actions,
                raise_on_error=False,
                max_retries=2,  # items refused as too many requests (429) only
                initial_backoff=0.5,
                # Through a missing alias a write must fail, not create an index of that name.
                require_alias=alias or None,
            )
            failures = [item for ok, item in results if not ok and not _superseded(item)]
        if failures:
            self._aliases_checked = False  # perhaps the index went away: look again next time
            (operation, first), *_ = failures[0].items()
            raise BackendError(
                f"Elasticsearch at ELASTICSEARCH_URL ({self._where}) did not {what}: "
                f"{len(failures)} refused, the first ({operation} {first.get('_id')}) with "
                f"{first.get('status')} {first.get('error')}"
            )

    # --- Reads ---------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        if not request.terms:
            return SearchResponse(hits=[], total=0, facets={})
        with self._backend_errors("search"):
            found = self._client.search(index=self.read_alias, body=_search_body(request))
        return SearchResponse(
            hits=[
                Hit(_document(hit["_source"]), hit["_score"] or 0.0)
                for hit in found["hits"]["hits"]
            ],
            total=found["hits"]["total"]["value"],
            facets=_facets(found.get("aggregations", {})),
        )

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int = 8):
        typed = " ".join(word for word in words if word.strip())
        if not typed or limit <= 0:
            return []
        # bool_prefix: every word as written, the last one as a prefix, in any order.
        typing = Q(
            "multi_match", query=typed, type="bool_prefix", operator="and", fields=SUGGEST_FIELDS
        )
        search = Search().query(
            Q("bool", must=[typing], filter=[Q("terms", audience=list(audiences))])
        )
        search = search.sort("_score", {"helpful": "desc"}, {"id": "asc"})
        search = search.source(["text.title", "url", "kind"])[:limit]
        with self._backend_errors("suggest titles"):
            found = self._client.search(index=self.read_alias, body=search.to_dict())
        return [
            Suggestion(title=source["text"]["title"], url=source["url"], kind=source["kind"])
            for source in (hit["_source"] for hit in found["hits"]["hits"])
        ]

    def stored(self) -> Iterator[tuple[str, str]]:
        # search_after on the id: no 10,000-hit window and no server-side context to expire
        # (no point in time either: osmem has OpenSearch's PIT API, not Elasticsearch's _pit).
        search = Search().sort({"id": "asc"}).source(["digest"]).extra(track_total_hits=False)
        page = search[:STORED_PAGE]
        while True:
            with self._backend_errors("list the stored documents"):
                found = self._maintenance.search(index=self.read_alias, body=page.to_dict())
            hits = found["hits"]["hits"]
            yield from ((hit["_id"], hit["_source"]["digest"]) for hit in hits)
            if len(hits) < STORED_PAGE:
                return
            page = page.extra(search_after=hits[-1]["sort"])

    def count(self) -> int:
        with self._backend_errors("count documents"):
            return self._client.count(index=self.read_alias)["count"]

    def ping(self) -> dict:
        with self._backend_errors("answer"):
            version = self._client.info()["version"]["number"]
            holders = self._client.indices.get_alias(name=self.read_alias)
            documents = self._client.count(index=self.read_alias)["count"]
        return {"version": version, "documents": documents, "index": ", ".join(sorted(holders))}

    def clear(self) -> None:
        # A fresh index rather than a delete_by_query: it also forgets the deleted documents'
        # versions, so that a reindex from nothing may start again from any version.
        name = self.create_index()
        self.switch_aliases(name)
        self.drop_indexes(except_name=name)

    # --- Index layout and rebuild --------------------------------------------------------------

    def ensure_index(self) -> str:
        """The physical index the aliases point at; when there is none, one is created with
        both (idempotent, and safe when several processes start at once)."""
        name = self._live_index()
        if name is None:
            both = {self.read_alias: {}, self.write_alias: {"is_write_index": True}}
            try:
                name = self._create(aliases=both)
            except BackendError:
                # Another process may have been first: its index stands, ours was refused.
                name = self._live_index()
                if name is None:
                    raise
        self._aliases_checked = True
        return name

    def create_index(self) -> str:
        """A new, empty physical index without aliases, for a rebuild."""
        return self._create(aliases={})

    def index_into(self, name: str, documents: Iterable[tuple[SearchDocument, int]]) -> None:
        """Write into one physical index (a rebuild's), under the same version rule."""
        self._check_ours(name)
        self._check_exists(name)
        self._bulk(_index_actions(name, documents), f"index documents into {name}", alias=False)

    def delete_from(self, name: str, ids: Iterable[tuple[str, int]]) -> None:
        self._check_ours(name)
        self._check_exists(name)
        self._bulk(_delete_actions(name, ids), f"delete documents from {name}", alias=False)

    def switch_aliases(self, name: str) -> None:
        """Point both aliases at `name` in one atomic step: every search is answered by the old
        index or by the new one, never by neither."""
        self._check_ours(name)
        actions = [
            # must_exist: if an alias moved meanwhile, the whole switch is refused. (Without
            # it Elasticsearch refuses the removal of a missing alias too; osmem ignores it.)
            {"remove": {"index": index, "alias": alias, "must_exist": True}}
            for index, aliases in self._aliases().items()
            if index != name
            for alias in sorted(aliases)
        ]
        actions += [
            {"add": {"index": name, "alias": self.read_alias}},
            {"add": {"index": name, "alias": self.write_alias, "is_write_index": True}},
        ]
        with self._backend_errors(f"move the aliases to {name}"):
            self._maintenance.indices.update_aliases(actions=actions)

    def drop_indexes(self, except_name: str) -> None:
        """Delete every physical index but `except_name` (after a switch, or a failed rebuild);
        never one that an alias points at."""
        holders = self._aliases()
        doomed = sorted(name for name in holders if name != except_name)
        if live := [name for name in doomed if holders[name]]:
            raise ValueError(f"{', '.join(live)} still answer searches: switch_aliases first")
        if doomed:
            with self._backend_errors(f"delete the indexes {', '.join(doomed)}"):
                self._maintenance.indices.delete(index=",".join(doomed))

    def physical_indexes(self) -> list[str]:
        """This prefix's physical indexes, oldest first."""
        return sorted(self._aliases())

    def _live_index(self) -> str | None:
        """The index the read alias points at, the write alias brought back to it if it strayed."""
        holders = self._aliases()
        live = sorted(name for name, aliases in holders.items() if aliases)
        if not live:
            return None
        name = next((name for name in live if self.read_alias in holders[name]), live[-1])
        if holders[name] != {self.read_alias, self.write_alias} or len(live) > 1:
            self.switch_aliases(name)
        return name

    def _create(self, *, aliases: dict) -> str:
        name = f"{self.read_alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        index = dsl.Index(name).settings(
            number_of_shards=1,  # a few hundred thousand documents; one shard scores them alike
            auto_expand_replicas="0-1",  # green on a single node, a replica once there are two
        )
        index.mapping(_mapping())
        index.aliases(**aliases)
        with self._backend_errors(f"create the index {name}"):
            self._maintenance.indices.create(index=name, body=index.to_dict())
        return name

    def _aliases(self) -> dict[str, set[str]]:
        """Each physical index of this prefix -> which of our aliases point at it."""
        with self._backend_errors("list the indexes"):
            found = self._maintenance.indices.get_alias(index=f"{self.read_alias}-*")
        ours = {self.read_alias, self.write_alias}
        return {
            name: set(held.get("aliases", {})) & ours
            for name, held in found.items()
            if self._physical.fullmatch(name)
        }

    def _check_ours(self, name: str) -> None:
        if not self._physical.fullmatch(name):
            raise ValueError(f"{name!r} is not a physical index of {self.read_alias}")

    def _check_exists(self, name: str) -> None:
        # A write to a missing index would create it, with mappings guessed from the documents.
        with self._backend_errors(f"find the index {name}"):
            if not self._maintenance.indices.exists(index=name):
                raise BackendError(f"{name} does not exist (dropped during the rebuild?)")

    @contextlib.contextmanager
    def _backend_errors(self, what: str) -> Iterator[None]:
        """Every failure of the client (down, timed out, refused) becomes a BackendError."""
        if self._unusable:
            raise BackendError(self._unusable)
        try:
            yield
        except (ApiError, TransportError, BulkIndexError) as error:
            where = f"Elasticsearch at ELASTICSEARCH_URL ({self._where})"
            raise BackendError(f"{where} did not {what}: {_reason(error)}") from error


# --- Documents --------------------------------------------------------------------------------


def _mapping() -> dsl.Mapping:
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


def _source(document: SearchDocument) -> dict:
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


def _document(source: dict) -> SearchDocument:
    return SearchDocument(
        **{name: source[name] for name in KEYWORDS},
        **{name: tuple(source[name]) for name in LISTS},
        **{name: datetime.datetime.fromisoformat(source[name]) for name in DATES},
        **source["text"],
        solved=source["solved"],
        helpful=source["helpful"],
    )


def _index_actions(index: str, documents: Iterable[tuple[SearchDocument, int]]) -> Iterator[dict]:
    for document, version in documents:
        # external: written only over a lower version, a deletion's included.
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": document.id,
            "version": version,
            "version_type": "external",
            "_source": _source(document),
        }


def _delete_actions(index: str, ids: Iterable[tuple[str, int]]) -> Iterator[dict]:
    for document_id, version in ids:
        yield {
            "_op_type": "delete",
            "_index": index,
            "_id": document_id,
            "version": version,
            "version_type": "external",
        }


def _superseded(item: dict) -> bool:
    """A write that lost to a newer version (409), or a delete of what is already gone."""
    (operation, result), *_ = item.items()
    return result.get("status") == 409 or (
        operation == "delete" and result.get("result") == "not_found"
    )


# --- Queries ----------------------------------------------------------------------------------


def _search_body(request: SearchRequest) -> dict:
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


def _facets(aggregations: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        facet: [
            # Booleans come back as 1/0 with key_as_string "true"/"false", years as numbers.
            (str(bucket.get("key_as_string", bucket["key"])), bucket["doc_count"])
            for bucket in found["values"]["buckets"]
        ]
        for facet, found in aggregations.items()
    }


# --- Errors -----------------------------------------------------------------------------------


def _without_credentials(url: str) -> str:
    """The address to name in messages: ELASTICSEARCH_URL without its user and password."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)?[^/@]*@", r"\1", url, flags=re.IGNORECASE)


def _reason(error: Exception) -> str:
    if isinstance(error, ApiError):
        cause = error.body.get("error") if isinstance(error.body, dict) else None
        if isinstance(cause, dict):
            cause = cause.get("reason") or cause.get("type")
        return f"{error.meta.status} {cause or error.message}"
    if isinstance(error, BulkIndexError):
        return f"{len(error.errors)} documents refused"
    return f"{type(error).__name__}: {error}"
