"""Reading the forum as members and visitors meet it: the home, topic lists, a topic, its
addresses, a member's profile, and what a topic page costs in SQL queries."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from PIL import Image

from forum import services
from forum.models import Category
from tests.forum.factories import (
    ReplyFactory,
    TopicFactory,
    attachment,
    competency_area,
    create_member,
    create_moderator,
    question_of,
)

pytestmark = pytest.mark.django_db


# The competency areas of the data migration, in their order.
AREAS = [
    "teknologi-informasi",
    "manajemen-perpustakaan",
    "layanan-pemustaka",
    "literasi-informasi",
    "kerja-sama-sekolah-kampus",
    "pengembangan-profesi",
]
TOPIC_TITLE = re.compile(r'class="topic-row__title" href="[^"]+">([^<]+)</a>')


def indonesian(message: str, **values) -> str:
    """A message as the site's default language shows it."""
    with translation.override("id"):
        text = gettext(message)
    return text % values if values else text


def shown(response, text: str) -> bool:
    html = response.content.decode()
    return text in html or escape(text) in html


def listed_titles(response) -> list[str]:
    return TOPIC_TITLE.findall(response.content.decode())


# --- The forum home -----------------------------------------------------------------------------


def test_forum_home_lists_the_six_competency_areas_with_their_counts(client):
    busy = TopicFactory(
        category=competency_area("layanan-pemustaka"), title="Pemustaka marah di meja layanan"
    )
    ReplyFactory.create_batch(2, topic=busy)
    TopicFactory(category=competency_area("teknologi-informasi"))

    response = client.get(reverse("forum:home"))

    assert response.status_code == 200
    assert [c.slug for c in response.context["categories"]] == AREAS
    cards = re.findall(r'<li class="category-card.*?</li>', response.content.decode(), re.S)
    assert len(cards) == 6
    for card, slug in zip(cards, AREAS, strict=True):
        assert escape(Category.objects.get(slug=slug).name) in card
    with translation.override("id"):
        topics = {
            n: ngettext("%(counter)s topic", "%(counter)s topics", n) % {"counter": n}
            for n in (0, 1)
        }
        replies = {
            n: ngettext("%(counter)s reply", "%(counter)s replies", n) % {"counter": n}
            for n in (0, 2)
        }
    services_card = cards[AREAS.index("layanan-pemustaka")]
    assert f"{topics[1]} · {replies[2]}" in services_card
    assert "Pemustaka marah di meja layanan" in services_card  # its latest topic
    assert f"{topics[1]} · {replies[0]}" in cards[AREAS.index("teknologi-informasi")]
    assert f"{topics[0]} · {replies[0]}" in cards[AREAS.index("literasi-informasi")]


def test_forum_home_shows_the_latest_activity_first(client):
    older = TopicFactory(title="Topik lama tentang inventarisasi")
    TopicFactory(title="Topik baru tentang pengadaan")
    ReplyFactory(topic=older)

    response = client.get(reverse("forum:home"))

    assert listed_titles(response) == [
        "Topik lama tentang inventarisasi",
        "Topik baru tentang pengadaan",
    ]


# --- Topic lists --------------------------------------------------------------------------------


@pytest.fixture
def three_kinds():
    """In one category: a solved topic, an answered one, one with no replies yet; asked in
    that order, then the first one answered again (latest activity)."""
    solved = TopicFactory(title="Sudah terjawab dan selesai")
    answer = ReplyFactory(topic=solved)
    services.topic_mark_solution(topic=solved, post=answer, by=solved.author)
    answered = TopicFactory(title="Sudah dijawab tapi belum selesai")
    ReplyFactory(topic=answered)
    lonely = TopicFactory(title="Belum ada yang menjawab")
    for voter in (create_member(), create_member()):
        services.post_toggle_helpful(post=question_of(answered), user=voter)
    ReplyFactory(topic=solved)
    return solved, answered, lonely


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        (
            "all",
            [
                "Sudah terjawab dan selesai",
                "Belum ada yang menjawab",
                "Sudah dijawab tapi belum selesai",
            ],
        ),
        ("unsolved", ["Belum ada yang menjawab", "Sudah dijawab tapi belum selesai"]),
        ("solved", ["Sudah terjawab dan selesai"]),
        ("unanswered", ["Belum ada yang menjawab"]),
        (
            "nonsense",
            [
                "Sudah terjawab dan selesai",
                "Belum ada yang menjawab",
                "Sudah dijawab tapi belum selesai",
            ],
        ),
    ],
)
def test_category_list_filters(client, three_kinds, filter, expected):
    response = client.get(competency_area().get_absolute_url(), {"filter": filter})

    assert response.status_code == 200
    assert listed_titles(response) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "activity",
            [
                "Sudah terjawab dan selesai",
                "Belum ada yang menjawab",
                "Sudah dijawab tapi belum selesai",
            ],
        ),
        (
            "newest",
            [
                "Belum ada yang menjawab",
                "Sudah dijawab tapi belum selesai",
                "Sudah terjawab dan selesai",
            ],
        ),
        (
            "helpful",
            [
                "Sudah dijawab tapi belum selesai",
                "Sudah terjawab dan selesai",
                "Belum ada yang menjawab",
            ],
        ),
    ],
)
def test_category_list_sorts(client, three_kinds, sort, expected):
    response = client.get(competency_area().get_absolute_url(), {"sort": sort})

    assert listed_titles(response) == expected


def test_the_solved_badge_marks_solved_topics_in_a_list(client, three_kinds):
    html = client.get(competency_area().get_absolute_url()).content.decode()
    rows = re.findall(r'<li class="topic-row[^"]*">.*?</li>', html, re.S)

    solved_badge = escape(indonesian("Solved"))
    assert [solved_badge in row for row in rows] == [True, False, False]


@pytest.fixture
def twenty_one_topics():
    return [TopicFactory(title=f"Pertanyaan nomor {n:02d} tentang katalog") for n in range(21)]


def test_a_category_list_pages_by_twenty(client, twenty_one_topics):
    url = competency_area().get_absolute_url()

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(listed_titles(first)) == 20
    assert listed_titles(first)[0] == "Pertanyaan nomor 20 tentang katalog"
    assert listed_titles(second) == ["Pertanyaan nomor 00 tentang katalog"]
    assert 'href="?page=2"' in first.content.decode()


@pytest.mark.parametrize(("page", "shows_page"), [("99", 2), ("abc", 1), ("0", 1), ("-3", 1)])
def test_an_odd_page_number_shows_a_real_page(client, twenty_one_topics, page, shows_page):
    url = competency_area().get_absolute_url()

    response = client.get(url, {"page": page})

    assert response.status_code == 200
    assert listed_titles(response) == listed_titles(client.get(url, {"page": shows_page}))


def test_a_pinned_topic_heads_its_category(client):
    pinned = TopicFactory(title="Tata tertib forum: baca dulu")
    TopicFactory(title="Pertanyaan yang lebih baru")
    services.topic_set_pinned(topic=pinned, by=create_moderator(), pinned=True)

    response = client.get(competency_area().get_absolute_url())

    assert listed_titles(response) == ["Tata tertib forum: baca dulu", "Pertanyaan yang lebih baru"]
    first_row = re.search(r'<li class="topic-row.*?</li>', response.content.decode(), re.S)
    assert escape(indonesian("Pinned")) in first_row.group(0)


def test_tag_and_member_lists_show_their_topics(client):
    asker = create_member(username="sari")
    TopicFactory(author=asker, title="Memakai SLiMS untuk stock opname", tags=["slims"])
    TopicFactory(title="Label punggung buku yang awet", tags=["label"])

    by_tag = client.get(reverse("forum:tag", args=["slims"]))
    by_member = client.get(reverse("forum:member_topics", args=["sari"]))

    assert listed_titles(by_tag) == ["Memakai SLiMS untuk stock opname"]
    assert listed_titles(by_member) == ["Memakai SLiMS untuk stock opname"]
    assert client.get(reverse("forum:tag", args=["tidak-ada"])).status_code == 404


# --- A topic ------------------------------------------------------------------------------------


def test_topic_page_shows_the_question_the_solution_under_it_then_replies_in_order(client):
    topic = TopicFactory(body="Bagaimana cara menyampul buku dengan plastik?")
    replies = [
        ReplyFactory(topic=topic, body=text)
        for text in ("Pakai plastik tebal.", "Gunakan penggaris.", "Mulai dari punggung buku.")
    ]
    services.topic_mark_solution(topic=topic, post=replies[2], by=topic.author)

    html = client.get(topic.get_absolute_url()).content.decode()

    question = html.index("Bagaimana cara menyampul buku")
    solution = html.index('id="solution-title"')
    assert html.index("Mulai dari punggung buku.", solution) < html.index("Pakai plastik tebal.")
    thread = [html.index(f'id="post-{n}"') for n in (1, 2, 3, 4)]
    assert question < solution < thread[1] < thread[2] < thread[3]
    assert thread == sorted(thread)
    assert 'class="post post--solution"' in html


def posts_on(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)]


def test_replies_page_by_twenty_and_the_question_stays_on_the_first_page(client):
    topic = TopicFactory(replies=21)

    first = client.get(topic.get_absolute_url()).content.decode()
    second = client.get(topic.get_absolute_url(), {"page": 2}).content.decode()
    beyond = client.get(topic.get_absolute_url(), {"page": 9}).content.decode()

    assert posts_on(first) == list(range(1, 22))
    assert posts_on(second) == [22]
    assert posts_on(beyond) == [22]  # past the last page: the last page
    assert 'href="?page=2"' in first


def test_an_edited_post_links_to_its_history_with_the_earlier_versions(client):
    reply = ReplyFactory(body="Versi pertama: denda dihapus.")
    services.post_edit(post=reply, editor=reply.author, body="Versi kedua: denda dikurangi.")
    history_url = reverse("forum:post_history", args=[reply.pk])

    page = client.get(reply.topic.get_absolute_url()).content.decode()
    history = client.get(history_url).content.decode()

    assert f'<a href="{history_url}">{escape(indonesian("edited"))}</a>' in page
    assert "Versi kedua: denda dikurangi." in page
    assert "Versi pertama" not in page
    assert "Versi kedua: denda dikurangi." in history
    assert "Versi pertama: denda dihapus." in history
    assert indonesian("Version %(number)s", number=1) in history


def test_a_post_that_was_never_edited_has_no_history_link(client):
    reply = ReplyFactory()

    page = client.get(reply.topic.get_absolute_url()).content.decode()

    assert reverse("forum:post_history", args=[reply.pk]) not in page


@pytest.mark.parametrize("actor", ["visitor", "librarian", "author", "moderator"])
def test_a_merged_topics_address_leads_to_the_topic_it_was_merged_into(client, actor):
    duplicate = TopicFactory(title="Cara mengurus buku hilang oleh pemustaka")
    kept = TopicFactory(title="Buku hilang: apa prosedurnya?")
    moderator = create_moderator()
    services.topic_merge(source=duplicate, target=kept, by=moderator)
    kept.refresh_from_db()
    readers = {"librarian": create_member(), "author": duplicate.author, "moderator": moderator}
    if actor != "visitor":
        client.force_login(readers[actor])

    response = client.get(duplicate.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()


def test_a_wrong_slug_leads_to_the_topic_s_own_address_keeping_the_page(client):
    topic = TopicFactory(title="Rak buku yang roboh", replies=21)

    wrong = client.get(reverse("forum:topic", args=[topic.pk, "judul-lama"]), {"page": 2})
    short = client.get(reverse("forum:topic_short", args=[topic.pk]))

    assert wrong.status_code == short.status_code == 301
    assert wrong["Location"] == f"{topic.get_absolute_url()}?page=2"
    assert short["Location"] == topic.get_absolute_url()
    assert topic.get_absolute_url().endswith("/rak-buku-yang-roboh/")


@pytest.mark.parametrize("title", ["Reply????????", "Follow!!!!!!!", "Moderate!!!!"])
def test_a_topic_whose_title_reads_like_an_action_is_still_read_at_its_address(client, title):
    topic = TopicFactory(title=title, body="Judulnya kebetulan sama dengan alamat sebuah aksi.")

    response = client.get(topic.get_absolute_url())

    assert response.status_code == 200
    assert shown(response, "Judulnya kebetulan sama dengan alamat sebuah aksi.")


def test_a_post_s_address_leads_to_its_page_and_place(client):
    topic = TopicFactory(replies=21)
    last = topic.posts.get(position=22)

    response = client.get(last.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-22"


def test_an_unknown_topic_is_404(client):
    assert client.get(reverse("forum:topic", args=[9999, "tidak-ada"])).status_code == 404


# --- A member's profile -------------------------------------------------------------------------


def stat(html: str, label: str) -> int:
    match = re.search(rf"<dt>{re.escape(escape(indonesian(label)))}</dt><dd>(\d+)</dd>", html)
    assert match, f"no {label!r} on the profile"
    return int(match.group(1))


def test_a_member_s_profile_counts_questions_answers_solutions_and_helpful_votes(client):
    sari = create_member(username="sari")
    TopicFactory.create_batch(2, author=sari)
    answers = [ReplyFactory(author=sari) for _ in range(3)]
    services.topic_mark_solution(
        topic=answers[0].topic, post=answers[0], by=answers[0].topic.author
    )
    for voter in (create_member(), create_member()):
        services.post_toggle_helpful(post=answers[1], user=voter)
    services.post_delete(post=answers[2], by=sari)  # taken back: no longer counted

    html = client.get(sari.get_absolute_url()).content.decode()

    assert stat(html, "Questions") == 2
    assert stat(html, "Answers") == 2
    assert stat(html, "Solutions given") == 1
    assert stat(html, "Helpful votes received") == 2
    assert reverse("forum:member_topics", args=["sari"]) in html


# --- What a topic page costs --------------------------------------------------------------------

# A visitor's first rendering: the page's version (topic event, category version), then the
# topic, posts, attachments, tags. The next visitor's: the version alone, until an event.
VISITOR_QUERIES = 5
CACHED_VISITOR_QUERIES = 1
RETURNING_MEMBER_QUERIES = 5  # the member with roles, the topic, posts, attachments, tags
MEMBER_BUDGET = 7  # DESIGN.md, Budgets: no more than the leanest peer


def topic_with_replies(count: int):
    """A topic as a busy one looks: tags, a screenshot on the question, a solution, votes,
    an edited reply, and `count` replies each by another member."""
    asker = create_member()
    screenshot = attachment(uploader=asker)
    topic = TopicFactory(author=asker, tags=["slims", "sirkulasi"], attachment_ids=[screenshot.pk])
    replies = ReplyFactory.create_batch(count, topic=topic)
    services.topic_mark_solution(topic=topic, post=replies[1], by=asker)
    services.post_toggle_helpful(post=replies[0], user=asker)
    services.post_edit(post=replies[2], editor=replies[2].author, body="Diperbaiki: pakai SLiMS 9.")
    topic.refresh_from_db()
    return topic


def open_topic(client: Client, topic) -> list[int]:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return posts_on(response.content.decode())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("replies", [5, 60])
def test_topic_page_for_a_visitor_costs_the_same_queries_whatever_its_length(
    media, client, django_assert_num_queries, replies
):
    topic = topic_with_replies(replies)

    with django_assert_num_queries(VISITOR_QUERIES):
        shown_posts = open_topic(client, topic)

    assert shown_posts == list(range(1, min(replies, 20) + 2))


def test_the_next_visitor_gets_the_same_page_for_one_query_until_the_topic_changes(
    media, client, django_assert_num_queries
):
    topic = topic_with_replies(5)
    first = client.get(topic.get_absolute_url()).content

    with django_assert_num_queries(CACHED_VISITOR_QUERIES):
        again = Client().get(topic.get_absolute_url()).content
    ReplyFactory(topic=topic, body="Balasan sesudah halaman disimpan.")
    after_a_reply = Client().get(topic.get_absolute_url()).content.decode()

    assert again == first
    assert "Balasan sesudah halaman disimpan." in after_a_reply


def test_a_visitor_never_gets_a_kept_page_of_a_topic_they_may_no_longer_see(media, client):
    topic = topic_with_replies(3)
    client.get(topic.get_absolute_url())
    category = topic.category
    category.members_only = True
    category.save()
    services.category_changed(category=category)

    assert Client().get(topic.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("replies", [5, 60])
def test_topic_page_for_a_returning_member_costs_the_same_queries_whatever_its_length(
    media, client, django_assert_num_queries, replies
):
    topic = topic_with_replies(replies)
    client.force_login(create_member())
    client.get(topic.get_absolute_url())  # read once: their place is kept, the bell is counted

    with django_assert_num_queries(RETURNING_MEMBER_QUERIES):
        shown_posts = open_topic(client, topic)

    assert shown_posts == list(range(1, min(replies, 20) + 2))
    assert RETURNING_MEMBER_QUERIES <= MEMBER_BUDGET


# Where each query of a topic page comes from (by its main table), to say so when the budget
# is passed.
QUERY_SOURCES = {
    "accounts_user": "accounts.backends: the member with their roles",
    "forum_topic": "forum.selectors.topic_page",
    "forum_post": "forum.selectors.topic_posts",
    "forum_attachment": "forum.selectors.topic_posts: the files of posts that have some",
    "taggit_tag": "forum.views.browsing.topic_context: topic.tags.all()",
    "forum_topicstate": "forum.services.topic_mark_read: TopicState get_or_create",
    "savepoint": "forum.services.topic_mark_read: get_or_create's atomic block",
    "forum_notification": "forum.selectors.unread_count: the bell, not yet in the cache",
}
MAIN_TABLE = re.compile(
    r'(?:SELECT "|SELECT COUNT\(\*\) AS "__count" FROM "|INSERT INTO "|UPDATE ")(\w+)"'
)


def source_of(sql: str) -> str:
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
        return QUERY_SOURCES["savepoint"]
    table = MAIN_TABLE.match(sql)
    return QUERY_SOURCES.get(table.group(1), "?") if table else "?"


def test_topic_page_for_a_member_opening_it_first_costs_the_same_queries_within_budget(
    media,
):
    short, long = topic_with_replies(5), topic_with_replies(60)
    measured = {}
    for size, topic in (("5 replies", short), ("60 replies", long)):
        reader = Client()
        reader.force_login(create_member())
        with CaptureQueriesContext(connection) as captured:
            open_topic(reader, topic)
        measured[size] = [q["sql"] for q in captured.captured_queries]

    counts = {size: len(queries) for size, queries in measured.items()}
    assert len(set(counts.values())) == 1, f"the number of queries grows with replies: {counts}"
    queries = measured["60 replies"]
    if len(queries) > MEMBER_BUDGET:
        listing = "\n".join(
            f"  {n}. {source_of(sql)}\n       {sql[:90]}" for n, sql in enumerate(queries, 1)
        )
        pytest.fail(
            f"A member opening a topic for the first time costs {len(queries)} queries, over "
            f"the budget of {MEMBER_BUDGET} (DESIGN.md), although constant ({counts}):\n"
            f"{listing}\n"
            "Returning members stay within it (see the test above); the first visit adds "
            "TopicState's get_or_create (SELECT, SAVEPOINT, INSERT, RELEASE) and the bell's "
            "COUNT on a cold cache."
        )


def png_upload(name="meja.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_attachments_not_everyone_may_see_are_not_kept_by_shared_caches(
    topic, asker, colleague, moderator, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    upload = services.attachment_upload(uploader=colleague, file=png_upload())
    reply = services.reply_create(
        author=colleague, topic=topic, body="Lihat foto.", attachment_ids=[upload.pk]
    )
    url = upload.get_absolute_url()
    assert Client().get(url)["Cache-Control"] == "public, max-age=86400"
    services.post_hide(post=reply, by=moderator)
    owner = Client()
    owner.force_login(colleague)
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_reading_a_topic_writes_nothing_when_none_of_its_notifications_are_unread(media):
    elsewhere, topic = TopicFactory(), topic_with_replies(3)
    reader = create_member(username="nining")
    ReplyFactory(topic=elsewhere, body="Halo @nining")  # unread, but about another topic
    client = Client()
    client.force_login(reader)
    client.get(topic.get_absolute_url())  # the first reading keeps the member's place

    with CaptureQueriesContext(connection) as captured:
        open_topic(client, topic)

    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes == []
    assert reader.notifications.filter(read_at=None).count() == 1
