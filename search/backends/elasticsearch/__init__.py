"""Serambi's search on Elasticsearch 9 (search.backends.base is the contract).

Index layout (kitsune's): versioned physical indexes `<prefix>-documents-<UTC timestamp>`
behind a read alias `<prefix>-documents` and a write alias `<prefix>-documents-write`. A
reindex fills a new physical index (create_index, index_into, delete_from), then moves both
aliases in one atomic `_aliases` call (switch_aliases): searches never see a half-built index.

How documents are held: layout.py; how they are found and ranked: queries.py.

Tested against osmem-server (tests/search/elasticsearch_server.py); where it differs from
Elasticsearch 9, this module does what Elasticsearch does and says so where it matters.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence

from elastic_transport import ApiError, TransportError
from elasticsearch import Elasticsearch, dsl
from elasticsearch.dsl import Q, Search
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.backends import base
from search.backends.base import BackendError, Hit, SearchRequest, SearchResponse, Suggestion
from search.backends.elasticsearch import layout, queries
from search.documents import SearchDocument

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
        self._bulk(layout.index_actions(self.write_alias, documents), "index documents", alias=True)

    def delete(self, ids: Sequence[tuple[str, int]]) -> None:
        if not ids:
            return
        self._check_aliases()
        self._bulk(layout.delete_actions(self.write_alias, ids), "delete documents", alias=True)

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
            failures = [item for ok, item in results if not ok and not layout.superseded(item)]
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
            found = self._client.search(index=self.read_alias, body=queries.search_body(request))
        return SearchResponse(
            hits=[
                Hit(layout.document(hit["_source"]), hit["_score"] or 0.0)
                for hit in found["hits"]["hits"]
            ],
            total=found["hits"]["total"]["value"],
            facets=queries.facets(found.get("aggregations", {})),
        )

    def suggest(self, words: Sequence[str], *, audiences: Sequence[str], limit: int = 8):
        typed = " ".join(word for word in words if word.strip())
        if not typed or limit <= 0:
            return []
        # bool_prefix: every word as written, the last one as a prefix, in any order.
        typing = Q(
            "multi_match",
            query=typed,
            type="bool_prefix",
            operator="and",
            fields=queries.SUGGEST_FIELDS,
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

    def stored(self, *, page_size: int = STORED_PAGE) -> Iterator[tuple[str, str]]:
        # search_after on the id: no 10,000-hit window and no server-side context to expire
        # (no point in time either: osmem has OpenSearch's PIT API, not Elasticsearch's _pit).
        search = Search().sort({"id": "asc"}).source(["digest"]).extra(track_total_hits=False)
        page = search[:page_size]
        while True:
            with self._backend_errors("list the stored documents"):
                found = self._maintenance.search(index=self.read_alias, body=page.to_dict())
            hits = found["hits"]["hits"]
            yield from ((hit["_id"], hit["_source"]["digest"]) for hit in hits)
            if len(hits) < page_size:
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
        self._bulk(
            layout.index_actions(name, documents), f"index documents into {name}", alias=False
        )

    def delete_from(self, name: str, ids: Iterable[tuple[str, int]]) -> None:
        self._check_ours(name)
        self._check_exists(name)
        self._bulk(layout.delete_actions(name, ids), f"delete documents from {name}", alias=False)

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
        index.mapping(layout.mapping())
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
