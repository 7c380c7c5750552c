"""The forum's core journey, in a real browser: a librarian asks (previewing the Markdown first),
a colleague in another browser answers, the asker finds the answer helpful and marks it as the
solution, and the forum shows the question as solved. Once with JavaScript, once without.

Translations are still being finished: links and buttons are found by their address, their
form role or a name in either language, never by one exact wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from forum.models import Category
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

SIGN_IN = re.compile(r"^(Masuk|Sign in)$", re.IGNORECASE)
MY_PROFILE = re.compile(r"^(Profil saya|My profile)$", re.IGNORECASE)
# "Ask a question", "Tanya", "Ajukan pertanyaan", "Bertanya"...
ASK = re.compile(r"\bask\b|tanya", re.IGNORECASE)
SOLVED = re.compile(r"solved|terjawab|selesai|terpecahkan|tuntas", re.IGNORECASE)
USER_SERVICES = re.compile(r"^(Layanan Pemustaka|User Services)$")

TITLE = "Bagaimana menangani pemustaka yang sering terlambat mengembalikan buku?"
BODY = (
    "Beberapa pemustaka **selalu terlambat** mengembalikan buku, dan dendanya menumpuk.\n"
    "\n"
    "Yang sudah saya coba:\n"
    "\n"
    "- mengingatkan lewat WhatsApp sehari sebelumnya\n"
    "- memperpanjang masa pinjam menjadi dua minggu"
)
REPLY = (
    "Kami memasang pengingat otomatis di SLiMS tiga hari sebelum jatuh tempo; keterlambatan "
    "turun separuhnya dalam dua bulan."
)


def librarian(name: str):
    """A librarian who has been a member for a while (new accounts get stricter limits)."""
    member = UserFactory(librarian=True, name=name)
    member.date_joined = timezone.now() - timedelta(days=90)
    member.save(update_fields=["date_joined"])
    return member


def sign_in(context: BrowserContext, member) -> Page:
    """A new tab in `context`, signed in through the real sign-in form."""
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("banner").get_by_role("link", name=MY_PROFILE)).to_be_visible()
    return page


def open_forum(page: Page) -> None:
    page.get_by_role("banner").get_by_role("link", name="Forum", exact=True).click()
    expect(page).to_have_url(re.compile(r"/forum/$"))


def topic_row(within: Page | Locator, title: str) -> Locator:
    link = within.get_by_role("link", name=title, exact=True)
    return within.locator(".topic-row").filter(has=link)


def ask_question(page: Page, category: Category) -> None:
    """From the forum home: open the ask form, preview the question, post it."""
    page.locator(".page-head").get_by_role("link", name=ASK).click()
    expect(page).to_have_url(re.compile(r"/forum/ask/$"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_body").fill(BODY)
    page.locator("#id_tags").fill("sirkulasi, denda")

    page.locator("button[name=preview]").click()
    preview = page.locator("[data-preview-target]")
    expect(preview.locator("strong")).to_have_text("selalu terlambat")
    expect(preview.locator("li")).to_have_count(2)
    # Previewing loses nothing that was typed (without script the page came back from the server).
    expect(page.locator("#id_body")).to_have_value(BODY)
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_category")).to_have_value(str(category.pk))
    expect(page.locator("#id_tags")).to_have_value("sirkulasi, denda")

    page.locator("form[data-editor] button[type=submit]:not([name])").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    question = page.locator("#post-1")
    expect(question.locator("strong")).to_have_text("selalu terlambat")
    expect(question.locator("li")).to_have_count(2)
    head = page.locator(".topic-head")
    for tag in ("#sirkulasi", "#denda"):
        expect(head.get_by_role("link", name=tag, exact=True)).to_be_visible()


def reply_from_the_forum_home(page: Page) -> None:
    """A colleague finds the question among the latest topics and answers it."""
    open_forum(page)
    latest = page.locator("section[aria-labelledby=latest]")
    expect(topic_row(latest, TITLE).locator(".badge--solved")).to_have_count(0)
    latest.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.locator(".reply textarea[name=body]").fill(REPLY)
    page.locator(".reply button[type=submit]:not([name])").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    expect(page.locator("#post-2 .post__body")).to_have_text(REPLY)
    # Only the asker chooses the solution.
    expect(page.locator("button[formaction$='/solution/']")).to_have_count(0)


def vote_helpful_and_mark_the_solution(page: Page) -> None:
    """The asker, back on the question, sees the answer, votes it helpful and marks it."""
    page.reload()
    answer = page.locator("#post-2")
    expect(answer.locator(".post__body")).to_have_text(REPLY)

    helpful = answer.locator("button[formaction$='/helpful/']")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    expect(helpful.locator("span")).to_have_text("0")
    helpful.click()
    helpful = page.locator("#post-2 button[formaction$='/helpful/']")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful.locator("span")).to_have_text("1")

    page.locator("#post-2 button[formaction$='/solution/'][value=mark]").click()
    solution = page.locator("#post-1 + [data-solution] > section.solution")
    expect(solution).to_be_visible()
    expect(solution.locator(".post__body")).to_have_text(REPLY)
    expect(page.locator("#post-2")).to_have_class(re.compile(r"\bpost--solution\b"))
    expect(page.locator("#post-2 button[formaction$='/solution/'][value=unmark]")).to_be_visible()
    expect(page.locator("#post-2 button[formaction$='/helpful/'] span")).to_have_text("1")
    expect(page.locator(".topic-head .badge--solved")).to_have_text(SOLVED)


def test_a_librarian_asks_a_colleague_answers_and_the_asker_marks_the_solution(
    context: BrowserContext, new_context: Callable[..., BrowserContext]
):
    category = Category.objects.get(slug="layanan-pemustaka")
    asker = sign_in(context, librarian("Rina Marlina"))
    open_forum(asker)
    ask_question(asker, category)

    colleague = sign_in(new_context(), librarian("Dedi Kurniawan"))
    reply_from_the_forum_home(colleague)

    vote_helpful_and_mark_the_solution(asker)
    solved = asker.locator(".topic-head .badge--solved").inner_text()

    # Everyone now sees it solved, on the forum home and in its competency area.
    open_forum(colleague)
    expect(topic_row(colleague, TITLE).locator(".badge--solved")).to_have_text(solved)
    colleague.get_by_role("heading", name=USER_SERVICES).get_by_role("link").click()
    expect(colleague).to_have_url(re.compile(r"/forum/c/layanan-pemustaka/$"))
    expect(topic_row(colleague, TITLE).locator(".badge--solved")).to_have_text(solved)
    colleague.locator("#filter").select_option("solved")
    colleague.locator("form.list-options button").click()
    expect(colleague).to_have_url(re.compile(r"filter=solved"))
    expect(topic_row(colleague, TITLE).locator(".badge--solved")).to_have_text(solved)


def test_the_same_journey_works_without_javascript(
    new_context: Callable[..., BrowserContext],
):
    category = Category.objects.get(slug="layanan-pemustaka")
    asker = sign_in(new_context(java_script_enabled=False), librarian("Rina Marlina"))
    expect(asker.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
    open_forum(asker)
    ask_question(asker, category)

    colleague = sign_in(new_context(java_script_enabled=False), librarian("Dedi Kurniawan"))
    reply_from_the_forum_home(colleague)

    vote_helpful_and_mark_the_solution(asker)
    open_forum(asker)
    expect(topic_row(asker, TITLE).locator(".badge--solved")).to_have_text(SOLVED)
