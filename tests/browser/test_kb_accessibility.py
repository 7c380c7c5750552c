"""axe-core finds nothing to fix in the knowledge base: its home and indexes, a published
best-practice article (every kind of block), a published internship report with a photo (as a
visitor and as a member), the guided report form (also showing its errors), and "My
submissions" with a report in each state; the report also at the 320 px of a small phone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from wagtail.rich_text import RichText

from accounts import roles
from forum.models import Category
from kb import demo, services
from kb.models import ArticleIndexPage, ArticlePage, ReportPage
from tests.browser.test_accessibility import assert_no_axe_violations, sign_in
from tests.factories import LibraryFactory, UserFactory
from tests.kb.conftest import png

pytestmark = pytest.mark.browser


@dataclass
class Knowledge:
    author: object
    editor: object
    report: ReportPage
    article: ArticlePage


def librarian(name: str, **kwargs):
    kwargs.setdefault("date_joined", timezone.now() - datetime.timedelta(days=30))
    return UserFactory(librarian=True, name=name, **kwargs)


def report_data(host, *, title: str, photo=None) -> services.ReportData:
    photos = [{"image": photo, "alt": "Meja sirkulasi dengan daftar pengingat"}] if photo else []
    return services.ReportData(
        title=title,
        host_library=host,
        start_date=datetime.date(2026, 8, 3),
        end_date=datetime.date(2026, 8, 14),
        scheme="Program pembinaan pustakawan Kota Lubuklinggau",
        areas=[Category.objects.get(slug="layanan-pemustaka")],
        tags=["slims", "sirkulasi"],
        summary="Dua minggu di layanan sirkulasi: pengingat sebelum jatuh tempo dan laporan "
        "keterlambatan mingguan.",
        objectives="Belajar menata alur sirkulasi dengan SLiMS.",
        practices=[
            {
                "title": "Pengingat sebelum jatuh tempo",
                "description": "Dua hari sebelum jatuh tempo, petugas mengirim pesan singkat.",
                "why_it_works": "Kebanyakan pemustaka terlambat karena lupa.",
                "resources_and_cost": "Satu telepon layanan, sekitar Rp100.000 per bulan.",
                "prerequisites": "Nomor telepon pemustaka tercatat.",
                "photos": photos,
            },
            {
                "title": "Laporan keterlambatan setiap Senin",
                "description": "Kepala layanan membaca laporan bersama petugas.",
                "why_it_works": "Tugasnya jelas.",
                "resources_and_cost": "",
                "prerequisites": "",
                "photos": [],
            },
        ],
        adaptation_plan=[
            {
                "action": "Mencatat nomor WhatsApp anggota saat daftar ulang",
                "person_responsible": "Petugas keanggotaan",
                "timeline": "September–Oktober 2026",
                "resources": "Formulir persetujuan",
                "success_indicator": "80% anggota aktif punya nomor tercatat",
            }
        ],
        lessons_learned="Perubahan kecil yang konsisten lebih berhasil daripada denda.",
        contacts=[
            {
                "name": "Ibu Ratna",
                "role": "Kepala layanan sirkulasi",
                "email": "ratna@contoh.test",
                "phone": "0711 123456",
            }
        ],
    )


def submitted(author, data: services.ReportData) -> ReportPage:
    page = services.report_save_draft(author=author, data=data)
    services.report_submit(page=ReportPage.objects.get(pk=page.pk), by=author)
    return ReportPage.objects.get(pk=page.pk)


def review(page: ReportPage, editor, action: str, comment: str = "") -> ReportPage:
    """What the editor's workflow buttons in Wagtail's admin do."""
    task_state = page.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, editor, action, comment=comment)
    return ReportPage.objects.get(pk=page.pk)


def published_article(*, owner, editor, image, document, report: ReportPage) -> ArticlePage:
    """The demo's articles' blocks in one article, with an image and a document."""
    first, second = demo.ARTICLES
    body = [
        *first["body"],
        (
            "image",
            {"image": image, "alt": "Petugas menyusun daftar pengingat", "caption": "Meja layanan"},
        ),
        *second["body"][2:],
        ("paragraph", RichText("<p>Contoh surat pengingat terlampir.</p>")),
        ("document", {"document": document, "title": "Contoh surat pengingat"}),
    ]
    article = ArticlePage(
        title=first["title"],
        owner=owner,
        audience=first["audience"],
        summary=first["summary"],
        body=body,
        last_reviewed=datetime.date(2026, 11, 1),
        reviewer=editor,
    )
    article.areas = list(Category.objects.filter(slug__in=first["areas"]))
    article.tags.set(first["tags"])
    article.source_reports = [report]
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision(user=owner).publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def knowledge(settings, tmp_path) -> Knowledge:
    """A published report with a photo, and a published article drawn from it."""
    settings.MEDIA_ROOT = tmp_path
    author = librarian("Sari Wulandari")
    editor = librarian("Dewi Lestari", role=roles.EDITORS)
    host = LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan", city="Palembang")
    photo = services.image_from_upload(uploader=author, file=png("meja-sirkulasi.png"))
    report = submitted(
        author,
        report_data(
            host,
            title="Sirkulasi dengan SLiMS di Dinas Perpustakaan Provinsi Sumatera Selatan",
            photo=photo,
        ),
    )
    report = review(report, editor, "approve")
    document = services.document_from_upload(
        uploader=editor,
        file=SimpleUploadedFile(
            "contoh-surat.txt", b"Yth. Bapak/Ibu, buku Anda jatuh tempo lusa.\n"
        ),
    )
    article = published_article(
        owner=editor,
        editor=editor,
        image=services.image_from_upload(uploader=editor, file=png("meja.png", (1200, 800))),
        document=document,
        report=report,
    )
    return Knowledge(author=author, editor=editor, report=report, article=article)


def open_report(page: Page, report: ReportPage) -> None:
    page.goto(report.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(report.title)
    # The photo has loaded (lazily: it is below the fold).
    image = page.locator("#praktik-1 img")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0


@pytest.mark.parametrize(
    ("path", "lists"),
    [
        ("/kb/", "both"),
        ("/kb/praktik-baik/", "article"),
        ("/kb/laporan-magang/", "report"),
        ("/en/kb/", "both"),
    ],
    ids=["home", "articles", "reports", "home-en"],
)
def test_knowledge_base_home_and_indexes_have_no_axe_violations(
    page: Page, knowledge: Knowledge, path: str, lists: str
):
    page.goto(path)
    main = page.get_by_role("main")
    for kind in ("article", "report"):
        if lists in {kind, "both"}:
            title = getattr(knowledge, kind).title
            expect(main.get_by_role("link", name=title, exact=True)).to_be_visible()
    assert_no_axe_violations(page)


def test_knowledge_base_home_signed_in_has_no_axe_violations(
    page: Page, context: BrowserContext, live_server, knowledge: Knowledge
):
    sign_in(context, knowledge.author, live_server)
    page.goto("/kb/")
    expect(page.get_by_role("main").locator("a[href$='/kb/submissions/new/']")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("reader", ["visitor", "member", "editor"])
def test_published_article_has_no_axe_violations(
    page: Page, context: BrowserContext, live_server, knowledge: Knowledge, reader: str
):
    # A member gets the feedback form; an editor also the readers' answers so far.
    if reader != "visitor":
        sign_in(context, knowledge.editor if reader == "editor" else knowledge.author, live_server)
    page.goto(knowledge.article.url)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(knowledge.article.title)
    expect(main.locator(".kb-body table")).to_be_visible()
    image = main.locator(".kb-body figure img")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_published_report_with_a_photo_has_no_axe_violations(
    page: Page, context: BrowserContext, live_server, knowledge: Knowledge, reader: str
):
    if reader == "member":
        sign_in(context, librarian("Hendra Gunawan"), live_server)
    open_report(page, knowledge.report)
    contact = page.get_by_role("link", name="ratna@contoh.test")
    expect(contact).to_have_count(1 if reader == "member" else 0)
    assert_no_axe_violations(page)


def test_report_at_320px_has_no_axe_violations_and_no_sideways_scrolling(
    page: Page, context: BrowserContext, live_server, knowledge: Knowledge
):
    sign_in(context, librarian("Hendra Gunawan"), live_server)
    page.set_viewport_size({"width": 320, "height": 640})
    open_report(page, knowledge.report)
    assert_no_axe_violations(page)
    # WCAG's reflow criterion, which axe does not check: nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_submission_form_and_its_errors_have_no_axe_violations(
    page: Page, context: BrowserContext, live_server, page_problems, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan", city="Palembang")
    sign_in(context, librarian("Sari Wulandari"), live_server)
    page.goto("/kb/submissions/new/")
    assert_no_axe_violations(page)

    # Filled as the browser lets it through, wrong in what only the server checks: the last
    # day before the first, and a colleague who is not a member. The photo is kept.
    photo = tmp_path / "meja.png"
    photo.write_bytes(png().read())
    page.locator("#id_title").fill("Sirkulasi dengan SLiMS di perpustakaan provinsi")
    page.locator("#id_host_library").select_option(index=1)
    page.locator("#id_start_date").fill("2026-08-14")
    page.locator("#id_end_date").fill("2026-08-03")
    page.locator("#id_colleagues").fill("@bukan.anggota")
    page.locator("input[name=areas]").first.check()
    page.locator("#id_summary").fill("Dua minggu di layanan sirkulasi.")
    page.locator("#id_objectives").fill("Belajar alur sirkulasi dengan SLiMS.")
    page.locator("#id_practices-0-title").fill("Pengingat sebelum jatuh tempo")
    page.locator("#id_practices-0-description").fill("Petugas mengirim pesan singkat.")
    page.locator("#id_practices-0-why_it_works").fill("Kebanyakan pemustaka lupa.")
    page.locator("#id_practices-0-photo_1").set_input_files(photo)
    # The form comes back with 400 Bad Request, which the browser logs.
    page_problems.expect_http_error(f"{live_server.url}/kb/submissions/new/")
    page.locator("form.report-form button[type=submit][name=submit]").click()

    for field in ("end_date", "colleagues"):
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#id_{field}_error")).to_be_visible()
    expect(page.locator("#id_practices-0-photo_1_id")).to_have_value(re.compile(r"^\d+$"))
    assert_no_axe_violations(page)


def test_my_submissions_in_every_state_has_no_axe_violations(
    page: Page, context: BrowserContext, live_server
):
    author = librarian("Sari Wulandari")
    editor = librarian("Dewi Lestari", role=roles.EDITORS)
    host = LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan")
    services.report_save_draft(author=author, data=report_data(host, title="Draf laporan magang"))
    submitted(author, report_data(host, title="Laporan yang sedang ditinjau"))
    review(
        submitted(author, report_data(host, title="Laporan yang perlu diperbaiki")),
        editor,
        "reject",
        comment="Tambahkan foto meja sirkulasi.",
    )
    review(
        submitted(author, report_data(host, title="Laporan yang sudah terbit")), editor, "approve"
    )

    sign_in(context, author, live_server)
    page.goto("/kb/submissions/")
    for status in ("draft", "in_review", "needs_changes", "published"):
        expect(page.locator(f".submission .badge--{status}")).to_have_count(1)
    expect(page.locator(".submission--needs_changes")).to_contain_text(
        "Tambahkan foto meja sirkulasi."
    )
    assert_no_axe_violations(page)
