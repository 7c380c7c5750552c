"""Who may do what in the forum, through the real pages and actions: for each actor (a visitor,
another librarian, the author, a moderator) and each action, the answer they get and whether
anything changed in the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from forum import services
from forum.models import Attachment, Flag, HelpfulVote, Post, Topic, TopicState
from tests.factories import UserFactory
from tests.forum.factories import (
    MembersOnlyCategoryFactory,
    ReplyFactory,
    TopicFactory,
    attachment,
    competency_area,
    create_member,
    create_moderator,
    question_of,
)

pytestmark = pytest.mark.django_db


ACTORS = ("visitor", "librarian", "author", "moderator")
EVERYONE = frozenset(ACTORS)
MEMBERS = frozenset({"librarian", "author", "moderator"})
AUTHOR = frozenset({"author"})
AUTHOR_OR_MODERATOR = frozenset({"author", "moderator"})
OTHERS = frozenset({"librarian", "moderator"})  # members who did not write the post
MODERATOR = frozenset({"moderator"})

QUESTION = "Pemustaka mengembalikan buku basah karena banjir. Perlu didenda?"
ANSWER = "Tidak perlu denda: catat kondisinya dan minta keterangan."
PRIVATE = "Notulen rapat pengurus: usulan kenaikan tunjangan pustakawan."
HIDDEN = "Versi kedua yang kemudian disembunyikan moderator."
ASKED_TITLE = "Bagaimana menata rak buku anak yang sempit?"


@dataclass
class World:
    """A public topic asked by `author`, answered by `replier`; `other_topic` to merge into."""

    author: User
    librarian: User
    moderator: User
    replier: User
    topic: Topic
    question: Post
    answer: Post
    other_topic: Topic
    extra: dict = field(default_factory=dict)

    def user(self, actor: str) -> User | None:
        return None if actor == "visitor" else getattr(self, actor)


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    author, replier = create_member(username="sari"), create_member(username="budi")
    topic = TopicFactory(author=author, body=QUESTION, tags=["denda"])
    answer = ReplyFactory(topic=topic, author=replier, body=ANSWER)
    topic.refresh_from_db()
    return World(
        author=author,
        librarian=create_member(username="dewi"),
        moderator=create_moderator(username="rahmat"),
        replier=replier,
        topic=topic,
        question=question_of(topic),
        answer=answer,
        other_topic=TopicFactory(author=replier),
    )


def sign_in(client: Client, world: World, actor: str) -> None:
    if actor != "visitor":
        client.force_login(world.user(actor))


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_login") + "?next="
    )


def topic_row(world: World) -> Topic:
    return Topic.objects.get(pk=world.topic.pk)


# --- What each action needs before it, and what it changes --------------------------------------


def lock_topic(w: World) -> None:
    services.topic_set_locked(topic=w.topic, by=w.moderator, locked=True)


def mark_answer(w: World) -> None:
    services.topic_mark_solution(topic=w.topic, post=w.answer, by=w.author)


def author_stopped_following(w: World) -> None:
    services.topic_subscription_set(user=w.author, topic=w.topic, subscribed=False)


def hide_answer(w: World) -> None:
    services.post_hide(post=w.answer, by=w.moderator, reason="Iklan")


def members_only_topic(w: World) -> None:
    room = MembersOnlyCategoryFactory(name="Ruang Pengurus")
    w.extra["private"] = TopicFactory(author=w.author, category=room, body=PRIVATE)


def members_only_attachment(w: World) -> None:
    room = MembersOnlyCategoryFactory(name="Ruang Pengurus")
    photo = attachment(uploader=w.author)
    TopicFactory(author=w.author, category=room, body=PRIVATE, attachment_ids=[photo.pk])
    w.extra["attachment"] = Attachment.objects.get(pk=photo.pk)


def hidden_reply_of_author(w: World) -> None:
    reply = ReplyFactory(topic=w.topic, author=w.author, body="Versi pertama jawaban saya.")
    services.post_edit(post=reply, editor=w.author, body=HIDDEN)
    services.post_hide(post=reply, by=w.moderator, reason="Menyinggung")
    w.extra["hidden"] = reply


@dataclass(frozen=True)
class Action:
    name: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    data: Callable[[World], dict] | None = None  # None: a page, read with GET
    effect: Callable[[World], object] | None = None  # what the action changes, read afresh
    arrange: Callable[[World], None] | None = None
    shows: str | None = None  # text on the page that only those allowed may read
    login_required: bool = True  # a visitor is sent to sign in rather than refused
    form_page: bool = False  # GET shows the action's form (otherwise 405)
    # What a refused actor gets: 404 where they may not even see the thing, else 403.
    refused: int = 403

    def __str__(self) -> str:
        return self.name

    def request(self, client: Client, world: World):
        """Open the page (GET) or take the action (POST), as its form would."""
        if self.data is None:
            return client.get(self.url(world))
        return client.post(self.url(world), self.data(world))


def topic_moderation(action: str, **data) -> Action:
    effects = {
        "pin": lambda w: topic_row(w).is_pinned,
        "lock": lambda w: topic_row(w).is_locked,
        "move": lambda w: topic_row(w).category_id,
        "merge": lambda w: topic_row(w).merged_into_id,
    }
    return Action(
        f"moderate: {action}",
        url=lambda w: reverse("forum:topic_moderate", args=[w.topic.pk]),
        data=lambda w: {"action": action, **{k: v(w) for k, v in data.items()}},
        effect=effects[action],
        allowed=MODERATOR,
        form_page=True,
    )


ACTIONS = [
    Action(
        "view a topic in a public category",
        url=lambda w: w.topic.get_absolute_url(),
        allowed=EVERYONE,
        shows=QUESTION,
        login_required=False,
    ),
    Action(
        "view a topic in a members-only category",
        arrange=members_only_topic,
        url=lambda w: w.extra["private"].get_absolute_url(),
        allowed=MEMBERS,
        shows=PRIVATE,
        login_required=False,
        refused=404,
    ),
    Action(
        "ask",
        url=lambda w: reverse("forum:ask"),
        data=lambda w: {
            "title": ASKED_TITLE,
            "category": competency_area().pk,
            "body": "Ruang baca anak kami hanya 3 x 4 meter.",
            "tags": "ruang-anak",
        },
        effect=lambda w: Topic.objects.filter(title=ASKED_TITLE).count(),
        allowed=MEMBERS,
        form_page=True,
    ),
    Action(
        "reply",
        url=lambda w: reverse("forum:reply", args=[w.topic.pk]),
        data=lambda w: {"body": "Saya juga pernah mengalaminya."},
        effect=lambda w: w.topic.posts.count(),
        allowed=MEMBERS,
        form_page=True,
    ),
    Action(
        "reply to a locked topic",
        arrange=lock_topic,
        url=lambda w: reverse("forum:reply", args=[w.topic.pk]),
        data=lambda w: {"body": "Saya juga pernah mengalaminya."},
        effect=lambda w: w.topic.posts.count(),
        allowed=MODERATOR,
        form_page=True,
    ),
    Action(
        "edit a post",
        url=lambda w: reverse("forum:post_edit", args=[w.question.pk]),
        data=lambda w: {"title": w.topic.title, "body": QUESTION + " (Diperbarui.)", "tags": ""},
        effect=lambda w: Post.objects.get(pk=w.question.pk).source,
        allowed=AUTHOR,
        form_page=True,
    ),
    Action(
        "edit a post in a locked topic",
        arrange=lock_topic,
        url=lambda w: reverse("forum:post_edit", args=[w.question.pk]),
        data=lambda w: {"title": w.topic.title, "body": QUESTION + " (Diperbarui.)", "tags": ""},
        effect=lambda w: Post.objects.get(pk=w.question.pk).source,
        allowed=frozenset(),
        form_page=True,
    ),
    Action(
        "delete a post",
        url=lambda w: reverse("forum:post_delete", args=[w.question.pk]),
        data=lambda w: {},
        effect=lambda w: Post.objects.get(pk=w.question.pk).deleted_at is not None,
        allowed=AUTHOR,
    ),
    Action(
        "mark the solution",
        url=lambda w: reverse("forum:solution", args=[w.answer.pk]),
        data=lambda w: {"action": "mark"},
        effect=lambda w: topic_row(w).solution_id,
        allowed=AUTHOR_OR_MODERATOR,
    ),
    Action(
        "mark the solution of a locked topic",
        arrange=lock_topic,
        url=lambda w: reverse("forum:solution", args=[w.answer.pk]),
        data=lambda w: {"action": "mark"},
        effect=lambda w: topic_row(w).solution_id,
        allowed=MODERATOR,
    ),
    Action(
        "unmark the solution",
        arrange=mark_answer,
        url=lambda w: reverse("forum:solution", args=[w.answer.pk]),
        data=lambda w: {"action": "unmark"},
        effect=lambda w: topic_row(w).solution_id,
        allowed=AUTHOR_OR_MODERATOR,
    ),
    Action(
        "vote helpful (the author: on their own post)",
        url=lambda w: reverse("forum:helpful", args=[w.question.pk]),
        data=lambda w: {},
        effect=lambda w: HelpfulVote.objects.filter(post=w.question).count(),
        allowed=OTHERS,
    ),
    Action(
        "flag (the author: their own post)",
        url=lambda w: reverse("forum:flag", args=[w.question.pk]),
        data=lambda w: {"reason": Flag.Reason.SPAM, "note": "Tautan toko buku"},
        effect=lambda w: Flag.objects.filter(post=w.question).count(),
        allowed=OTHERS,
        form_page=True,
    ),
    Action(
        "follow the topic",
        arrange=author_stopped_following,
        url=lambda w: reverse("forum:topic_subscribe", args=[w.topic.pk]),
        data=lambda w: {"subscribed": "1"},
        effect=lambda w: sorted(
            TopicState.objects.filter(topic=w.topic, subscribed=True).values_list("user", flat=True)
        ),
        allowed=MEMBERS,
    ),
    topic_moderation("pin"),
    topic_moderation("lock"),
    topic_moderation("move", category=lambda w: competency_area("teknologi-informasi").pk),
    topic_moderation("merge", target=lambda w: w.other_topic.pk),
    Action(
        "moderate: hide a post",
        url=lambda w: reverse("forum:post_moderate", args=[w.answer.pk]),
        data=lambda w: {"action": "hide", "reason": "Iklan"},
        effect=lambda w: Post.objects.get(pk=w.answer.pk).is_hidden,
        allowed=MODERATOR,
    ),
    Action(
        "moderate: unhide a post",
        arrange=hide_answer,
        url=lambda w: reverse("forum:post_moderate", args=[w.answer.pk]),
        data=lambda w: {"action": "unhide"},
        effect=lambda w: Post.objects.get(pk=w.answer.pk).is_hidden,
        allowed=MODERATOR,
    ),
    Action("open the flag queue", url=lambda w: reverse("forum:flags"), allowed=MODERATOR),
    Action(
        "read the moderation log",
        arrange=hide_answer,
        url=lambda w: reverse("forum:moderation_log"),
        allowed=MODERATOR,
        shows="Iklan",
    ),
    Action(
        "view an attachment of a post in a members-only category",
        arrange=members_only_attachment,
        url=lambda w: w.extra["attachment"].get_absolute_url(),
        allowed=MEMBERS,
        login_required=False,
        refused=404,
    ),
    Action(
        "read the history of a hidden post",
        arrange=hidden_reply_of_author,
        url=lambda w: reverse("forum:post_history", args=[w.extra["hidden"].pk]),
        allowed=AUTHOR_OR_MODERATOR,
        shows=HIDDEN,
        login_required=False,
    ),
]
WRITES = [action for action in ACTIONS if action.data is not None]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_who_may_do_what(client, world, action, actor):
    if action.arrange:
        action.arrange(world)
    sign_in(client, world, actor)
    before = action.effect(world) if action.effect else None

    response = action.request(client, world)

    if actor in action.allowed:
        assert response.status_code == (200 if action.data is None else 302)
        if action.effect:
            assert action.effect(world) != before, "allowed, but nothing changed"
        if action.shows:
            assert action.shows in response.content.decode()
    else:
        if actor == "visitor" and action.login_required:
            assert sent_to_sign_in(response)
        else:
            assert response.status_code == action.refused
        if action.effect:
            assert action.effect(world) == before, "refused, yet something changed"
        if action.shows:
            assert action.shows not in response.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", WRITES, ids=str)
def test_an_action_address_opened_with_get_changes_nothing(client, world, action, actor):
    if action.arrange:
        action.arrange(world)
    sign_in(client, world, actor)
    before = action.effect(world)

    response = client.get(action.url(world))

    assert action.effect(world) == before
    if actor == "visitor":
        assert sent_to_sign_in(response)
    elif action.form_page:
        assert response.status_code == (200 if actor in action.allowed else 403)
        assert b'method="post"' in response.content
    else:
        assert response.status_code == 405


def csrf_token(page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def test_an_action_posted_without_the_csrf_token_is_refused(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.librarian)
    reply_url = reverse("forum:reply", args=[world.topic.pk])
    body = {"body": "Dikirim dari halaman lain."}

    refused = browser.post(reply_url, body)

    assert refused.status_code == 403
    assert world.topic.posts.count() == 2
    token = csrf_token(browser.get(world.topic.get_absolute_url()))
    assert browser.post(reply_url, {**body, "csrfmiddlewaretoken": token}).status_code == 302
    assert world.topic.posts.count() == 3


def test_a_member_whose_email_is_not_verified_reads_but_does_not_post(client, world):
    client.force_login(UserFactory(librarian=False))
    assert client.get(world.topic.get_absolute_url()).status_code == 200

    assert client.get(reverse("forum:ask")).status_code == 403
    response = client.post(reverse("forum:reply", args=[world.topic.pk]), {"body": "Halo semua"})
    assert response.status_code == 403
    assert world.topic.posts.count() == 2


# --- Members-only categories are invisible to visitors ------------------------------------------


@pytest.fixture
def members_room():
    """A members-only category with one question and its answer, next to a public one."""
    room = MembersOnlyCategoryFactory(name="Ruang Pengurus", name_en="Board Room")
    asker, answerer = create_member(username="sari"), create_member(username="budi")
    private = TopicFactory(
        author=asker,
        category=room,
        title="Rencana rotasi staf sirkulasi tahun depan",
        tags=["rotasi-staf"],
    )
    ReplyFactory(topic=private, author=answerer)
    public = TopicFactory(author=create_member(), title="Cara menghitung denda keterlambatan")
    return {
        "room": room,
        "private": private,
        "public": public,
        "asker": asker,
        "answerer": answerer,
    }


def forum_pages(client, room) -> dict[str, str]:
    """Every page that lists topics, tags or counts, as this client sees them."""
    private = room["private"]
    pages = {
        "forum home": reverse("forum:home"),
        "asker's questions": reverse("forum:member_topics", args=[room["asker"].username]),
        "asker's profile": room["asker"].get_absolute_url(),
        "answerer's profile": room["answerer"].get_absolute_url(),
    }
    seen = {name: client.get(url) for name, url in pages.items()}
    assert all(r.status_code == 200 for r in seen.values())
    seen["tag"] = client.get(reverse("forum:tag", args=["rotasi-staf"]))
    seen["topic"] = client.get(private.get_absolute_url())
    seen["category"] = client.get(room["room"].get_absolute_url())
    return {name: r.content.decode() for name, r in seen.items()}


def profile_counts(html: str) -> list[int]:
    """Questions, answers, solutions given, helpful votes received."""
    stats = re.search(r'<dl class="stats">(.*?)</dl>', html, re.S)
    assert stats, "no forum activity on the profile"
    return [int(n) for n in re.findall(r"<dd>(\d+)</dd>", stats.group(1))]


def test_members_only_topics_are_invisible_to_visitors_in_pages_lists_and_counts(
    client, members_room
):
    room, private = members_room["room"], members_room["private"]

    pages = forum_pages(client, members_room)

    for name, html in pages.items():
        assert private.title not in html, f"the {name} page shows the members-only topic"
        assert room.display_name not in html, f"the {name} page shows the members-only category"
    assert members_room["public"].title in pages["forum home"]
    home = client.get(reverse("forum:home"))
    assert room not in home.context["categories"]
    assert [t.pk for t in home.context["latest"]] == [members_room["public"].pk]
    assert profile_counts(pages["asker's profile"]) == [0, 0, 0, 0]
    assert profile_counts(pages["answerer's profile"]) == [0, 0, 0, 0]
    # What a visitor may not see does not exist for them, like an unknown address.
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(room.get_absolute_url()).status_code == 404
    assert client.get(reverse("forum:tag", args=["rotasi-staf"])).status_code == 404
    assert client.get(reverse("forum:tag", args=["tidak-ada"])).status_code == 404


def test_members_see_the_members_only_category_everywhere(client, members_room):
    client.force_login(create_member())
    room, private = members_room["room"], members_room["private"]

    pages = forum_pages(client, members_room)

    for name in ("forum home", "tag", "asker's questions", "asker's profile", "topic", "category"):
        assert private.title in pages[name], f"the {name} page hides the topic from members"
    assert room.display_name in pages["forum home"]
    assert profile_counts(pages["asker's profile"]) == [1, 0, 0, 0]
    assert profile_counts(pages["answerer's profile"]) == [0, 1, 0, 0]


def test_tag_suggestions_do_not_reveal_tags_of_members_only_topics_to_visitors(
    client, members_room
):
    TopicFactory(tags=["rotasi-koleksi"])
    url = reverse("forum:tag_suggestions")

    assert client.get(url, {"q": "rotasi"}).json() == {"tags": ["rotasi-koleksi"]}

    client.force_login(create_member())
    assert sorted(client.get(url, {"q": "rotasi"}).json()["tags"]) == [
        "rotasi-koleksi",
        "rotasi-staf",
    ]
