"""Snippets with the matched words marked, made from the original text.

The backends index analysed terms (stems, canonical synonyms), which are no text to show; the
words are marked here, the same way whichever backend answered: a word is marked when its
analysis meets the query's terms, so "peminjaman" is marked for a search of "meminjam", and
"tdk" for "tidak". The text is escaped first; only <mark> is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import analyze

WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
SNIPPET_LENGTH = 240


@lru_cache(maxsize=20_000)
def _terms_of(word: str) -> frozenset[str]:
    return frozenset(analyze(word))


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in WORD.finditer(text)
        if len(m.group()) <= 40 and _terms_of(m.group()) & terms
    ]


def _marked(text: str, spans: Iterable[tuple[int, int]], start: int, end: int) -> str:
    out, position = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        out += [escape(text[position:left]), "<mark>", escape(text[left:right]), "</mark>"]
        position = right
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """The whole (short) text, escaped, with matching words marked: for titles."""
    wanted = frozenset(terms)
    return mark_safe(_marked(text, _matches(text, wanted), 0, len(text)))  # noqa: S308 - escaped


def snippet(texts: Iterable[str], terms: Iterable[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The passage of about `length` characters with the most matching words, from the first of
    `texts` that has any (the accepted answer, then the question, …), marked; else the start."""
    wanted = frozenset(terms)
    candidates = [" ".join(t.split()) for t in texts if t and t.strip()]
    for text in candidates:
        spans = _matches(text, wanted)
        if spans:
            start, end = _best_window(text, spans, length)
            return mark_safe(_ellipsis(text, start, end, _marked(text, spans, start, end)))  # noqa: S308
    if not candidates:
        return mark_safe("")
    text = candidates[0]
    end = _word_end(text, min(len(text), length))
    return mark_safe(_ellipsis(text, 0, end, escape(text[:end])))  # noqa: S308 - escaped


def _best_window(text: str, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    best, best_count = spans[0][0], 0
    right = 0
    for left_index, (left, _end) in enumerate(spans):
        while right < len(spans) and spans[right][1] <= left + length:
            right += 1
        if right - left_index > best_count:
            best, best_count = left, right - left_index
    # A little context before the first marked word, starting at a word.
    start = max(0, best - length // 5)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best else start
    return start, _word_end(text, min(len(text), start + length))


def _word_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", 0, end)
    return space if space > 0 else end


def _ellipsis(text: str, start: int, end: int, body: str) -> str:
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"
