"""Did-you-mean for query terms: the closest frequent term of the index's vocabulary.

A symmetric-delete index (the SymSpell method): every term is stored under the strings that
deleting up to two of its characters leaves, and a query term is looked up under its own
deletes; any two strings within edit distance d share such a string. Only the first
PREFIX_LENGTH characters are indexed (SymSpell's prefix trick, still exact: the shared string
exists within the prefixes too), which keeps 50,000 terms to a few hundred thousand keys and
a look-up to a few dozen. Candidates are then checked with the true Damerau–Levenshtein
(optimal string alignment) distance.

On 50,000 terms (bench/stemmers.py) the index takes about a second and 40 MiB to build and a
correction about a millisecond: build one Speller per vocabulary and keep it, never per query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

PREFIX_LENGTH = 6
LONG_TERM = 8  # from this length a term may be two edits away, shorter ones one
SHORTEST_CORRECTED = 4  # "sd" is not a typo of "smp": short terms and numbers stay as typed


def max_distance(term: str) -> int:
    return 2 if len(term) >= LONG_TERM else 1


class Speller:
    """Corrects analysed query terms against a vocabulary {term: document frequency}."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self._frequency = dict(vocabulary)
        self._index: dict[str, str | list[str]] = {}
        for term in self._frequency:
            if correctable(term):
                # A term shorter than 6 is within two edits only of terms shorter than 8, whose
                # bound is one edit: one delete of its own suffices.
                depth = 2 if len(term) >= LONG_TERM - 2 else 1
                for key in _deletes(term[:PREFIX_LENGTH], depth):
                    self._add(key, term)

    def _add(self, key: str, term: str) -> None:
        # Most keys hold one term: the bare string saves a list per key.
        held = self._index.get(key)
        if held is None:
            self._index[key] = term
        elif isinstance(held, str):
            self._index[key] = [held, term]
        else:
            held.append(term)

    def correct(self, term: str) -> str | None:
        """The most frequent term within reach of `term`; None if it is known or none is near.

        Reach is one edit (insertion, deletion, substitution, adjacent transposition), two for
        terms of 8+ characters. Among equally frequent terms the closer wins, so a farther term
        is only chosen when more documents use it.
        """
        if term in self._frequency or not correctable(term):
            return None
        limit = max_distance(term)
        best: tuple[int, int, str] | None = None  # (-frequency, distance, term)
        for candidate in self._candidates(term, limit):
            distance = osa_distance(term, candidate, limit)
            if distance <= limit:
                ranked = (-self._frequency[candidate], distance, candidate)
                best = ranked if best is None else min(best, ranked)
        return best[2] if best else None

    def _candidates(self, term: str, limit: int) -> set[str]:
        found: set[str] = set()
        for key in _deletes(term[:PREFIX_LENGTH], limit):
            held = self._index.get(key)
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return {c for c in found if abs(len(c) - len(term)) <= limit}


def correctable(term: str) -> bool:
    return len(term) >= SHORTEST_CORRECTED and term.isalpha()


def _deletes(word: str, depth: int) -> Iterator[str]:
    """`word` and every string left by deleting up to `depth` of its characters."""
    level: Iterable[str] = {word}
    yield word
    for _ in range(depth):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        yield from level


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance, or limit + 1 once beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)  # the two letters swapped: one edit
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)
