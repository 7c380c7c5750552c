from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forum.rendering import Rendered, excerpt, mention_candidates, render_markdown
from tests.factories import UserFactory

# The allowlist as the forum's design states it, written out here rather than imported, so
# that widening the module's allowlist has to be argued for in this file too.
ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "rel"},
    "img": {"src", "alt", "title", "loading", "decoding"},
    "ol": {"start"},
    "div": {"class", "tabindex"},
}
ALLOWED_CLASSES = {"a": {"mention"}, "div": {"table-wrap"}}
FIXED_VALUES = {"rel": "nofollow ugc noopener", "loading": "lazy", "decoding": "async"}
URL_ATTRIBUTES = {"href", "src"}
# Free text a browser never follows as an address; a title may well say "javascript:".
TEXT_ATTRIBUTES = {"alt", "title"}
# An address is judged by its scheme as a browser parses it: https://ok.example/javascript:x
# is a harmless link. Every other attribute must not mention a dangerous scheme at all.
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
SAFE_SCHEMES = {"http", "https", "mailto"}

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text("utf-8").split("\n")
    if line
]
# What a one-payload-per-line file cannot hold: control characters and several lines.
MULTILINE_AND_CONTROL_PAYLOADS = [
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]: vbscript:msgbox(1)",
    "![x][img]\n\n[img]: javascript:alert(1)",
    '[x][r]\n\n[r]: /ok "t" onclick="alert(1)"',
    "[x][r]\n\n[r]: <javascript:alert(1)>",
    "[x][r]\n\n[r]:\n  data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<div>\n\n[x](javascript:alert(1))\n\n</div>",
    "<script>\nalert(1)\n</script>",
    "<!--\n--><script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
    "<scr\x00ipt>alert(1)</script>",
    "[x](java\x00script:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<java\nscript:alert(1)>)",
    '<img src="jav\x00ascript:alert(1)">',
    "[x](\x01javascript:alert(1))",
    "![x](</\t/evil.example/a.png>)",
    "[x](javascript:alert(1)\u2028)",
    '<a href="java\rscript:alert(1)">x</a>',
    "\ufeff<script>alert(1)</script>",
]
ALL_PAYLOADS = PAYLOADS + MULTILINE_AND_CONTROL_PAYLOADS

CONTEXTS = {
    "alone": "{}",
    "paragraph": "Selamat pagi, rekan-rekan. {} Terima kasih.",
    "link-text": "[{}](/forum/)",
    "table-cell": "| kolom | isi |\n| --- | --- |\n| sel | {} |",
    "list": "- butir pertama\n- {}\n- butir ketiga",
}


def everyone_exists(names: set[str]) -> set[str]:
    # Every @name is a member, so the payload tests run the mention path too.
    return set(names)


def nobody_exists(names: set[str]) -> set[str]:
    return set()


def render(source: str, members: set[str] | None = None) -> Rendered:
    if members is None:
        return render_markdown(source, existing_usernames=nobody_exists)
    return render_markdown(source, existing_usernames=lambda names: names & members)


class _Elements(HTMLParser):
    """Every start tag with its attributes (unescaped), and anything that is not a tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.others: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.others.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.others.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.others.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.others.append(f"declaration {data!r}")


def elements(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def as_a_browser_reads_it(url: str) -> str:
    # Browsers drop leading C0 controls and spaces, and tabs and newlines anywhere.
    return re.sub(r"[\t\n\r]", "", url.lstrip("".join(map(chr, range(0x21))))).lower()


def assert_inert(fragment: str) -> None:
    parsed = elements(fragment)
    assert parsed.others == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            value = value or ""
            assert not name.startswith("on"), (tag, name)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
            assert_attribute_value_is_safe(tag, name, value)
    assert not re.search(r"<\s*/?\s*(script|style|iframe)", fragment, re.IGNORECASE)


def assert_attribute_value_is_safe(tag: str, name: str, value: str) -> None:
    if name == "class":
        assert value in ALLOWED_CLASSES[tag], (tag, value)
    if name in FIXED_VALUES:
        assert value == FIXED_VALUES[name], (name, value)
    if name == "start":
        assert value.isdigit(), value
    if name in URL_ATTRIBUTES:
        url = as_a_browser_reads_it(value)
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
        assert scheme is None or scheme[1] in SAFE_SCHEMES, value
    if name == "src":
        assert re.match(r"/(?![/\\])", value), f"a page must not load {value!r}"
    if name not in TEXT_ATTRIBUTES | URL_ATTRIBUTES:
        # The parser has unescaped the value once, as a browser does.
        squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
        assert not any(scheme in squeezed for scheme in DANGEROUS_SCHEMES), (name, value)


@pytest.mark.parametrize("context", CONTEXTS, ids=list(CONTEXTS))
@pytest.mark.parametrize(
    "payload", ALL_PAYLOADS, ids=[f"p{n:03d}" for n in range(1, len(ALL_PAYLOADS) + 1)]
)
def test_payload_renders_inert(payload, context):
    source = CONTEXTS[context].replace("{}", payload)

    rendered = render_markdown(source, existing_usernames=everyone_exists)

    assert_inert(rendered.html)


def test_payload_file_holds_enough_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 120


def test_inertness_check_catches_what_it_must():
    # The checker itself, against HTML that the pipeline must never produce.
    for bad in [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<img src="https://tracker.example/p.gif">',
        '<a class="evil" href="/">x</a>',
        "<iframe></iframe>",
        "<!-- x -->",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(bad)


# --- Markdown features -------------------------------------------------------------------


def test_emphasis_strong_and_strikethrough_render():
    assert render("*miring* **tebal** ~~coret~~").html == (
        "<p><em>miring</em> <strong>tebal</strong> <s>coret</s></p>\n"
    )


def test_ordered_list_keeps_its_start_number():
    html_ = render("3. tiga\n4. empat").html

    assert html_ == '<ol start="3">\n<li>tiga</li>\n<li>empat</li>\n</ol>\n'


def test_bullet_list_renders():
    assert render("- satu\n- dua").html == "<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\n"


def test_fenced_code_keeps_its_content_escaped():
    html_ = render('```html\n<a href="x">&amp;</a>\n```').html

    assert html_ == '<pre><code>&lt;a href="x"&gt;&amp;amp;&lt;/a&gt;\n</code></pre>\n'


def test_inline_code_keeps_its_content_escaped():
    assert render("pakai `<br>` saja").html == "<p>pakai <code>&lt;br&gt;</code> saja</p>\n"


def test_blockquote_and_rule_render():
    assert render("> kutipan\n\n---").html == "<blockquote>\n<p>kutipan</p>\n</blockquote>\n<hr>\n"


def test_table_is_wrapped_to_scroll_and_loses_alignment_styles():
    html_ = render("| Buku | Denda |\n|:--|--:|\n| Laskar Pelangi | 500 |").html

    wrapper = '<div class="table-wrap" tabindex="0">'  # a wide table scrolls: reachable by keyboard
    assert html_.startswith(wrapper + "<table>\n<thead>\n<tr>\n<th>Buku</th>")
    assert html_.endswith("</table>\n</div>\n")
    assert "style" not in html_
    assert "<td>Laskar Pelangi</td>\n<td>500</td>" in html_


def test_bare_url_is_linked_with_nofollow_ugc_noopener():
    html_ = render("Lihat https://perpusnas.go.id/katalog ya").html

    assert html_ == (
        '<p>Lihat <a href="https://perpusnas.go.id/katalog" rel="nofollow ugc noopener">'
        "https://perpusnas.go.id/katalog</a> ya</p>\n"
    )


def test_markdown_link_gets_nofollow_ugc_noopener_and_keeps_title():
    html_ = render('[katalog](https://perpusnas.go.id "Katalog Nasional")').html

    assert html_ == (
        '<p><a href="https://perpusnas.go.id" title="Katalog Nasional" '
        'rel="nofollow ugc noopener">katalog</a></p>\n'
    )


def test_ftp_address_stays_text():
    assert render("ftp://arsip.contoh.id/berkas").html == "<p>ftp://arsip.contoh.id/berkas</p>\n"


def test_javascript_link_stays_text():
    assert render("[klik](javascript:alert(1))").html == "<p>[klik](javascript:alert(1))</p>\n"


def test_raw_html_is_shown_as_text():
    assert render("<b>x</b> dan <img src=x onerror=alert(1)>").html == (
        "<p>&lt;b&gt;x&lt;/b&gt; dan &lt;img src=x onerror=alert(1)&gt;</p>\n"
    )


def test_html_block_is_shown_as_text():
    assert render("<div>\n*x*\n</div>").html == "<p>&lt;div&gt;\n<em>x</em>\n&lt;/div&gt;</p>\n"


@pytest.mark.parametrize(
    ("source", "tag"),
    [("# a", "h3"), ("## a", "h4"), ("### a", "h5"), ("#### a", "h6"), ("###### a", "h6")],
)
def test_headings_shift_down_two_levels(source, tag):
    assert render(source).html == f"<{tag}>a</{tag}>\n"


def test_setext_heading_shifts_too():
    assert render("Judul\n=====").html == "<h3>Judul</h3>\n"


# --- images ------------------------------------------------------------------------------


def test_same_site_image_loads_lazily_with_its_alt_text():
    html_ = render('![Rak *baru*](/forum/attachments/12/foto.jpg "Rak")').html

    assert html_ == (
        '<p><img src="/forum/attachments/12/foto.jpg" alt="Rak baru" title="Rak" '
        'loading="lazy" decoding="async"></p>\n'
    )


@pytest.mark.parametrize(
    "src",
    ["http://contoh.id/a.png", "https://contoh.id/a.png", "//contoh.id/a.png"],
)
def test_foreign_image_becomes_a_link_with_its_alt_text(src):
    assert render(f"![Foto rak]({src})").html == (
        f'<p><a href="{src}" rel="nofollow ugc noopener">Foto rak</a></p>\n'
    )


def test_foreign_image_without_alt_text_links_with_its_address():
    assert render("![](https://contoh.id/a.png)").html == (
        '<p><a href="https://contoh.id/a.png" rel="nofollow ugc noopener">'
        "https://contoh.id/a.png</a></p>\n"
    )


def test_data_image_shows_only_its_alt_text():
    assert render("![titik](data:image/png;base64,iVBORw0KGgo=)").html == "<p>titik</p>\n"


def test_backslash_image_path_stays_on_this_site():
    # Browsers read "/\host" as "//host"; markdown-it percent-encodes the backslash.
    html_ = render("![x](/\\evil.example/a.png)").html

    assert 'src="/%5Cevil.example/a.png"' in html_


# --- mentions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_mention_of_a_member_links_to_their_profile():
    UserFactory(username="sari")

    rendered = render_markdown("Terima kasih @sari atas jawabannya")

    assert rendered.html == (
        '<p>Terima kasih <a class="mention" href="/members/sari/" rel="nofollow ugc noopener">'
        "@sari</a> atas jawabannya</p>\n"
    )
    assert rendered.mentions == frozenset({"sari"})


@pytest.mark.django_db
def test_mention_of_an_unknown_name_stays_text():
    rendered = render_markdown("Halo @tidakada")

    assert rendered.html == "<p>Halo @tidakada</p>\n"
    assert rendered.mentions == frozenset()


@pytest.mark.django_db
def test_mention_of_an_inactive_member_stays_text():
    UserFactory(username="lama", is_active=False)

    assert render_markdown("Halo @lama").html == "<p>Halo @lama</p>\n"


@pytest.mark.django_db
def test_mentions_are_looked_up_in_one_query(django_assert_num_queries):
    UserFactory(username="sari")
    UserFactory(username="budi")

    with django_assert_num_queries(1):
        rendered = render_markdown("@sari, @budi dan @sari lagi, juga @andi")

    assert rendered.mentions == frozenset({"sari", "budi"})


@pytest.mark.django_db
def test_post_without_mentions_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_markdown("Tidak ada sebutan di sini, hanya email sari@contoh.test")


def test_mention_in_code_is_not_linked():
    rendered = render("`@sari` dan\n\n```\n@sari\n```\n\n    @sari", members={"sari"})

    assert "mention" not in rendered.html
    assert rendered.mentions == frozenset()


def test_mention_inside_a_link_is_not_linked():
    rendered = render("[tanya @sari](/forum/) dan https://contoh.id/@sari", members={"sari"})

    assert "mention" not in rendered.html
    assert rendered.mentions == frozenset()


@pytest.mark.parametrize(
    "source",
    [
        "sari@contoh.test",
        "budi.sari@contoh.test",
        "x+sari@contoh.test",
        "@budi@contoh",
        "@sari.@contoh.test",
    ],
)
def test_email_address_is_not_a_mention(source):
    assert "mention" not in render(source, members={"sari", "budi"}).html


def test_trailing_dot_is_punctuation_not_part_of_the_mention():
    html_ = render("Terima kasih, @sari.", members={"sari"}).html

    assert html_.endswith('rel="nofollow ugc noopener">@sari</a>.</p>\n')


def test_dot_dash_and_underscore_inside_a_username_belong_to_it():
    rendered = render("@sari.dewi dan @budi_s-2", members={"sari.dewi", "budi_s-2"})

    assert 'href="/members/sari.dewi/"' in rendered.html
    assert 'href="/members/budi_s-2/"' in rendered.html
    assert rendered.mentions == frozenset({"sari.dewi", "budi_s-2"})


def test_mention_in_emphasis_heading_table_and_list_is_linked():
    source = "*@sari*\n\n# @sari\n\n| a |\n|---|\n| @sari |\n\n- @sari"

    assert render(source, members={"sari"}).html.count('class="mention"') == 4


def test_mention_matches_case_insensitively_and_links_the_stored_username():
    seen: list[set[str]] = []

    def stored_with_capital(names: set[str]) -> set[str]:
        seen.append(names)
        return {"Sari"} if "sari" in names else set()

    rendered = render_markdown("Halo @SARI dan @sari", existing_usernames=stored_with_capital)

    assert seen == [{"sari"}]
    assert rendered.html.count('<a class="mention" href="/members/Sari/"') == 2
    assert rendered.html.count(">@Sari</a>") == 2
    assert rendered.mentions == frozenset({"sari"})


def test_lowercase_username_wins_when_two_differ_only_in_case():
    rendered = render_markdown("@SARI", existing_usernames=lambda names: {"Sari", "sari"})

    assert 'href="/members/sari/"' in rendered.html


def test_resolver_answer_outside_the_candidates_is_ignored():
    rendered = render_markdown("Halo @sari", existing_usernames=lambda names: {"sari", "budi"})

    assert rendered.mentions == frozenset({"sari"})


def test_at_most_fifty_people_are_mentioned_in_one_post():
    source = " ".join(f"@anggota{n}" for n in range(60))

    rendered = render_markdown(source, existing_usernames=everyone_exists)

    assert rendered.mentions == {f"anggota{n}" for n in range(50)}
    assert rendered.html.count('class="mention"') == 50
    assert "@anggota50 @anggota51" in rendered.html


def test_mention_candidates_are_lowercase_names_from_text_only():
    source = "@Sari @budi.s. `@kode` [@tautan](/x) sari@contoh.test\n\n```\n@blok\n```"

    assert mention_candidates(source) == {"sari", "budi.s"}


# --- plain text and excerpt --------------------------------------------------------------


def test_text_has_no_markup_and_collapsed_whitespace():
    source = "# Judul\n\nParagraf **tebal** dan [tautan](https://contoh.id).\n\n- satu\n-   dua"

    assert render(source).text == "Judul Paragraf tebal dan tautan. satu dua"


def test_text_keeps_code_alt_text_and_table_cells():
    source = (
        "Pakai `isbn()`:\n\n```\nx = 1\n```\n\n![Foto rak](/a.png)\n\n| a | b |\n|--|--|\n| 1 | 2 |"
    )

    assert render(source).text == "Pakai isbn(): x = 1 Foto rak a b 1 2"


def test_text_is_plain_not_html():
    # Entities become characters and raw HTML stays as typed; templates escape it when shown.
    assert render("Buku &amp; majalah <b>baru</b>").text == "Buku & majalah <b>baru</b>"


def test_text_shows_mentions_as_linked():
    assert render("Halo @SARI", members={"sari"}).text == "Halo @sari"


def test_short_text_is_not_cut():
    assert excerpt("Halo  dunia\n", length=20) == "Halo dunia"


def test_excerpt_cuts_between_words_with_an_ellipsis():
    result = excerpt("Bagaimana menangani pemustaka yang terlambat", length=25)

    assert result == "Bagaimana menangani…"
    assert len(result) <= 25


def test_excerpt_keeps_a_word_that_ends_exactly_at_the_cut():
    assert excerpt("satu dua tiga", length=9) == "satu dua…"


def test_excerpt_drops_punctuation_before_the_ellipsis():
    assert excerpt("Halo, dunia yang luas", length=12) == "Halo, dunia…"
    assert excerpt("Halo, dunia yang luas", length=11) == "Halo…"


def test_excerpt_cuts_one_long_word_hard():
    assert excerpt("Perpustakaanperpustakaan", length=10) == "Perpustak…"


def test_default_excerpt_is_at_most_200_characters():
    result = excerpt("kata " * 100)

    assert len(result) <= 200
    assert result.endswith("kata…")


def test_rendering_is_deterministic():
    source = "# Judul\n\n@sari @budi lihat https://contoh.id\n\n| a |\n|--|\n| b |"

    first = render(source, members={"sari", "budi"})

    assert render(source, members={"budi", "sari"}) == first
