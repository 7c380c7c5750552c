"""The forum's Markdown pipeline: Markdown in, sanitised HTML, mentions and plain text out.

markdown-it-py parses (raw HTML off), our core rules shift headings and link @mentions, our
renderer keeps images same-site and wraps tables, and nh3 sanitises the result against an
explicit allowlist, so that a bug in any earlier step still cannot let markup through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

UsernameResolver = Callable[[set[str]], set[str]]

# `@` must not follow a character of an email address or a path (`sari@contoh.test`, `/@x`);
# the name is Django's username characters less `@` and `+`. A name followed by `@` is the
# start of an email address. The run is taken possessively (linear time on any input); its
# trailing dots are punctuation ("Terima kasih @sari.") and are dropped in _find_mentions.
MENTION_RE = re.compile(r"(?<![\w.+\-@/])@(\w[\w.-]*+)(?!@)")
USERNAME_MAX_LENGTH = 150  # AbstractUser.username
# One post notifies at most this many people, and the lookup stays one small query.
MAX_MENTIONS = 50

HEADING_SHIFT = 2  # the page owns <h1> and <h2>

# A same-site path starts with exactly one "/"; browsers read "//host" and "/\host" as another
# host, and drop tabs and newlines inside URLs (markdown-it percent-encodes them; we check anyway).
SAME_SITE_PATH_RE = re.compile(r"^/(?![/\\])[^\x00-\x20\x7f]*$")
URL_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
        "div",
    }
)  # fmt: skip
# `class` is not listed: nh3's allowed_classes owns it (a.mention, div.table-wrap). th/td get
# nothing: markdown-it's style="text-align:…" is forbidden by our CSP anyway.
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "a": frozenset({"href", "title"}),
        "img": frozenset({"src", "alt", "title", "loading", "decoding"}),
        "ol": frozenset({"start"}),
        # The wrapper of a wide table scrolls; keyboard users must be able to reach it.
        "div": frozenset({"tabindex"}),
    }
)
ALLOWED_CLASSES: Mapping[str, frozenset[str]] = MappingProxyType(
    {"a": frozenset({"mention"}), "div": frozenset({"table-wrap"})}
)
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised HTML, safe to mark_safe
    mentions: frozenset[str]  # lowercase usernames that were mentioned and exist
    text: str  # plain text, whitespace collapsed; NOT HTML: escape it where it is shown


def existing_usernames(names: set[str]) -> set[str]:
    """Return the usernames among `names` that belong to active members (one query)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return set(
        User.objects.filter(username__in=names, is_active=True).values_list("username", flat=True)
    )


# render_markdown's keyword argument shadows the name above.
_default_existing_usernames = existing_usernames


def render_markdown(source: str, *, existing_usernames: UsernameResolver | None = None) -> Rendered:
    """Render a post's Markdown to sanitised HTML, linking mentions of members who exist."""
    env: dict[str, Any] = {"serambi_resolver": existing_usernames or _default_existing_usernames}
    tokens = _MD.parse(source, env)
    html = _MD.renderer.render(tokens, _MD.options, env)
    return Rendered(
        html=_CLEANER.clean(html),
        mentions=frozenset(env["serambi_mentions"]),
        text=_plain_text(tokens),
    )


def mention_candidates(source: str) -> set[str]:
    """Return the lowercase @names in the text of `source` (not in code or links)."""
    env: dict[str, Any] = {}
    _MD.parse(source, env)
    return set(env["serambi_candidates"])


def excerpt(text: str, *, length: int = 200) -> str:
    """Shorten `text` to at most `length` characters, cut between words and ending with …."""
    if length < 1:
        raise ValueError("length must be at least 1")
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]  # room for the ellipsis
    if text[length - 1] != " ":  # the cut fell inside a word: drop that word
        head, space, _ = cut.rpartition(" ")
        cut = head if space else cut
    return (cut.rstrip(" ,.;:!?-\u2013\u2014") or cut) + "…"


# --- markdown-it core rules ---------------------------------------------------------------


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


def _link_mentions(state: StateCore) -> None:
    inlines = [token for token in state.tokens if token.type == "inline"]
    candidates = _collect_candidates(inlines)
    state.env["serambi_candidates"] = candidates
    state.env["serambi_mentions"] = set()
    resolver: UsernameResolver | None = state.env.get("serambi_resolver")
    if not candidates or resolver is None:
        return
    members = _members(resolver(set(candidates)), candidates)
    state.env["serambi_mentions"] = set(members)
    if members:
        for inline in inlines:
            inline.children = _split_mentions(inline.children or [], members)


def _members(found: set[str], candidates: Mapping[str, None]) -> dict[str, tuple[str, str]]:
    """lowercase name -> (the username as stored, its profile address)."""
    members: dict[str, tuple[str, str]] = {}
    # Usernames are unique only case-sensitively: should "Sari" and "sari" both exist, the
    # all-lowercase one wins, whatever order the resolver's set comes in.
    for name in sorted(found, key=lambda name: (name != name.lower(), name)):
        if name.lower() in candidates:
            href = reverse("accounts:profile", kwargs={"username": name})
            members.setdefault(name.lower(), (name, href))
    return members


def _texts_outside_links(children: Sequence[Token]) -> Iterable[tuple[Token, bool]]:
    """Each child, with whether it is a text token outside any link (code is its own type)."""
    depth = 0
    for token in children:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        yield token, token.type == "text" and depth == 0 and "@" in token.content


def _collect_candidates(inlines: Sequence[Token]) -> dict[str, None]:
    names: dict[str, None] = {}  # ordered, so the cap keeps the first ones mentioned
    for inline in inlines:
        for token, is_text in _texts_outside_links(inline.children or []):
            if not is_text:
                continue
            for _start, _end, name in _find_mentions(token.content):
                if len(names) < MAX_MENTIONS:
                    names[name.lower()] = None
    return names


def _find_mentions(text: str) -> Iterable[tuple[int, int, str]]:
    """(start of the `@`, end, name as typed) of each @name in `text`."""
    for match in MENTION_RE.finditer(text):
        name = match[1].rstrip(".")
        if len(name) <= USERNAME_MAX_LENGTH:
            yield match.start(), match.start(1) + len(name), name


def _split_mentions(children: Sequence[Token], members: dict[str, tuple[str, str]]) -> list[Token]:
    result: list[Token] = []
    for token, is_text in _texts_outside_links(children):
        result.extend(_split_text(token, members) if is_text else [token])
    return result


def _split_text(token: Token, members: dict[str, tuple[str, str]]) -> list[Token]:
    text, level, pieces, last = token.content, token.level, [], 0
    for start, end, name in _find_mentions(text):
        if name.lower() not in members:
            continue
        username, href = members[name.lower()]
        if start > last:
            pieces.append(Token("text", "", 0, content=text[last:start], level=level))
        attrs = {"class": "mention", "href": href}
        pieces.append(Token("link_open", "a", 1, attrs=attrs, level=level, markup="mention"))
        pieces.append(Token("text", "", 0, content=f"@{username}", level=level + 1))
        pieces.append(Token("link_close", "a", -1, level=level, markup="mention"))
        last = end
    if last < len(text):
        pieces.append(Token("text", "", 0, content=text[last:], level=level))
    return pieces


# --- rendering ----------------------------------------------------------------------------


class _SerambiRenderer(RendererHTML):
    def image(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        # No page ever loads a third-party host: a foreign image becomes a link to it.
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = self.renderInlineAsText(token.children, options, env)
        if SAME_SITE_PATH_RE.match(src):
            token.attrSet("alt", alt)
            token.attrSet("loading", "lazy")
            token.attrSet("decoding", "async")
            return self.renderToken(tokens, idx, options, env)
        if not _is_linkable(src):
            return escapeHtml(alt)  # nh3 would strip the href and leave a dead link
        title = token.attrGet("title")
        title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
        return f'<a href="{escapeHtml(src)}"{title_attr}>{escapeHtml(alt or src)}</a>'

    def table_open(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        # Wide tables scroll inside their wrapper on a phone instead of widening the page.
        return '<div class="table-wrap" tabindex="0">' + self.renderToken(tokens, idx, options, env)

    def table_close(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _is_linkable(url: str) -> bool:
    scheme = URL_SCHEME_RE.match(url)
    return scheme is None or scheme[1].lower() in ALLOWED_URL_SCHEMES


def _plain_text(tokens: Sequence[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return " ".join(" ".join(parts).split())


def _inline_text(children: Sequence[Token]) -> str:
    out = []
    for token in children:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type == "image":
            out.append(_inline_text(token.children or []))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _build_markdown() -> MarkdownIt:
    # The commonmark preset lets raw HTML through unless "html" is turned off here.
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": True}, renderer_cls=_SerambiRenderer
    ).enable(["table", "strikethrough", "linkify"])
    if md.linkify is None:  # markdown-it-py would only fail at the first bare URL
        raise ImportError("forum.rendering needs linkify-it-py")
    md.linkify.add("ftp:", None)  # nh3 would strip an ftp: href, leaving a dead link
    md.core.ruler.push("serambi_headings", _shift_headings)
    # After linkify and text_join: bare URLs are links by then and escaped text is joined.
    md.core.ruler.push("serambi_mentions", _link_mentions)
    return md


_MD = _build_markdown()
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
    link_rel=LINK_REL,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    url_relative="pass_through",
    strip_comments=True,
)
