"""axe-core finds nothing to fix on the forum's pages: the home, a competency area's list, a
solved topic (with a reply, tags, a screenshot, a table and code), the ask form, and the topic
as members see it with their action buttons, also at the 320 px of a small phone."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from forum import services
from forum.models import Category, Topic
from tests.browser.test_accessibility import assert_no_axe_violations, sign_in
from tests.browser.test_forum_journey import librarian

pytestmark = pytest.mark.browser

QUESTION = """Beberapa pemustaka **selalu terlambat** mengembalikan buku. Tarif denda kami:

| Koleksi | Denda per hari |
| --- | --- |
| Buku umum | Rp500 |
| Buku referensi | Rp1.000 |

Yang sudah saya coba:

- mengingatkan lewat WhatsApp
- memperpanjang masa pinjam

Tangkapan layar laporan keterlambatan di SLiMS terlampir."""
ANSWER = """Kami memasang pengingat otomatis di SLiMS, tiga hari sebelum jatuh tempo:

```
php /var/www/slims/lib/cron/reminder.php --hari=3 --kirim-lewat=surel,whatsapp
```

Panduannya di https://slims.web.id/docs/pengingat-jatuh-tempo-otomatis-untuk-anggota-perpustakaan"""


def screenshot_png() -> bytes:
    """A wide screenshot, as a phone or a desktop would take one."""
    out = io.BytesIO()
    Image.new("RGB", (1200, 500), (230, 240, 236)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def solved_topic(settings, tmp_path) -> Topic:
    """A question with tags and a screenshot; the first of two answers solved it."""
    settings.MEDIA_ROOT = tmp_path
    asker = librarian("Rina Marlina")
    colleague = librarian("Dedi Kurniawan")
    another = librarian("Yuliana Sari")
    image = services.attachment_upload(
        uploader=asker,
        file=SimpleUploadedFile("laporan-keterlambatan.png", screenshot_png(), "image/png"),
    )
    topic = services.topic_create(
        author=asker,
        category=Category.objects.get(slug="layanan-pemustaka"),
        title="Bagaimana menangani pemustaka yang sering terlambat mengembalikan buku?",
        body=QUESTION,
        tags=["sirkulasi", "denda"],
        attachment_ids=[image.pk],
    )
    answer = services.reply_create(author=colleague, topic=topic, body=ANSWER)
    services.reply_create(
        author=another, topic=topic, body="Kami juga menghapus denda saat **Hari Kunjung**."
    )
    services.post_toggle_helpful(post=answer, user=another)
    services.topic_mark_solution(topic=topic, post=answer, by=asker)
    return topic


def open_topic(page: Page, topic: Topic) -> None:
    page.goto(topic.get_absolute_url())
    expect(page.locator("#post-1 + [data-solution] > section.solution")).to_be_visible()
    # The screenshot has loaded (lazily: it is below the fold on a phone).
    image = page.locator("#post-1 .attachments img")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1200


def test_forum_home_has_no_axe_violations(page: Page, solved_topic: Topic):
    page.goto("/forum/")
    expect(page.locator(".topic-row .badge--solved")).to_have_count(1)
    assert_no_axe_violations(page)


def test_topic_list_has_no_axe_violations(page: Page, solved_topic: Topic):
    page.goto(solved_topic.category.get_absolute_url())
    expect(page.locator(".topic-row .badge--solved")).to_have_count(1)
    assert_no_axe_violations(page)


def test_solved_topic_has_no_axe_violations(page: Page, solved_topic: Topic):
    open_topic(page, solved_topic)
    assert_no_axe_violations(page)


def test_ask_form_and_its_preview_have_no_axe_violations(
    page: Page, context: BrowserContext, live_server
):
    sign_in(context, librarian("Rina Marlina"), live_server)
    page.goto("/forum/ask/")
    assert_no_axe_violations(page)
    page.locator("#id_body").fill(QUESTION)
    page.locator("button[name=preview]").click()
    expect(page.locator("[data-preview-target] table")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("member", ["asker", "colleague"])
def test_topic_signed_in_with_the_action_buttons_has_no_axe_violations(
    page: Page, context: BrowserContext, live_server, solved_topic: Topic, member: str
):
    reader = solved_topic.author if member == "asker" else librarian("Hendra Gunawan")
    sign_in(context, reader, live_server)
    open_topic(page, solved_topic)
    expect(page.locator("#post-2 button[formaction$='/helpful/']")).to_be_visible()
    expect(page.locator(".reply textarea[name=body]")).to_be_visible()
    if member == "asker":
        expect(page.locator("button[formaction$='/solution/']")).to_have_count(2)
    assert_no_axe_violations(page)


def test_topic_at_320px_has_no_axe_violations_and_no_sideways_scrolling(
    page: Page, context: BrowserContext, live_server, solved_topic: Topic
):
    sign_in(context, solved_topic.author, live_server)
    page.set_viewport_size({"width": 320, "height": 640})
    open_topic(page, solved_topic)
    assert_no_axe_violations(page)
    # WCAG's reflow criterion, which axe does not check: nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
