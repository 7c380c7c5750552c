"""Serambi's search on Elasticsearch 9 (search.backends.base is the contract).

Index layout (kitsune's): versioned physical indexes `<prefix>-documents-<UTC timestamp>`
behind a read alias `<prefix>-documents` and a write alias `<prefix>-documents-write`. A
reindex fills a new physical index (create_index, index_into, delete_from), then moves both
aliases in one atomic `_aliases` call (switch_aliases): searches never see a half-built index.

Ranking: each analysed query term is looked for in every searched field weighed by
FIELD_WEIGHTS (multi_match most_fields), its near spellings (fuzziness) at a fraction of that
weight; the terms' scores add up, and a document must match a share of the terms
(min_match). That relevance is multiplied by base.boost() itself, written in Painless
(script_score), so that solved, helpful and recent documents move up exactly as much as on the
database backends and never past a clearly more relevant one.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from elastic_transport import ApiError, TransportError
from elasticsearch import Elasticsearch
from elasticsearch.dsl import (
    Boolean,
    Date,
    Index,
    Integer,
    Keyword,
    Mapping,
    Object,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
)
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.backends import base
from search.backends.base import (
    FACETS,
    TAG_FACET_SIZE,
    BackendError,
    Filters,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResponse,
    Sort,
    Suggestion,
)
from search.documents import FIELD_WEIGHTS, SEARCHED_FIELDS, SearchDocument

# The terms are ours (search.analysis): Elasticsearch only splits them on spaces. No stemmer,
# no stopwords, no synonyms here, or both sides of a match would no longer be the same terms.
TERMS = analyzer("serambi_terms", tokenizer="whitespace")
# Titles' words as written, for suggestions; lower-cased and folded again in case a caller
# passes what was typed as it was typed.
WORDS = analyzer("serambi_words", tokenizer="whitespace", filter=["lowercase", "asciifolding"])

WEIGHTED_FIELDS = [f"terms.{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
SUGGEST_FIELDS = ["title_words", "title_words._2gram", "title_words._3gram"]
# A near spelling (one edit from 4 letters, two from 8, as search.analysis.spelling allows)
# scores this share of the term itself, so an exact match stays ahead of a typo's.
FUZZINESS = "AUTO:4,8"
FUZZY_WEIGHT = 0.3

# base.boost() in Painless, the same formula as the database backends. `now` is a parameter
# (epoch seconds) so that the factor does not depend on the search server's clock.
BOOST_SCRIPT = """
double factor = doc['solved'].value ? params.solved_boost : 1.0;
double votes = Math.max(0.0, doc['helpful'].value);
factor *= 1.0 + params.helpful_boost * Math.log(1.0 + votes) / Math.log(2.0);
double age = Math.max(0.0, (params.now - doc['updated_at'].value.toEpochSecond()) / 86400.0);
factor *= 1.0 + params.recency_weight * Math.pow(0.5, age / params.half_life_days);
return _score * factor;
"""

FACET_FIELDS = {
    "kind": "kind",
    "areas": "areas",
    "tags": "tags",
    "solved": "solved",
    "year": "year",
}
FACET_SIZE = 50  # kinds, areas and years are a handful each; tags are cut at TAG_FACET_SIZE
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: from + size beyond fails
STORED_PAGE = 1_000
# Reads answer the user; writes and index management may take longer (a bulk of 500
# documents, creating an index on a busy cluster).
MAINTENANCE_TIMEOUT = 30.0


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        *,
        index_prefix: str = "serambi",
        client: Elasticsearch | None = None,
        request_timeout: float = 2.0,
    ) -> None:
        if client is None:
            # No retry on a timeout: the caller falls back to the database sooner.
            client = Elasticsearch(url, max_retries=1, retry_on_timeout=False)
        self._client = client.options(request_timeout=request_timeout)
        self._maintenance = client.options(
            request_timeout=max(request_timeout, MAINTENANCE_TIMEOUT)
        )
        self._where = _without_credentials(url)
        self.read_alias = f"{index_prefix}-documents"
        self.write_alias = f"{index_prefix}-documents-write"
        self._physical = re.compile(re.escape(f"{index_prefix}-documents-") + r"\d{20}")
        self._aliases_exist = False

    # --- Writes --------------------------------------------------------------------------------

    def index(self, documents: Sequence[tuple[SearchDocument, int]]) -> None:
        self._ensure_aliases()
        self._bulk(_index_actions(self.write_alias, documents), "index documents", alias=True)

    def delete(self, ids: Sequence[tuple[str, int]]) -> None:
        self._ensure_aliases()
        self._bulk(_delete_actions(self.write_alias, ids), "delete documents", alias=True)

    def refresh(self, name: str | None = None) -> None:
        """Make what was written searchable now (tests; Elasticsearch does it every second)."""
        with self._answers("refresh the index"):
            self._maintenance.indices.refresh(index=name or self.read_alias)

    def _ensure_aliases(self) -> None:
        if not self._aliases_exist:
            self.ensure_index()

    def _bulk(self, actions: Iterable[dict], what: str, *, alias: bool) -> None:
        failures = []
        with self._answers(what):
            results = streaming_bulk(
                self._maintenance,
                actions,
                raise_on_error=False,
                max_retries=2,  # only items refused as too many requests (429)
                initial_backoff=0.5,
                # Writing through a missing alias must fail, not create an index by that name.
                require_alias=alias or None,
            )
            for ok, item in results:
                if not ok and not _superseded(item):
                    failures.append(item)
        if failures:
            self._aliases_exist = False  # perhaps the index went away: check again next time
            (operation, result), *_ = failures[0].items()
            raise BackendError(
                f"Elasticsearch at ELASTICSEARCH_URL ({self._where}) refused to {what}: "
                f"{len(failures)} failed, the first ({operation} {result.get('_id')}): "
                f"{result.get('status')} {result.get('error')}"
            )

    # --- Search --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        if not request.terms:
            return SearchResponse(hits=[], total=0, facets={})
        chosen = _facet_filters(request.filters)
        search = Search().query(
            Q(
                "bool",
                must=[_boosted(_relevance(request.terms, request.min_match))],
                filter=[Q("terms", audience=list(request.audiences))],
                must_not=[Q("ids", values=list(request.exclude))] if request.exclude else [],
            )
        )
        # Facet filters narrow the hits only (post_filter): each facet's counts are taken with
        # the other facets' filters, so that choosing one kind still shows the other kinds.
        if chosen:
            search = search.post_filter(Q("bool", filter=list(chosen.values())))
        if request.facets:
            for facet in FACETS:
                others = [query for name, query in chosen.items() if name != facet]
                search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others)).bucket(
                    "values", "terms", **_facet_terms(facet)
                )
        if request.sort == Sort.NEWEST:
            search = search.sort({"created_at": "desc"}, {"id": "asc"}).extra(track_scores=True)
        else:
            search = search.sort("_score", {"updated_at": "desc"}, {"id": "asc"})
        start = min(request.offset, MAX_RESULT_WINDOW)
        stop = min(request.offset + request.limit, MAX_RESULT_WINDOW)
        search = search.extra(track_total_hits=True).source(excludes=["terms", "title_words"])
        with self._answers("search"):
            found = self._client.search(index=self.read_alias, body=search[start:stop].to_dict())
        return SearchResponse(
            hits=[
                Hit(_document(hit["_source"]), float(hit["_score"] or 0.0))
                for hit in found["hits"]["hits"]
            ],
            total=found["hits"]["total"]["value"],
            facets=_facets(found.get("aggregations", {})),
        )

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int = 8):
        typed = " ".join(word for word in words if word.strip())
        if not typed or limit <= 0:
            return []
        search = Search().query(
            Q(
                "bool",
                # bool_prefix: every word as written, the last one as a prefix.
                must=[
                    Q(
                        "multi_match",
                        query=typed,
                        type="bool_prefix",
                        operator="and",
                        fields=SUGGEST_FIELDS,
                    )
                ],
                filter=[Q("terms", audience=list(audiences))],
            )
        )
        search = search.sort("_score", {"helpful": "desc"}, {"id": "asc"})
        search = search.source(["text.title", "url", "kind"])[:limit]
        with self._answers("suggest titles"):
            found = self._client.search(index=self.read_alias, body=search.to_dict())
        return [
            Suggestion(
                title=hit["_source"]["text"]["title"],
                url=hit["_source"]["url"],
                kind=hit["_source"]["kind"],
            )
            for hit in found["hits"]["hits"]
        ]

    # --- Maintenance ---------------------------------------------------------------------------

    def stored(self) -> Iterator[tuple[str, str]]:
        # search_after on the id: no 10,000-hit window and no server-side context to expire.
        after = None
        while True:
            search = Search().sort({"id": "asc"}).source(["digest"]).extra(track_total_hits=False)
            if after is not None:
                search = search.extra(search_after=after)
            with self._answers("list the stored documents"):
                found = self._maintenance.search(
                    index=self.read_alias, body=search[:STORED_PAGE].to_dict()
                )
            hits = found["hits"]["hits"]
            for hit in hits:
                yield hit["_id"], hit["_source"]["digest"]
            if len(hits) < STORED_PAGE:
                return
            after = hits[-1]["sort"]

    def count(self) -> int:
        with self._answers("count documents"):
            return self._client.count(index=self.read_alias)["count"]

    def ping(self) -> dict:
        with self._answers("answer"):
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

    # --- Index layout and rebuild ----------------------------------------------------------------

    def ensure_index(self) -> str:
        """The physical index the aliases point at; when there is none, one is created with
        both (idempotent, and safe when several processes start at once)."""
        name = self._live_index()
        if name is None:
            try:
                name = self._create(
                    aliases={self.read_alias: {}, self.write_alias: {"is_write_index": True}}
                )
            except BackendError:
                # Another process may have been first: its index stands, ours was refused.
                name = self._live_index()
                if name is None:
                    raise
        self._aliases_exist = True
        return name

    def _live_index(self) -> str | None:
        """The index the read alias points at, with the write alias repaired if it strayed."""
        holders = self._aliases()
        live = sorted(name for name, aliases in holders.items() if aliases)
        if not live:
            return None
        name = next((name for name in live if self.read_alias in holders[name]), live[-1])
        if holders[name] != {self.read_alias, self.write_alias} or len(live) > 1:
            self.switch_aliases(name)
        return name

    def create_index(self) -> str:
        """A new, empty physical index without aliases, for a rebuild."""
        return self._create(aliases={})

    def _create(self, *, aliases: dict) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        name = f"{self.read_alias}-{stamp}"
        index = Index(name).settings(
            number_of_shards=1,  # a few hundred thousand documents; one shard scores them alike
            auto_expand_replicas="0-1",  # green on a single node, a replica when there are two
        )
        index.mapping(_mapping())
        index.aliases(**aliases)
        with self._answers(f"create the index {name}"):
            self._maintenance.indices.create(index=name, body=index.to_dict())
        return name

    def index_into(self, name: str, documents: Iterable[tuple[SearchDocument, int]]) -> None:
        """Write into one physical index (a rebuild's), with the same version rule."""
        self._check_ours(name)
        self._bulk(_index_actions(name, documents), f"index documents into {name}", alias=False)

    def delete_from(self, name: str, ids: Iterable[tuple[str, int]]) -> None:
        self._check_ours(name)
        self._bulk(_delete_actions(name, ids), f"delete documents from {name}", alias=False)

    def switch_aliases(self, name: str) -> None:
        """Point both aliases at `name` in one atomic step: every search is answered by the old
        index or by the new one, never by neither."""
        self._check_ours(name)
        actions = [
            # must_exist: if someone moved an alias meanwhile, the whole switch is refused.
            {"remove": {"index": index, "alias": alias, "must_exist": True}}
            for index, aliases in self._aliases().items()
            for alias in sorted(aliases)
            if index != name
        ]
        actions += [
            {"add": {"index": name, "alias": self.read_alias}},
            {"add": {"index": name, "alias": self.write_alias, "is_write_index": True}},
        ]
        with self._answers(f"move the aliases to {name}"):
            self._maintenance.indices.update_aliases(actions=actions)

    def drop_indexes(self, except_name: str) -> None:
        """Delete every physical index but `except_name` (after a switch, or a failed rebuild).
        An index an alias still points at is never dropped."""
        holders = self._aliases()
        doomed = sorted(name for name in holders if name != except_name)
        live = [name for name in doomed if holders[name]]
        if live:
            raise ValueError(f"{', '.join(live)} still answer searches: switch_aliases first")
        if doomed:
            with self._answers(f"delete the indexes {', '.join(doomed)}"):
                self._maintenance.indices.delete(index=",".join(doomed))

    def physical_indexes(self) -> list[str]:
        """This prefix's physical indexes, oldest first."""
        return sorted(self._aliases())

    def _aliases(self) -> dict[str, set[str]]:
        """Each physical index of this prefix -> the aliases (ours) that point at it."""
        with self._answers("list the indexes"):
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

    @contextlib.contextmanager
    def _answers(self, what: str) -> Iterator[None]:
        """Every failure of the client (down, timed out, refused) becomes a BackendError."""
        try:
            yield
        except (ApiError, TransportError, BulkIndexError) as error:
            where = f"Elasticsearch at ELASTICSEARCH_URL ({self._where})"
            raise BackendError(f"{where} did not {what}: {_reason(error)}") from error


# --- Documents --------------------------------------------------------------------------------


def _mapping() -> Mapping:
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("id", Keyword())
    # Searched: the analysed terms of each field; kept for highlighting: the texts themselves.
    mapping.field(
        "terms", Object(properties={name: Text(analyzer=TERMS) for name in SEARCHED_FIELDS})
    )
    mapping.field("text", Object(enabled=False))
    mapping.field("title_words", SearchAsYouType(analyzer=WORDS))
    for name in ("kind", "areas", "tags", "host_library", "author", "audience", "url", "digest"):
        mapping.field(name, Keyword())
    mapping.field("solved", Boolean())
    mapping.field("helpful", Integer())
    mapping.field("year", Integer())
    mapping.field("created_at", Date())
    mapping.field("updated_at", Date())
    return mapping


def _source(document: SearchDocument) -> dict:
    return {
        "id": document.id,
        "terms": document.terms(),
        "text": {name: getattr(document, name) for name in ("title", "body", "answer", "replies")},
        "title_words": document.title_words(),
        "kind": document.kind,
        "url": document.url,
        "areas": list(document.areas),
        "tags": list(document.tags),
        "host_library": document.host_library,
        "author": document.author,
        "audience": document.audience,
        "solved": document.solved,
        "helpful": document.helpful,
        "year": document.year,
        # ISO 8601 with the offset: Elasticsearch reads the instant, the source keeps the zone.
        "created_at": document.created_at.isoformat(),
        "updated_at": document.updated_at.isoformat(),
        "digest": document.digest(),
    }


def _document(source: dict) -> SearchDocument:
    text = source["text"]
    return SearchDocument(
        id=source["id"],
        kind=source["kind"],
        title=text["title"],
        url=source["url"],
        created_at=datetime.datetime.fromisoformat(source["created_at"]),
        updated_at=datetime.datetime.fromisoformat(source["updated_at"]),
        body=text["body"],
        answer=text["answer"],
        replies=text["replies"],
        areas=tuple(source["areas"]),
        tags=tuple(source["tags"]),
        host_library=source["host_library"],
        author=source["author"],
        solved=source["solved"],
        helpful=source["helpful"],
        audience=source["audience"],
    )


def _index_actions(index: str, documents: Iterable[tuple[SearchDocument, int]]) -> Iterator[dict]:
    for document, version in documents:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": document.id,
            # external: stored only if higher than the version held, deletions included.
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
    status = result.get("status")
    return status == 409 or (operation == "delete" and result.get("result") == "not_found")


# --- Queries ----------------------------------------------------------------------------------


def _relevance(terms: Sequence[str], min_match: float) -> Q:
    return Q(
        "bool",
        should=[_matches(term) for term in terms],
        minimum_should_match=_required(len(terms), min_match),
    )


def _matches(term: str) -> Q:
    """One term in any searched field, weighed by FIELD_WEIGHTS; found in several fields, it
    counts in each. Its near spellings count FUZZY_WEIGHT as much (dis_max: the better of the
    two, so an exact match is not counted twice)."""
    exact = Q("multi_match", query=term, fields=WEIGHTED_FIELDS, type="most_fields")
    near = Q(
        "multi_match",
        query=term,
        fields=WEIGHTED_FIELDS,
        type="most_fields",
        fuzziness=FUZZINESS,
        prefix_length=1,
        boost=FUZZY_WEIGHT,
    )
    return Q("dis_max", queries=[exact, near])


def _required(count: int, min_match: float) -> int:
    """How many of the query's terms a document must match: at least the share min_match of
    them, but never all of a query of several terms. (The database backends weigh the terms by
    rarity; Elasticsearch's minimum_should_match can only count them.)"""
    if count <= 1:
        return 1
    return max(1, min(count - 1, math.ceil(count * min_match - 1e-9)))


def _boosted(relevance: Q) -> Q:
    now = datetime.datetime.now(datetime.UTC)
    return Q(
        "script_score",
        query=relevance,
        script={
            "source": BOOST_SCRIPT,
            "params": {
                "solved_boost": base.SOLVED_BOOST,
                "helpful_boost": base.HELPFUL_BOOST,
                "recency_weight": base.RECENCY_WEIGHT,
                "half_life_days": float(base.RECENCY_HALF_LIFE_DAYS),
                "now": now.timestamp(),
            },
        },
    )


def _facet_filters(filters: Filters) -> dict[str, Q]:
    """The request's filters, by facet: values of one facet are alternatives."""
    chosen = {}
    if filters.kinds:
        chosen["kind"] = Q("terms", kind=list(filters.kinds))
    if filters.areas:
        chosen["areas"] = Q("terms", areas=list(filters.areas))
    if filters.tags:
        chosen["tags"] = Q("terms", tags=list(filters.tags))
    if filters.solved is not None:
        chosen["solved"] = Q("term", solved=filters.solved)
    if filters.years:
        chosen["year"] = Q("terms", year=list(filters.years))
    return chosen


def _facet_terms(facet: str) -> dict:
    terms = {
        "field": FACET_FIELDS[facet],
        "size": TAG_FACET_SIZE if facet == "tags" else FACET_SIZE,
    }
    if facet == "year":
        terms["order"] = {"_key": "desc"}
    return terms


def _facets(aggregations: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        facet: [
            # Booleans come back as 1/0 with key_as_string "true"/"false"; years as numbers.
            (str(bucket.get("key_as_string", bucket["key"])), bucket["doc_count"])
            for bucket in found["values"]["buckets"]
        ]
        for facet, found in aggregations.items()
    }


# --- Errors -----------------------------------------------------------------------------------


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}" if parts.hostname else url


def _reason(error: Exception) -> str:
    if isinstance(error, ApiError):
        body = error.body if isinstance(error.body, dict) else {}
        cause = body.get("error", {})
        if isinstance(cause, dict):
            cause = cause.get("reason") or cause.get("type") or cause
        return f"{error.meta.status} {cause or error.message}"
    if isinstance(error, BulkIndexError):
        return f"{len(error.errors)} documents refused"
    return f"{type(error).__name__}: {error}"
