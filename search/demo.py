"""The demo's search index: the forum's and the knowledge base's demo content is written with
bulk queries, not through the services that record index updates, so it is indexed here, last
(SERAMBI_APPS order). Safe to run again: documents are replaced by their current version."""

from __future__ import annotations

from search import indexing
from search.reindexing import reindex


def seed(*, out) -> list[str]:
    indexing.drain()  # what the demo's services recorded (published pages), first
    result = reindex()
    out(f"search index: {result.documents} documents ({', '.join(result.backends)})")
    return []
