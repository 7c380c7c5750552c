"""Asking, replying, editing and deleting through the forms, as a member meets them: limits and
their messages, the preview, attachments, quoting, and the posting rate limit."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from forum import services
from forum.models import Attachment, Post, Topic
from forum.ratelimits import RateLimited
from forum.uploads import UploadRejected, process_upload
from tests.forum.factories import (
    ReplyFactory,
    TopicFactory,
    competency_area,
    create_member,
    create_moderator,
    create_newcomer,
    exe_file,
    pdf_file,
    png_file,
    question_of,
)

pytestmark = pytest.mark.django_db


TITLE = "Bagaimana menata rak buku anak yang sempit?"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sari(client):
    sari = create_member(username="sari")
    client.force_login(sari)
    return sari


def indonesian(message: str, **values) -> str:
    """A message as the site's default language shows it."""
    with translation.override("id"):
        text = gettext(message)
    return text % values if values else text


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def question(**overrides) -> dict:
    data = {
        "title": TITLE,
        "category": competency_area().pk,
        "body": "Ruang baca anak kami hanya 3 x 4 meter. Ada saran penataan?",
        "tags": "ruang-anak, rak",
    }
    data.update(overrides)
    return data


def ask(client, **overrides):
    return client.post(reverse("forum:ask"), question(**overrides))


# --- Asking -------------------------------------------------------------------------------------


def test_asking_leads_to_the_new_topic(client, sari):
    response = ask(client, body="Ruangnya **sempit** sekali.")

    topic = Topic.objects.get(title=TITLE)
    assert response.status_code == 302
    assert response["Location"] == topic.get_absolute_url()
    page = client.get(response["Location"])
    assert shows(page, TITLE)
    assert "Ruangnya <strong>sempit</strong> sekali." in page.content.decode()
    assert shows(page, "#ruang-anak") and shows(page, "#rak")
    assert shows(page, indonesian("Your question is posted. Colleagues will be notified."))


def django_length_message(validator, limit: int, length: int) -> str:
    with translation.override("id"):
        return str(validator(limit).message % {"limit_value": limit, "show_value": length})


LIMITS = {
    "title too short": (
        "title",
        {"title": "Rak buku?"},
        lambda: django_length_message(MinLengthValidator, 10, 9),
    ),
    "title short once its spaces are collapsed": (
        "title",
        {"title": "Buku     rak"},
        lambda: indonesian(
            "The question must be %(min)d to %(max)d characters long.", min=10, max=200
        ),
    ),
    "title too long": (
        "title",
        {"title": "Rak " * 50 + "buku"},
        lambda: django_length_message(MaxLengthValidator, 200, 204),
    ),
    "body too long": (
        "body",
        {"body": "Panjang. " * 5556},
        lambda: django_length_message(MaxLengthValidator, 50_000, 50_004),
    ),
    "body only whitespace": (
        "body",
        {"body": "   \n\t  \n "},
        lambda: indonesian("Write something first: the text is empty."),
    ),
    "six tags": (
        "tags",
        {"tags": "slims, sirkulasi, rak, anak, denda, label"},
        lambda: indonesian("At most %(max)d tags.", max=5),
    ),
}


@pytest.mark.parametrize(("field", "typed", "message"), LIMITS.values(), ids=LIMITS.keys())
def test_asking_beyond_a_limit_says_why_and_keeps_what_was_typed(
    client, sari, field, typed, message
):
    data = question(**typed)

    response = client.post(reverse("forum:ask"), data)

    assert response.status_code == 400
    assert not Topic.objects.exists()
    assert response.context["form"].errors[field] == [message()]
    html = response.content.decode()
    errors = re.search(rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors, f"no error shown at the {field} field"
    assert escape(message()) in errors.group(1)
    assert f'value="{escape(data["title"])}"' in html
    assert f">\n{escape(data['body'])}</textarea>" in html
    assert f'value="{escape(data["tags"])}"' in html


def test_limit_messages_are_indonesian_at_the_plain_address_and_english_under_en(client, sari):
    collapsed = {"title": "Buku     rak"}
    with translation.override("en"):
        english_url = reverse("forum:ask")
        english = gettext("The question must be %(min)d to %(max)d characters long.") % {
            "min": 10,
            "max": 200,
        }
    indonesian_message = indonesian(
        "The question must be %(min)d to %(max)d characters long.", min=10, max=200
    )

    in_indonesian = client.post(reverse("forum:ask"), question(**collapsed))
    in_english = client.post(english_url, question(**collapsed))

    assert english_url.startswith("/en/")
    assert indonesian_message != english, "the message has no Indonesian translation"
    assert shows(in_indonesian, indonesian_message)
    assert shows(in_english, english)


def test_the_preview_shows_the_rendered_text_and_keeps_it_in_the_form(client, sari):
    body = "Coba **rak dinding** dan\n\n- kotak buku\n- karpet baca"

    response = ask(client, body=body, preview="1")

    assert response.status_code == 200
    html = response.content.decode()
    preview = re.search(r'<div class="preview".*?</div></div>', html, re.S).group(0)
    assert "<strong>rak dinding</strong>" in preview
    assert "<li>kotak buku</li>" in preview
    assert f">\n{escape(body)}</textarea>" in html
    assert not Topic.objects.exists()


def test_the_preview_address_renders_like_a_saved_post(client, sari):
    response = client.post(reverse("forum:preview"), {"body": "Halo _rekan_ <script>x</script>"})

    assert response.status_code == 200
    assert "<em>rekan</em>" in response.content.decode()
    assert "<script>" not in response.content.decode()


# --- Attachments --------------------------------------------------------------------------------


def test_a_screenshot_attached_to_a_question_is_shown_and_served_safely(client, sari):
    ask(client, files=png_file("layar slims.png"))
    picture = Attachment.objects.get()
    topic = Topic.objects.get()

    page = client.get(topic.get_absolute_url()).content.decode()
    client.logout()
    served = client.get(picture.get_absolute_url())

    assert picture.post == question_of(topic)
    assert f'<img src="{picture.get_absolute_url()}"' in page
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")


def test_a_document_is_served_as_a_download(client, sari):
    ask(client, files=pdf_file("tata-tertib.pdf"))
    document = Attachment.objects.get()

    page = client.get(Topic.objects.get().get_absolute_url()).content.decode()
    served = client.get(document.get_absolute_url())

    assert f'href="{document.get_absolute_url()}" download>' in page
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == 'attachment; filename="tata-tertib.pdf"'
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


def test_a_file_serambi_does_not_take_is_refused_and_the_rest_is_kept(client, sari):
    with pytest.raises(UploadRejected) as rejected, translation.override("id"):
        process_upload(exe_file())
    body = "Ruang baca anak kami hanya 3 x 4 meter."

    response = ask(client, body=body, files=exe_file("pemasang.exe"))

    assert response.status_code == 400
    assert shows(response, f"pemasang.exe: {rejected.value.message}")
    assert f'value="{escape(TITLE)}"' in response.content.decode()
    assert f">\n{escape(body)}</textarea>" in response.content.decode()
    assert not Topic.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_sent_with_a_failed_submit_is_kept_and_attached_on_the_next(client, sari):
    failed = ask(client, title="Rak?", files=png_file())
    pending = Attachment.objects.get()

    assert failed.status_code == 400
    assert pending.post is None and pending.uploader == sari
    assert f'<input type="hidden" name="pending" value="{pending.pk}">' in failed.content.decode()

    fixed = client.post(reverse("forum:ask"), {**question(), "pending": str(pending.pk)})

    assert fixed.status_code == 302
    pending.refresh_from_db()
    assert pending.post == question_of(Topic.objects.get())
    page = client.get(fixed["Location"]).content.decode()
    assert f'<img src="{pending.get_absolute_url()}"' in page


def test_nobody_attaches_another_member_s_pending_upload(client, sari):
    ask(client, title="Rak?", files=png_file())
    theirs = Attachment.objects.get()
    client.force_login(create_member())

    response = client.post(reverse("forum:ask"), {**question(), "pending": str(theirs.pk)})

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.post is None
    assert client.get(theirs.get_absolute_url()).status_code == 404


# --- Replying -----------------------------------------------------------------------------------


@pytest.fixture
def topic():
    return TopicFactory(author=create_member(username="budi"))


def test_a_reply_leads_to_itself_in_the_thread(client, sari, topic):
    response = client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": "Pakai rak **beroda**."}
    )

    reply = Post.objects.get(topic=topic, position=2)
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Pakai rak <strong>beroda</strong>." in page


def form_key(page) -> str:
    """The one-time key of the form on a page, as the browser sends it back."""
    match = re.search(r'name="submission_key" value="([^"]+)"', page.content.decode())
    assert match, "the form carries no one-time key"
    return match.group(1)


def test_the_same_reply_form_sent_twice_posts_once_and_shows_that_reply(client, sari, topic):
    key = form_key(client.get(topic.get_absolute_url()))
    data = {"body": "Dikirim dua kali dari ponsel.", "submission_key": key}

    first = client.post(reverse("forum:reply", args=[topic.pk]), data)
    again = client.post(reverse("forum:reply", args=[topic.pk]), data)

    [reply] = Post.objects.filter(topic=topic, position__gt=1)
    assert first["Location"] == again["Location"] == reply.get_absolute_url()
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_the_same_question_form_sent_twice_asks_once(client, sari):
    key = form_key(client.get(reverse("forum:ask")))

    first = ask(client, submission_key=key)
    again = ask(client, submission_key=key)

    [topic] = Topic.objects.all()
    assert first["Location"] == again["Location"] == topic.get_absolute_url()


def test_two_forms_with_the_same_text_post_twice(client, sari, topic):
    # Saying the same thing again on purpose (a new form) is not a double submit.
    for _ in range(2):
        key = form_key(client.get(topic.get_absolute_url()))
        client.post(
            reverse("forum:reply", args=[topic.pk]), {"body": "Setuju.", "submission_key": key}
        )

    assert Post.objects.filter(topic=topic, source="Setuju.").count() == 2


def test_an_empty_reply_is_refused_in_place_on_the_topic_page(client, sari, topic):
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "  \n "})

    assert response.status_code == 400
    assert shows(response, indonesian("Write something first: the text is empty."))
    assert shows(response, topic.title)
    assert topic.posts.count() == 1


def test_quote_starts_the_reply_with_the_quoted_post(client, sari, topic):
    answer = ReplyFactory(
        topic=topic, author=create_member(username="dewi"), body="Baris satu.\nBaris dua."
    )

    response = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": answer.pk})

    assert response.status_code == 200
    quoted = indonesian("@%(username)s wrote:", username="dewi") + "\n> Baris satu.\n> Baris dua."
    assert f">\n{escape(quoted)}" in response.content.decode()


@pytest.mark.parametrize("number", ["²", "abc", "99999999999999999999999", "424242", ""])
def test_a_quote_of_a_post_that_is_not_there_starts_an_empty_reply_with_a_word(
    client, sari, topic, number
):
    response = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": number})

    assert response.status_code == 200
    html = response.content.decode()
    assert "></textarea>" in html.replace("\n", "")
    assert indonesian("The post you wanted to quote is no longer there.") in html


def test_a_quote_of_a_hidden_post_does_not_copy_it(client, sari, topic):
    hidden = ReplyFactory(topic=topic, body="Teks yang disembunyikan moderator.")
    services.post_hide(post=hidden, by=create_moderator())

    response = client.get(reverse("forum:reply", args=[topic.pk]), {"quote": hidden.pk})

    assert response.status_code == 200
    assert "Teks yang disembunyikan" not in response.content.decode()


def test_a_pending_upload_id_that_is_not_a_number_is_ignored(client, sari):
    client.raise_request_exception = False

    response = client.post(reverse("forum:ask"), {**question(), "pending": ["²", "x"]})

    assert response.status_code == 302
    assert Topic.objects.get().title == TITLE


def test_after_a_vote_the_member_returns_to_the_page_never_to_another_site(client, sari):
    post = ReplyFactory()
    url = reverse("forum:helpful", args=[post.pk])

    back = client.post(url, {"next": f"{post.topic.get_absolute_url()}?page=1"})
    away = client.post(url, {"next": "https://contoh-jahat.test/"})
    sneaky = client.post(url, {"next": "//contoh-jahat.test/"})

    assert back["Location"] == f"{post.topic.get_absolute_url()}?page=1"
    assert away["Location"] == sneaky["Location"] == post.get_absolute_url()


# Limits count in fixed ten-minute windows (forum.ratelimits); the clock stands still at the
# start of one, so that all six posts fall into it and the wait is exactly ten minutes.
WINDOW_START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(WINDOW_START, tick=False)
def test_the_sixth_reply_in_ten_minutes_from_a_new_account_waits_and_keeps_the_text(client, topic):
    client.force_login(create_newcomer())
    url = reverse("forum:reply", args=[topic.pk])

    statuses = [client.post(url, {"body": f"Balasan ke-{n}"}).status_code for n in range(1, 6)]
    sixth = client.post(url, {"body": "Balasan keenam, jangan hilang."})

    assert statuses == [302] * 5
    assert sixth.status_code == 429
    with translation.override("id"):
        assert shows(sixth, str(RateLimited(minutes=10)))
    assert f">\n{escape('Balasan keenam, jangan hilang.')}</textarea>" in sixth.content.decode()
    assert topic.posts.count() == 6


# --- Editing and deleting -----------------------------------------------------------------------


def test_the_author_edits_a_question_and_readers_see_the_earlier_version(client, sari):
    topic = TopicFactory(author=sari, title="Rak buku anak terlalu tinggi", tags=["rak"])
    url = reverse("forum:post_edit", args=[question_of(topic).pk])

    form = client.get(url)
    saved = client.post(
        url, {"title": "Rak buku anak terlalu tinggi untuk balita", "body": "Baru.", "tags": "rak"}
    )

    assert form.status_code == 200
    assert 'value="Rak buku anak terlalu tinggi"' in form.content.decode()
    assert saved.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Rak buku anak terlalu tinggi untuk balita"
    page = client.get(topic.get_absolute_url())
    assert shows(page, "Rak buku anak terlalu tinggi untuk balita")
    history = client.get(reverse("forum:post_history", args=[question_of(topic).pk]))
    assert shows(history, "Rak buku anak terlalu tinggi")  # the earlier title
    assert shows(history, indonesian("Version %(number)s", number=1))


def test_an_edit_beyond_a_limit_says_why_and_keeps_what_was_typed(client, sari):
    reply = ReplyFactory(author=sari, body="Jawaban awal.")

    response = client.post(reverse("forum:post_edit", args=[reply.pk]), {"body": " \n "})

    assert response.status_code == 400
    assert shows(response, indonesian("Write something first: the text is empty."))
    reply.refresh_from_db()
    assert reply.source == "Jawaban awal."


def test_a_deleted_reply_stays_in_the_thread_as_deleted_by_its_author(client, sari):
    reply = ReplyFactory(author=sari, body="Jawaban yang saya tarik kembali.")

    response = client.post(reverse("forum:post_delete", args=[reply.pk]))

    assert response.status_code == 302
    client.force_login(create_member())
    page = client.get(reply.topic.get_absolute_url())
    assert shows(page, indonesian("Deleted by its author."))
    assert not shows(page, "Jawaban yang saya tarik kembali.")
