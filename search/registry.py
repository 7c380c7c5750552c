"""The apps' adapters, registered at start-up (search.apps): how search reaches what the forum
and the knowledge base hold without importing their models (DESIGN.md, the arrows).

An adapter turns its models into search documents: `documents(pks)` re-reads the given rows
(a pk missing from the answer is not indexable any more: hidden, deleted, unpublished, merged)
and `batches(size)` yields every indexable document, for a full reindex and for search_check.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from search.documents import SearchDocument


class Adapter(Protocol):
    prefix: str  # the first part of its documents' ids: "topic" in topic:12

    def documents(self, pks: Sequence[int]) -> dict[int, SearchDocument]: ...

    def batches(self, size: int) -> Iterator[list[SearchDocument]]: ...

    def count(self) -> int: ...


_adapters: dict[str, Adapter] = {}
# Names of facet values (competency areas), from the adapters that have them.
_labellers: list = []


def register(adapter: Adapter, *, labels=None) -> None:
    _adapters[adapter.prefix] = adapter
    if labels is not None and labels not in _labellers:
        _labellers.append(labels)


def adapters() -> list[Adapter]:
    return list(_adapters.values())


def document_id(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"


def split_id(document_id: str) -> tuple[Adapter, int] | None:
    prefix, _, pk = document_id.partition(":")
    adapter = _adapters.get(prefix)
    if adapter is None or not pk.isdecimal():
        return None
    return adapter, int(pk)


def labels(facet: str) -> dict[str, str]:
    """Display names of a facet's values, in the active language (areas: from the forum)."""
    names: dict[str, str] = {}
    for labeller in _labellers:
        names.update(labeller(facet))
    return names
