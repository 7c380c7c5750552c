"""The editors' admin (Wagtail, /cms/) speaks Indonesian on every screen an editor meets.

Wagtail 7.4's own Indonesian catalogue covers about 40 % of its admin; locale/wagtail/ completes
it. These tests render the editors' screens in Indonesian and look for English left on them: a
piece of text that is exactly one of the English messages of Wagtail (its `en` catalogues), or
of Django and django-taggit, whose messages its forms show too, and that no Indonesian
translation gives. Looked at: text nodes (<template>s included: scripts show them later),
attributes people read (title, aria-label, placeholder, alt, a button's value, a tooltip), and
the shown labels of the JSON the admin's scripts draw the menu and the StreamField blocks
from. Not looked at: what editors typed.

Our own English (kb's verbose names, panel headings, block labels), translated in locale/id/,
is only reported, as a warning. The messages Wagtail's scripts hold themselves (the StreamField
editor, comments) are checked in the admin's JavaScript catalogue."""

from __future__ import annotations

import ast
import datetime
import json
import re
import warnings
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
import taggit
import wagtail
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import trans_real
from wagtail.users.models import UserProfile

from accounts import roles
from forum.models import Category
from kb import services
from kb.models import (
    ArticleIndexPage,
    ArticlePage,
    Feedback,
    KnowledgeBaseHome,
    ReportIndexPage,
    ReportPage,
)
from tests.factories import LibraryFactory
from tests.kb.conftest import member, png

pytestmark = pytest.mark.django_db

WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent
DJANGO_APPS = ("admin", "auth", "contenttypes", "humanize")
TAGGIT = Path(taggit.__file__).parent
ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[sdifr%]|\{[^}]*\}")

# Attributes whose values people read, or hear from a screen reader.
READ_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "data-w-tooltip-content-value",
    "data-w-progress-active-value",
    "data-w-dialog-title-value",
    "data-w-dialog-subtitle-value",
    "data-w-clipboard-success-value",
    "data-w-clipboard-error-value",
    "data-focal-input-label",
}
# Keys of the JSON the admin's scripts draw from (sidebar menu, StreamField block definitions,
# accessibility checker, string tables) whose values are shown. Other keys hold names, icons,
# addresses or what the editor typed.
SHOWN_JSON_KEYS = {
    "label",
    "description",
    "help_text",
    "helpText",
    "footer_text",
    "error_name",
    "display_name",
    "placeholder",
    "addButtonLabel",
}
# Attributes holding such JSON (the StreamField's block definitions; not its values, which
# the editor typed).
JSON_ATTRIBUTES = {"data-w-block-data-value"}
# Not looked at: code, styles, and what the editor types in.
SKIPPED_ELEMENTS = {"script", "style", "textarea"}

# Words the Indonesian catalogues rightly leave as they are: they are Indonesian too.
SAME_IN_INDONESIAN = {
    *("Email", "Filter", "Item", "Minimum", "Slug", "Status", "Tag", "URL", "Video"),
    *("April", "September", "November", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Sep", "Nov"),
}

# English written into Wagtail 7.4's templates without {% translate %}: no catalogue can
# translate it, only an override of the template could. Left out of the search, each where it
# is written; a test checks that it still is, so that the exception goes once it is fixed.
UNTRANSLATABLE = {
    "wagtailadmin/shared/headers/_actions.html": '<nav aria-label="Actions"',
    "wagtailadmin/shared/header.html": '<input type="submit" value="Search"',
    "wagtailadmin/home.html": '<input type="submit" value="Search"',
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def _has_words(text: str) -> bool:
    return sum(c.isalpha() for c in text) >= 2 and not PLACEHOLDER.search(text)


# --- What is English ---------------------------------------------------------------------

Variant = tuple[str | None, str, str | None]  # context, msgid, msgid_plural


@cache
def admin_english() -> dict[str, frozenset[Variant]]:
    """The English messages without placeholders, by the text shown, of Wagtail and of the
    packages whose messages its admin shows too (Django's forms and admin, django-taggit)."""
    catalogues = [
        *WAGTAIL.glob("**/locale/en/LC_MESSAGES/django.po"),
        DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
        *(DJANGO / f"contrib/{app}/locale/en/LC_MESSAGES/django.po" for app in DJANGO_APPS),
        TAGGIT / "locale/en/LC_MESSAGES/django.po",
    ]
    messages: dict[str, set[Variant]] = defaultdict(set)
    for po in catalogues:
        with po.open("rb") as file:
            for message in read_po(file):
                if not message.id:
                    continue
                singular, plural = (
                    message.id if isinstance(message.id, tuple) else (message.id, None)
                )
                for text in (singular, plural):
                    if text and _has_words(text):
                        messages[normalise(text)].add((message.context, singular, plural))
    return {text: frozenset(variants) for text, variants in messages.items()}


GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


@cache
def own_english() -> dict[str, frozenset[Variant]]:
    """Our own messages the admin shows (kb; the forum's categories, a snippet; accounts),
    read from the source, as they may not be extracted into locale/id/ yet."""
    messages: dict[str, set[Variant]] = defaultdict(set)
    sources = [*ROOT.glob("kb/**/*.py"), *ROOT.glob("forum/models/*.py")]
    sources += ROOT.glob("accounts/*.py")
    for path in sources:
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = isinstance(node, ast.Call) and getattr(
                node.func, "id", getattr(node.func, "attr", None)
            )
            if name not in GETTEXT_CALLS:
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if not strings or not all(isinstance(s, str) for s in strings):
                continue
            context = strings.pop(0) if name.startswith(("pgettext", "npgettext")) else None
            singular = strings[0] if strings else None
            plural = strings[1] if "ngettext" in name and len(strings) > 1 else None
            for text in (singular, plural):
                if text and _has_words(text):
                    messages[normalise(text)].add((context, singular, plural))
    for template in ROOT.glob("templates/kb/admin/*.html"):
        for text in re.findall(r'{%\s*(?:translate|trans)\s+"([^"]+)"', template.read_text()):
            if _has_words(text):
                messages[normalise(text)].add((None, text, None))
    return {text: frozenset(variants) for text, variants in messages.items()}


def _shown_forms(text: str) -> set[str]:
    """How a message may be shown: as it is, with a capital (verbose names), before a colon."""
    text = normalise(text)
    return {text, capfirst(text), text + ":", capfirst(text) + ":"}


def _indonesian(variant: Variant) -> str | None:
    """The Indonesian catalogues' translation of a message, None when they have none (the
    English would then be shown)."""
    context, singular, plural = variant
    catalogue = trans_real.translation("id")._catalog
    key = f"{context}\x04{singular}" if context else singular
    with translation.override("id"):
        if plural:
            if (key, 0) not in catalogue:
                return None
            if context:
                return translation.npgettext(context, singular, plural, 1)
            return translation.ngettext(singular, plural, 1)
        if key not in catalogue:
            return None
        return translation.pgettext(context, singular) if context else translation.gettext(singular)


def _variants(text: str, messages: dict[str, frozenset[Variant]]) -> set[Variant]:
    candidates = {text, text.removesuffix(":").rstrip(), text[:1].lower() + text[1:]}
    return {
        variant
        for candidate in candidates
        for variant in messages.get(candidate, ())
        if text in set().union(*(_shown_forms(form) for form in variant[1:] if form))
    }


@cache
def indonesian_words() -> frozenset[str]:
    """Every translation the Indonesian catalogues give that differs from its English."""
    catalogue = trans_real.translation("id")._catalog
    words = set()
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.rsplit("\x04", 1)[-1]
        if isinstance(value, str) and normalise(value) != normalise(msgid):
            words |= _shown_forms(value)
    return frozenset(words)


@cache
def is_english(text: str, *, own: bool = False) -> bool:
    """Whether text shown in Indonesian is an English message left untranslated: it is one
    (as it is, with a capital, before a colon) whose Indonesian translation (gettext,
    pgettext) is not this text, or is this very English (Wagtail's id_ID "translates" "Bold"
    into "Bold"; only the words of SAME_IN_INDONESIAN are rightly the same), and no other
    message's Indonesian translation is this text either."""
    variants = _variants(text, own_english() if own else admin_english())
    if not variants:
        return False
    if text.removesuffix(":") in SAME_IN_INDONESIAN:
        return False
    for variant in variants:
        indonesian = _indonesian(variant)
        if indonesian is not None and text in _shown_forms(indonesian):
            english = {normalise(form) for form in variant[1:] if form}
            if normalise(indonesian) not in english:
                return False
    return text not in indonesian_words()


# --- What is on screen -------------------------------------------------------------------


class ScreenText(HTMLParser):
    """The text people read on a page: text nodes, read attributes, button values, and the
    shown labels of the admin's JSON; not scripts' code, styles, nor what is typed in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip: tuple[str, int] | None = None  # (element, depth) being skipped
        self._json: list[str] | None = None  # a <script type="application/json"> being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._skip:
            if tag == self._skip[0]:
                self._skip = (tag, self._skip[1] + 1)
            return
        if tag == "script" and attributes.get("type") == "application/json":
            self._json = []
        # The side panel's counter is a number (its hidden, empty state reads "None").
        if tag in SKIPPED_ELEMENTS or "data-side-panel-toggle-counter" in attributes:
            self._skip = (tag, 1)
            return
        for name, value in attrs:
            if not value:
                continue
            if name in READ_ATTRIBUTES:
                self.texts.append(value)
            elif name in JSON_ATTRIBUTES:
                self._read_json(json.loads(value))
        kind = (attributes.get("type") or "").lower()
        if tag == "input" and kind in {"submit", "button", "reset"} and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[0]:
            depth = self._skip[1] - 1
            self._skip = (tag, depth) if depth else None
        if tag == "script" and self._json is not None:
            self._read_json(json.loads("".join(self._json)))
            self._json = None

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif not self._skip:
            self.texts.append(data)

    def _read_json(self, value, key=None):
        if isinstance(value, dict):
            for name, item in value.items():
                # telepath packs a repeated value as {"_val": value, "_id": n}
                self._read_json(item, key if name == "_val" else name)
        elif isinstance(value, list):
            for item in value:
                self._read_json(item, key)
        elif isinstance(value, str) and key is not None:
            if "<" in value and ">" in value:
                self.texts.extend(screen_texts(value))  # a widget's or a template's markup
            elif key in SHOWN_JSON_KEYS or key.isupper():
                self.texts.append(value)


def screen_texts(html: str) -> set[str]:
    parser = ScreenText()
    parser.feed(html)
    parser.close()
    return {text for text in map(normalise, parser.texts) if text}


def _html(response) -> str:
    if response["Content-Type"].startswith("application/json"):  # a modal's step
        return json.loads(response.content)["html"]
    return response.content.decode()


def english_on(html: str, *, typed: set[str]) -> tuple[list[str], list[str]]:
    """(Wagtail's English, our own English) on a screen."""
    for written in UNTRANSLATABLE.values():
        html = html.replace(written, written.split(" ", 1)[0])
    texts = screen_texts(html) - typed
    wagtails = sorted(text for text in texts if is_english(text))
    ours = sorted(text for text in texts if is_english(text, own=True) and text not in wagtails)
    return wagtails, ours


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"  {screen}: {', '.join(map(repr, texts))}" for screen, texts in found.items()
    )


# --- The knowledge base, and the editor's screens ----------------------------------------


@pytest.fixture
def kb(db, settings, tmp_path):
    """An editor, and a knowledge base with something on every screen: a report a librarian
    sent for review (a practice with a photo, two revisions), a published article with each
    kind of block, an image, a document, readers' feedback."""
    settings.MEDIA_ROOT = tmp_path
    author = member(username="sari", name="Sari Wulandari")
    editor = member(username="dewi", name="Dewi Lestari", role=roles.EDITORS)
    host = LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan", city="Palembang")
    area = Category.objects.get(slug="layanan-pemustaka")

    photo = services.image_from_upload(uploader=author, file=png())
    document = services.document_from_upload(
        uploader=author,
        file=SimpleUploadedFile("jadwal.txt", b"Jadwal kunjungan\n", content_type="text/plain"),
    )
    data = services.ReportData(
        title="Sirkulasi dengan SLiMS di perpustakaan provinsi",
        host_library=host,
        start_date=datetime.date(2026, 8, 3),
        end_date=datetime.date(2026, 8, 14),
        areas=[area],
        summary="Dua minggu di layanan sirkulasi.",
        objectives="Belajar alur sirkulasi dengan SLiMS.",
        practices=[
            {
                "title": "Pengingat sebelum jatuh tempo",
                "description": "Petugas mengirim pesan dua hari sebelumnya.",
                "why_it_works": "Kebanyakan pemustaka lupa.",
                "photos": [{"image": photo, "alt": "Meja sirkulasi"}],
                "resources_and_cost": "",
                "prerequisites": "",
            }
        ],
        tags=["slims"],
        adaptation_plan=[
            {
                "action": "Mencatat nomor WhatsApp anggota",
                "person_responsible": "Petugas keanggotaan",
                "timeline": "Oktober 2026",
                "resources": "",
                "success_indicator": "80% anggota punya nomor",
            }
        ],
        contacts=[{"name": "Ibu Ratna", "role": "Kepala sirkulasi", "email": "", "phone": ""}],
        attachments=[document],
    )
    report = services.report_save_draft(author=author, data=data)
    data.summary = "Dua minggu di layanan sirkulasi dan keanggotaan."  # a second revision
    services.report_save_draft(author=author, data=data, page=report)
    services.report_submit(page=ReportPage.objects.get(pk=report.pk), by=author)

    article = ArticlePage(
        title="Mengurangi keterlambatan pengembalian",
        slug="mengurangi-keterlambatan",
        owner=editor,
        summary="Langkah sederhana yang terbukti.",
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": "Mengapa pemustaka terlambat"}},
                {"type": "paragraph", "value": "<p>Kebanyakan pemustaka <b>lupa</b>.</p>"},
                {"type": "image", "value": {"image": photo.pk, "alt": "Meja", "caption": ""}},
                {"type": "callout", "value": {"kind": "tip", "text": "<p>Sepakati urutan.</p>"}},
                {
                    "type": "table",
                    "value": {
                        "columns": [
                            {"type": "text", "heading": "Pertemuan"},
                            {"type": "number", "heading": "Peserta"},
                        ],
                        "rows": [{"values": ["Pertama", "12"]}],
                    },
                },
                {"type": "steps", "value": ["<p>Kirim pengingat.</p>"]},
                {"type": "checklist", "value": ["Nomor telepon tercatat"]},
                {"type": "document", "value": {"document": document.pk, "title": "Jadwal"}},
            ]
        ),
    )
    article.areas = [area]
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision(user=editor).publish(user=editor)
    Feedback.objects.create(page=article, user=author, helpful=True, comment="Bermanfaat")

    typed = {
        *(normalise(str(p.title)) for p in ReportPage.objects.all()),
        article.title,
        photo.title,
        document.title,
        editor.name,
        author.name,
        host.name,
        *(c for row in Category.objects.values_list("name", "name_en") for c in row),
    }
    return {
        "editor": editor,
        "report": ReportPage.objects.get(pk=report.pk),
        "article": article,
        "image": photo,
        "document": document,
        "area": area,
        "typed": typed,
    }


def editor_screens(kb) -> dict[str, str]:
    """The editor's screens, by name."""
    report, article = kb["report"], kb["article"]
    state = report.current_workflow_state
    task_state = state.current_task_state
    home, reports = KnowledgeBaseHome.objects.get(), ReportIndexPage.objects.get()
    articles = ArticleIndexPage.objects.get()
    earliest = report.revisions.earliest("pk").pk

    def pages(name, *args):
        return reverse(f"wagtailadmin_pages:{name}", args=args)

    return {
        "dashboard (awaiting your review)": reverse("wagtailadmin_home"),
        "explorer: knowledge base": reverse("wagtailadmin_explore", args=[home.pk]),
        "explorer: internship reports": reverse("wagtailadmin_explore", args=[reports.pk]),
        "create form: article": pages("add", "kb", "articlepage", articles.pk),
        "editor: article": pages("edit", article.pk),
        "editor: report in review": pages("edit", report.pk),
        "page history": pages("history", report.pk),
        "revisions compared": pages("revisions_compare", report.pk, "earliest", "latest"),
        "an earlier revision": pages("revisions_revert", report.pk, earliest),
        "workflow history": pages("workflow_history", report.pk),
        "workflow history: detail": pages("workflow_history_detail", report.pk, state.pk),
        "modal: request changes": pages("workflow_action", report.pk, "reject", task_state.pk),
        "modal: approve": pages("workflow_action", report.pk, "approve", task_state.pk),
        "modal (from the editor): request changes": pages(
            "collect_workflow_action_data", report.pk, "reject", task_state.pk
        ),
        "reports: workflows": reverse("wagtailadmin_reports:workflow"),
        "reports: workflow tasks": reverse("wagtailadmin_reports:workflow_tasks"),
        "reports: readers' feedback": reverse("kb_feedback_report"),
        "images": reverse("wagtailimages:index"),
        "image: add": reverse("wagtailimages:add"),
        "images: add several": reverse("wagtailimages:add_multiple"),
        "image: edit": reverse("wagtailimages:edit", args=[kb["image"].pk]),
        "documents": reverse("wagtaildocs:index"),
        "document: add": reverse("wagtaildocs:add"),
        "documents: add several": reverse("wagtaildocs:add_multiple"),
        "document: edit": reverse("wagtaildocs:edit", args=[kb["document"].pk]),
        "snippets: competency areas": reverse("wagtailsnippets_forum_category:list"),
        "snippet: competency area": reverse(
            "wagtailsnippets_forum_category:edit", args=[kb["area"].pk]
        ),
    }


def look(client, screens: dict[str, str], typed: set[str]):
    """Render each screen in Indonesian: (Wagtail's English found, by screen; the screens'
    HTML). Our own English found is a warning."""
    wagtails, ours, pages = {}, {}, {}
    for name, url in screens.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        assert response.headers["Content-Language"] == "id", name
        pages[name] = html = _html(response)
        if "<html" in html:
            assert re.search(r'<html[^>]* lang="id"', html), f"{name} is not in Indonesian"
        found, own = english_on(html, typed=typed)
        if found:
            wagtails[name] = found
        if own:
            ours[name] = own
    if ours:
        warnings.warn(
            "Our own English in the admin (translated in locale/id/):\n" + _report(ours),
            stacklevel=2,
        )
    return wagtails, pages


# --- Tests -------------------------------------------------------------------------------


def test_the_admin_speaks_indonesian_by_default(client, kb):
    """No preference chosen: Indonesian (settings.LANGUAGE_CODE), whatever the browser asks
    for, as /cms/ has no language prefix and the plain addresses are Indonesian."""
    assert settings.LANGUAGE_CODE == "id"
    assert not UserProfile.objects.filter(user=kb["editor"]).exclude(preferred_language="")
    client.force_login(kb["editor"])
    for browser in ("", "en-US,en;q=0.9"):
        response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE=browser)
        assert response.headers["Content-Language"] == "id"
        assert '<html lang="id"' in response.content.decode()


def test_an_editors_screens_show_no_english(client, kb):
    client.force_login(kb["editor"])
    found, pages = look(client, editor_screens(kb), kb["typed"])
    assert not found, "English left on the editors' screens:\n" + _report(found)

    # The screens are in the state meant: a report awaiting this editor's review.
    report = kb["report"]
    with translation.override("id"):
        awaiting = translation.gettext("Awaiting your review")
        request_changes = translation.gettext("Request changes")
    assert awaiting in pages["dashboard (awaiting your review)"]
    assert report.title in pages["dashboard (awaiting your review)"]
    assert "Tinjauan editor" in pages["editor: report in review"]  # the workflow's task
    assert request_changes in pages["editor: report in review"]
    assert 'name="comment"' in pages["modal: request changes"]


def test_forms_sent_with_mistakes_answer_in_indonesian(client, kb):
    """The messages of a form sent back: the page editor's, an image's, a document's, a
    competency area's, each sent without its title or name."""
    client.force_login(kb["editor"])
    articles = ArticleIndexPage.objects.get()
    forms = {
        "create form: article": reverse(
            "wagtailadmin_pages:add", args=["kb", "articlepage", articles.pk]
        ),
        "image: edit": reverse("wagtailimages:edit", args=[kb["image"].pk]),
        "document: edit": reverse("wagtaildocs:edit", args=[kb["document"].pk]),
        "snippet: competency area": reverse(
            "wagtailsnippets_forum_category:edit", args=[kb["area"].pk]
        ),
    }
    with translation.override("id"):
        required = translation.gettext("This field is required.")
    found = {}
    for name, url in forms.items():
        response = client.post(url, {"title": "", "name": "", "body-count": "0"})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert required in html, f"{name}: no error shown"
        english, _own = english_on(html, typed=kb["typed"])
        if english:
            found[name] = english
    assert not found, "English left on forms sent back:\n" + _report(found)


def test_the_page_type_chooser_shows_no_english(client, kb, monkeypatch):
    """In Serambi every parent takes one type of page, so Wagtail goes straight to its form
    (the create form is checked above); the chooser is shown here by letting the home take
    more indexes."""
    client.force_login(kb["editor"])
    home, articles = KnowledgeBaseHome.objects.get(), ArticleIndexPage.objects.get()
    direct = client.get(reverse("wagtailadmin_pages:add_subpage", args=[articles.pk]))
    assert direct["Location"] == reverse(
        "wagtailadmin_pages:add", args=["kb", "articlepage", articles.pk]
    )

    monkeypatch.setattr(ArticleIndexPage, "max_count", None)
    monkeypatch.setattr(ReportIndexPage, "max_count", None)
    chooser = {"page type chooser": reverse("wagtailadmin_pages:add_subpage", args=[home.pk])}
    found, pages = look(client, chooser, kb["typed"])
    assert not found, "English left on the page type chooser:\n" + _report(found)
    for model in ("articleindexpage", "reportindexpage"):
        add = reverse("wagtailadmin_pages:add", args=["kb", model, home.pk])
        assert add in pages["page type chooser"]


def test_the_workflow_settings_are_not_for_editors_and_say_so_in_indonesian(client, kb):
    """Workflows and their tasks are set up by administrators (kb's migration): an editor
    who opens them is sent to the dashboard and told why. Editors follow workflows in the
    Reports menu instead (checked above)."""
    client.force_login(kb["editor"])
    with translation.override("id"):
        denied = translation.gettext("Sorry, you do not have permission to access this area.")
    for url in (
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)], url
        html = response.content.decode()
        assert denied in html
        found, _own = english_on(html, typed=kb["typed"])
        assert not found, f"English on the dashboard after {url}: {found}"


def test_an_editor_who_chose_indonesian_gets_it_in_an_english_browser(client, kb):
    profile = UserProfile.get_for_user(kb["editor"])
    profile.preferred_language = "id"
    profile.save()
    client.force_login(kb["editor"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    screens = editor_screens(kb)
    chosen = ("dashboard (awaiting your review)", "editor: report in review", "modal: approve")
    found, _pages = look(client, {name: screens[name] for name in chosen}, kb["typed"])
    assert not found, "English left for an editor who chose Indonesian:\n" + _report(found)


def test_english_written_into_wagtails_templates_is_still_there():
    """The exceptions of UNTRANSLATABLE hold only while Wagtail writes that English."""
    for name, written in UNTRANSLATABLE.items():
        assert written in get_template(name).template.source, (
            f"{name} no longer writes {written!r}: remove it from UNTRANSLATABLE"
        )


def test_the_admins_javascript_speaks_indonesian(client, kb):
    """What Wagtail's scripts draw (the StreamField editor, comments, the minimap, the
    sidebar's notes) comes from its JavaScript catalogue: every message of it is there,
    translated."""
    client.force_login(kb["editor"])
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    source = response.content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", source, re.S)[1])
    missing = []
    for po in sorted(WAGTAIL.glob("**/locale/en/LC_MESSAGES/djangojs.po")):
        with po.open("rb") as file:
            for message in read_po(file):
                if not message.id:
                    continue
                singular = message.id[0] if isinstance(message.id, tuple) else message.id
                key = f"{message.context}\x04{singular}" if message.context else singular
                value = catalogue.get(key)
                shown = value[0] if isinstance(value, list) else value
                words = PLACEHOLDER.sub("", singular)
                if not shown or (
                    shown == singular
                    and sum(c.isalpha() for c in words) >= 2
                    and shown not in SAME_IN_INDONESIAN
                ):
                    missing.append(singular)
    assert not missing, "Untranslated in the admin's JavaScript catalogue:\n" + "\n".join(
        f"  {text!r}" for text in missing
    )
