"""The hand-kept word lists: stopwords and synonym classes, read once, checked as they load."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from search.analysis.tokenize import words

DATA = Path(__file__).resolve().parent
# Clitics after which a function word is still one: apakah, bisakah, adalah, caranya, itupun.
_CLITICS = ("nya", "lah", "kah", "pun")


def data_lines(name: str) -> Iterator[str]:
    """The entries of a data file: one a line, '#' to the end of a line is a comment."""
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            yield entry


@functools.cache
def stopwords() -> frozenset[str]:
    return frozenset(word for line in data_lines("stopwords_id.txt") for word in words(line))


def is_stopword(word: str) -> bool:
    stop = stopwords()
    if word in stop:
        return True
    # The base must be 3+ letters: "tanya" is not "ta" + nya, nor "hanya" "ha" + nya.
    return any(word.endswith(c) and word[: -len(c)] in stop for c in _CLITICS if len(word) > 5)


@dataclass(frozen=True)
class SynonymClass:
    canonical: tuple[str, ...]  # the canonical term's words, as tokens() gives them
    line: int  # where it is written in synonyms_id.txt, for error messages


@functools.cache
def synonyms() -> dict[str, list[tuple[tuple[str, ...], SynonymClass]]]:
    """First word -> (member words, class) for every member, the longest members first."""
    table: dict[str, list[tuple[tuple[str, ...], SynonymClass]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for number, members in _synonym_lines():
        entry = SynonymClass(canonical=members[0], line=number)
        for member in dict.fromkeys(members):  # once each: e-book and ebook are one form
            if member in seen:
                raise ValueError(
                    f"synonyms_id.txt:{number}: {' '.join(member)!r} is already "
                    f"in the class on line {seen[member]}"
                )
            seen[member] = number
            table.setdefault(member[0], []).append((member, entry))
    for candidates in table.values():
        candidates.sort(key=lambda candidate: -len(candidate[0]))
    return table


def _synonym_lines() -> Iterator[tuple[int, list[tuple[str, ...]]]]:
    lines = (DATA / "synonyms_id.txt").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        members = [tuple(words(member)) for member in entry.split(",")]
        if not all(members):
            raise ValueError(f"synonyms_id.txt:{number}: an empty member")
        canonical_is_stop = all(is_stopword(w) for w in members[0])
        for member in members[1:]:
            if not canonical_is_stop and len(member) == 1 and is_stopword(member[0]):
                # It would be dropped wherever it stands alone and kept inside the class.
                raise ValueError(
                    f"synonyms_id.txt:{number}: {member[0]!r} is a stopword "
                    f"but {' '.join(members[0])!r} is not"
                )
        yield number, members


def match(tokens: list[str], start: int) -> tuple[int, SynonymClass] | None:
    """The longest synonym member at tokens[start:], as (its length in words, its class)."""
    for member, entry in synonyms().get(tokens[start], ()):
        if tuple(tokens[start : start + len(member)]) == member:
            return len(member), entry
    return None
