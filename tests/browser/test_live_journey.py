"""The live forum in real browsers, served as `make run` serves it: Daphne, pages and websockets
in one process, on this run's test database. Two librarians on one topic: a reply posted by
one appears on the other's page without a reload; the other's socket is cut, and when it
reconnects the page shows what it missed; a mention lights the badge on another page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from bench.lib.server import Site, daphne, site_env
from forum import services
from tests.browser.conftest import watched_contexts
from tests.browser.test_signup_journey import SIGN_IN
from tests.factories import PASSWORD
from tests.forum.factories import TopicFactory, create_member

pytestmark = pytest.mark.browser


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture(scope="module")
def site_server(tmp_path_factory, django_db_setup, django_db_blocker):
    """Daphne on this run's test database, live updates on."""
    workdir = tmp_path_factory.mktemp("live")
    with django_db_blocker.unblock():
        env = site_env(workdir, database_url=database_url())
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", LIVE_UPDATES="1")
    with daphne(Site(env=env, workdir=workdir)) as server:
        yield server


@pytest.fixture
def live_context(
    browser, site_server, transactional_db, django_db_serialized_rollback, page_problems, request
) -> Iterator[Callable[..., BrowserContext]]:
    open_context, opened = watched_contexts(browser, site_server.base_url, page_problems, request)
    yield open_context
    for context in opened:
        context.close()


def signed_in(open_context, member) -> Page:
    page = open_context().new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=SIGN_IN).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


def answer(page: Page, text: str) -> None:
    page.locator(".reply textarea[name=body]").fill(text)
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text(text)).to_be_visible()


def test_a_reply_appears_on_another_readers_page_and_a_cut_socket_catches_up(live_context):
    sari, budi = create_member(name="Sari Wulandari"), create_member(name="Budi Santoso")
    topic = TopicFactory(author=sari, title="Pemustaka menolak membayar denda keterlambatan")
    writer, reader = signed_in(live_context, sari), signed_in(live_context, budi)
    sockets: list[WebSocketRoute] = []

    def through(socket: WebSocketRoute) -> None:  # Budi's page's socket, one the test can cut
        socket.connect_to_server()
        sockets.append(socket)

    reader.route_web_socket(re.compile(r"/ws/live/"), through)
    reader.goto(topic.get_absolute_url())
    writer.goto(topic.get_absolute_url())
    live_state = reader.locator("body")
    expect(live_state).to_have_attribute("data-live-state", "open")

    answer(writer, "Jelaskan aturannya dengan ramah, lalu beri keringanan sekali.")
    live = reader.locator("article.post").filter(has_text="beri keringanan sekali")
    expect(live).to_be_visible()
    expect(live.get_by_role("button", name=re.compile("Membantu"))).to_be_visible()  # his own

    sockets[0].close()  # the connection drops (a phone on the move)
    # Written by this test's process, which shares the database but not Daphne's channel layer:
    # the page can only learn of it from the event log, by replaying when it reconnects.
    services.reply_create(author=sari, topic=topic, body="Catat juga di buku kejadian.")

    expect(reader.get_by_text("Catat juga di buku kejadian.")).to_be_visible(timeout=15_000)
    assert len(sockets) == 2  # it reconnected, and replayed what it missed
    expect(reader.locator("article.post").filter(has_text="beri keringanan sekali")).to_have_count(
        1
    )


def test_a_mention_lights_the_badge_and_says_so_on_another_page(live_context):
    sari, budi = create_member(name="Sari Wulandari"), create_member(username="budi")
    topic = TopicFactory(author=sari, title="Cara menata ulang rak referensi")
    writer, reader = signed_in(live_context, sari), signed_in(live_context, budi)
    reader.goto("/forum/")
    bell = reader.locator(".site-nav__bell .count")
    expect(bell).to_have_count(0)

    writer.goto(topic.get_absolute_url())
    answer(writer, "Pak @budi punya pengalaman soal ini, mungkin bisa bantu.")

    expect(bell).to_have_text("1")
    expect(reader.get_by_role("status").filter(has_text="menyebut Anda")).to_be_visible()
