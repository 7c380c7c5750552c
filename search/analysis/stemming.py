"""One Indonesian word to its stem: Sastrawi, corrected where it fails this domain, cached.

Sastrawi (Nazief–Adriani with confix stripping) only accepts a stem that its dictionary of
roots holds, so it seldom invents words; where it errs, it is because the dictionary holds a
rare root that steals a common word (pengunjung -> unjung, kerusakan -> rusa) or misses a
loanword (menginput), or because a place name looks affixed (kediri -> diri). roots_id.txt
corrects the dictionary and nostem_id.txt lists the words that must stay as written.
bench/stemmers.py measures all this against the other candidates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from search.analysis.lexicon import data_lines

# The dictionary is ~30,000 roots: loaded on the first stem, never at import (Django start-up).
CACHE_SIZE = 50_000
# Only plain lower-case words reach Sastrawi: it builds regular expressions from its input, and
# a digit or a short word has nothing to strip.
_STEMMABLE = re.compile(r"[a-z]{4,40}")
_CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


@functools.lru_cache(maxsize=CACHE_SIZE)
def stem(word: str) -> str:
    """The stem of one word as tokens() gives it; anything else comes back unchanged."""
    if not _STEMMABLE.fullmatch(word):
        return word
    kept = _kept_as_written(word)
    return kept if kept is not None else _sastrawi()(word)


def _kept_as_written(word: str) -> str | None:
    """The protected word `word` is, with or without a clitic (perpustakaannya)."""
    protected = _nostem()
    if word in protected:
        return word
    for clitic in _CLITICS:
        if word.endswith(clitic) and word[: -len(clitic)] in protected:
            return word[: -len(clitic)]
    return None


@functools.cache
def _nostem() -> frozenset[str]:
    return frozenset(data_lines("nostem_id.txt"))


@functools.cache
def _sastrawi() -> Callable[[str], str]:
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    roots = set(StemmerFactory().get_words())
    for line in data_lines("roots_id.txt"):
        sign, root = line[0], line[1:].strip()
        if sign == "+":
            roots.add(root)
        elif sign == "-":
            roots.discard(root)
        else:
            raise ValueError(f"roots_id.txt: {line!r} starts with neither + nor -")
    # stem_word(), not stem(): stem() lowercases and strips punctuation over a whole sentence,
    # work that tokens() has done already.
    return Stemmer(ArrayDictionary(sorted(roots))).stem_word
