"""Moderation as members and moderators see it: flags and their queue, hiding, pinning,
locking, moving and merging, and the moderation log."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from forum import services
from forum.models import Flag, ModerationLog, Notification, Topic
from tests.forum.factories import (
    ReplyFactory,
    TopicFactory,
    competency_area,
    create_member,
    create_moderator,
    question_of,
)

pytestmark = pytest.mark.django_db


def indonesian(message: str, **values) -> str:
    with translation.override("id"):
        text = gettext(message)
    return text % values if values else text


def shows(response, text: str) -> bool:
    html = response.content.decode()
    return escape(text) in html


@pytest.fixture
def thread():
    """A question by Sari with answers by Budi and Dewi."""
    sari = create_member(username="sari", name="Sari Wulandari")
    budi = create_member(username="budi", name="Budi Santoso")
    dewi = create_member(username="dewi", name="Dewi Lestari")
    topic = TopicFactory(author=sari, title="Buku rusak terkena hujan di bus keliling")
    spam = ReplyFactory(topic=topic, author=budi, body="Beli sampul plastik murah di toko saya!")
    good = ReplyFactory(topic=topic, author=dewi, body="Keringkan dengan tisu, lalu press.")
    topic.refresh_from_db()
    return {"topic": topic, "spam": spam, "good": good, "sari": sari, "budi": budi, "dewi": dewi}


@pytest.fixture
def rahmat():
    return create_moderator(username="rahmat", name="Rahmat Hidayat")


def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


def flag(client, post, reason=Flag.Reason.SPAM, note=""):
    return client.post(reverse("forum:flag", args=[post.pk]), {"reason": reason, "note": note})


def queue_posts(response) -> list[str]:
    return re.findall(
        r'<article class="card flag-item">\s*<h2><a href="([^"]+)"', response.content.decode()
    )


# --- Flags --------------------------------------------------------------------------------------


def test_flagging_a_post_thanks_the_member(client, thread):
    client.force_login(thread["sari"])

    form = client.get(reverse("forum:flag", args=[thread["spam"].pk]))
    response = flag(client, thread["spam"], note="Iklan toko")

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == thread["spam"].get_absolute_url()
    followed = client.get(response["Location"], follow=True)
    assert shows(followed, indonesian("Thank you. A moderator will look at this post."))
    assert Flag.objects.get().note == "Iklan toko"


def test_a_flag_without_a_reason_is_refused_with_the_form_kept(client, thread):
    client.force_login(thread["sari"])

    response = client.post(reverse("forum:flag", args=[thread["spam"].pk]), {"note": "Iklan"})

    assert response.status_code == 400
    assert shows(response, "Iklan")
    assert not Flag.objects.exists()


def test_the_flag_queue_lists_each_flagged_post_once_and_nothing_else(client, thread, rahmat):
    for reporter in ("sari", "dewi"):
        client.force_login(thread[reporter])
        flag(client, thread["spam"])

    as_moderator(client, rahmat)
    response = client.get(reverse("forum:flags"))

    assert response.status_code == 200
    assert queue_posts(response) == [thread["spam"].get_absolute_url()]
    flags_link = re.search(
        rf'href="{reverse("forum:flags")}">[^<]*<span class="count">(\d+)</span>',
        response.content.decode(),
    )
    assert flags_link and flags_link.group(1) == "1"  # the header counts posts, not flags


def test_hiding_a_flagged_post_hides_it_from_readers_and_tells_its_author_why(
    client, thread, rahmat
):
    client.force_login(thread["sari"])
    flag(client, thread["spam"])
    as_moderator(client, rahmat)

    response = client.post(
        reverse("forum:flags_resolve", args=[thread["spam"].pk]),
        {"action": "hide", "reason": "Promosi dagangan"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:flags")
    assert thread["spam"].get_absolute_url() not in queue_posts(client.get(response["Location"]))
    client.logout()
    as_reader = client.get(thread["topic"].get_absolute_url())
    assert shows(as_reader, indonesian("Hidden by a moderator."))
    assert not shows(as_reader, "Beli sampul plastik murah")
    client.force_login(thread["budi"])
    as_author = client.get(thread["topic"].get_absolute_url())
    assert shows(as_author, "Beli sampul plastik murah")
    assert shows(
        as_author, indonesian("Hidden by a moderator: only you and the moderators see it.")
    )
    inbox = client.get(reverse("forum:notifications"))
    assert shows(inbox, indonesian("Reason: %(reason)s", reason="Promosi dagangan"))


def test_dismissing_flags_keeps_the_post_and_is_logged(client, thread, rahmat):
    client.force_login(thread["sari"])
    flag(client, thread["good"], reason=Flag.Reason.RUDE)
    as_moderator(client, rahmat)

    client.post(reverse("forum:flags_resolve", args=[thread["good"].pk]), {"action": "dismiss"})

    assert thread["good"].get_absolute_url() not in queue_posts(client.get(reverse("forum:flags")))
    assert shows(client.get(thread["topic"].get_absolute_url()), "Keringkan dengan tisu")
    log = client.get(reverse("forum:moderation_log"))
    assert shows(log, str(ModerationLog.Action.DISMISS_FLAGS.label))


# --- Hiding -------------------------------------------------------------------------------------


def test_a_moderator_hides_and_unhides_a_reply(client, thread, rahmat):
    as_moderator(client, rahmat)
    url = reverse("forum:post_moderate", args=[thread["spam"].pk])

    client.post(url, {"action": "hide", "reason": "Iklan"})
    client.logout()
    hidden = client.get(thread["topic"].get_absolute_url())
    as_moderator(client, rahmat)
    client.post(url, {"action": "unhide"})
    client.logout()
    shown_again = client.get(thread["topic"].get_absolute_url())

    assert not shows(hidden, "Beli sampul plastik murah")
    assert shows(shown_again, "Beli sampul plastik murah")
    told = Notification.objects.filter(recipient=thread["budi"], kind=Notification.Kind.MODERATION)
    assert list(told.values_list("action", flat=True)) == ["unhide", "hide"]


def test_hiding_a_question_takes_its_topic_out_of_the_lists(client, thread, rahmat):
    as_moderator(client, rahmat)

    client.post(
        reverse("forum:post_moderate", args=[question_of(thread["topic"]).pk]),
        {"action": "hide"},
    )

    client.logout()
    assert not shows(client.get(reverse("forum:home")), thread["topic"].title)
    assert not shows(client.get(competency_area().get_absolute_url()), thread["topic"].title)
    assert client.get(thread["topic"].get_absolute_url()).status_code == 404
    client.force_login(thread["sari"])
    assert client.get(thread["topic"].get_absolute_url()).status_code == 200


# --- Topics: pin, lock, move, merge -------------------------------------------------------------


def moderate(client, topic, **data):
    return client.post(reverse("forum:topic_moderate", args=[topic.pk]), data)


def test_the_moderation_page_offers_pin_lock_move_and_merge(client, thread, rahmat):
    as_moderator(client, rahmat)

    response = client.get(reverse("forum:topic_moderate", args=[thread["topic"].pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for value in ("pin", "lock", "move", "merge"):
        assert f'value="{value}"' in html


def test_pinning_puts_the_topic_at_the_head_of_its_category(client, thread, rahmat):
    TopicFactory(title="Pertanyaan yang lebih baru tentang rak")
    as_moderator(client, rahmat)

    response = moderate(client, thread["topic"], action="pin")

    assert response.status_code == 302
    listed = client.get(competency_area().get_absolute_url()).content.decode()
    assert listed.index(thread["topic"].title) < listed.index("Pertanyaan yang lebih baru")


def test_locking_stops_replies_and_says_so(client, thread, rahmat):
    as_moderator(client, rahmat)

    response = moderate(client, thread["topic"], action="lock")

    assert response.status_code == 302
    client.force_login(thread["dewi"])
    page = client.get(thread["topic"].get_absolute_url())
    assert shows(page, indonesian("This topic is locked: it takes no new replies."))
    assert reverse("forum:reply", args=[thread["topic"].pk]) not in page.content.decode()


def test_a_moderator_can_still_reply_to_a_locked_topic(client, thread, rahmat):
    services.topic_set_locked(topic=thread["topic"], by=rahmat, locked=True)
    as_moderator(client, rahmat)

    page = client.get(thread["topic"].get_absolute_url())

    assert f'action="{reverse("forum:reply", args=[thread["topic"].pk])}"' in page.content.decode()


def test_moving_a_topic_moves_it_between_lists_and_counts_and_tells_the_asker(
    client, thread, rahmat
):
    technology = competency_area("teknologi-informasi")
    as_moderator(client, rahmat)

    response = moderate(client, thread["topic"], action="move", category=technology.pk)

    assert response.status_code == 302
    assert shows(client.get(technology.get_absolute_url()), thread["topic"].title)
    assert not shows(client.get(competency_area().get_absolute_url()), thread["topic"].title)
    home = {c.slug: c for c in client.get(reverse("forum:home")).context["categories"]}
    assert (home["teknologi-informasi"].topic_count, home["layanan-pemustaka"].topic_count) == (
        1,
        0,
    )
    client.force_login(thread["sari"])
    inbox = client.get(reverse("forum:notifications"))
    assert shows(
        inbox,
        indonesian(
            "A moderator moved “%(title)s” to %(place)s",
            title=thread["topic"].title,
            place=technology.name,
        ),
    )


def test_merging_moves_the_posts_to_the_end_of_the_other_topic(client, thread, rahmat):
    kept = TopicFactory(title="Buku basah: cara mengeringkan", replies=1)
    as_moderator(client, rahmat)

    response = moderate(client, thread["topic"], action="merge", target=kept.pk)

    assert response.status_code == 302
    assert response["Location"] == kept.get_absolute_url()
    html = client.get(kept.get_absolute_url()).content.decode()
    assert re.findall(r'id="post-(\d+)"', html) == ["1", "2", "3", "4", "5"]
    assert html.index("Beli sampul plastik murah") < html.index("Keringkan dengan tisu")
    assert client.get(thread["topic"].get_absolute_url())["Location"] == kept.get_absolute_url()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "Choose another topic to merge into."),
        (9999, "There is no topic with that number."),
    ],
)
def test_merging_into_a_wrong_topic_says_why(client, thread, rahmat, target, message):
    as_moderator(client, rahmat)
    target = thread["topic"].pk if target == "self" else target

    response = moderate(client, thread["topic"], action="merge", target=target)

    assert response.status_code == 400
    assert shows(response, indonesian(message))
    assert Topic.objects.get(pk=thread["topic"].pk).merged_into is None


def test_the_moderation_log_records_who_did_what_where(client, thread, rahmat):
    services.topic_set_pinned(topic=thread["topic"], by=rahmat, pinned=True)
    services.post_hide(post=thread["spam"], by=rahmat, reason="Iklan berulang")
    as_moderator(client, rahmat)

    html = client.get(reverse("forum:moderation_log")).content.decode()

    rows = re.findall(r"<tr><td>.*?</tr>", html, re.S)
    assert len(rows) == 2
    assert escape(str(rahmat)) in rows[0] and escape(str(rahmat)) in rows[1]
    with translation.override("id"):
        hidden, pinned = str(ModerationLog.Action.HIDE.label), str(ModerationLog.Action.PIN.label)
    assert f"{escape(hidden)}: Iklan berulang" in rows[0]
    assert escape(pinned) in rows[1]
    assert escape(thread["topic"].title) in rows[1]


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("Iklan " * 60, "Pastikan nilai ini mengandung paling banyak 300 karakter"),
        ("Iklan\x00toko", "Karakter null tidak diizinkan"),
    ],
)
@pytest.mark.parametrize("where", ["post_moderate", "flags_resolve"])
def test_a_hide_reason_the_author_cannot_be_shown_is_refused_with_the_form_kept(
    client, thread, rahmat, reason, error, where
):
    as_moderator(client, rahmat)

    response = client.post(
        reverse(f"forum:{where}", args=[thread["spam"].pk]), {"action": "hide", "reason": reason}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert escape(reason.replace("\x00", "")[:40]) in html.replace("\x00", "")
    thread["spam"].refresh_from_db()
    assert not thread["spam"].is_hidden
