"""Demo knowledge for `manage.py seed_demo`: published internship reports and best-practice
articles in Indonesian. Idempotent: a page whose title exists is left alone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.text import slugify
from wagtail.rich_text import RichText

from accounts.models import Library, User
from forum.models import Category, Topic
from kb.models import ArticleIndexPage, ArticlePage, ReportIndexPage, ReportPage

REPORTS = [
    {
        "title": "Sirkulasi dengan SLiMS di Dinas Perpustakaan Provinsi Sumatera Selatan",
        "owner": "sari",
        "colleagues": ["andi"],
        "host": "Dinas Perpustakaan Provinsi Sumatera Selatan",
        "start": datetime.date(2026, 8, 3),
        "end": datetime.date(2026, 8, 14),
        "scheme": "Program pembinaan pustakawan Kota Lubuklinggau",
        "areas": ["teknologi-informasi", "layanan-pemustaka"],
        "tags": ["slims", "sirkulasi", "keterlambatan"],
        "summary": "Dua minggu di layanan sirkulasi perpustakaan provinsi: peminjaman mandiri "
        "dengan SLiMS, pengingat otomatis sebelum jatuh tempo, dan laporan keterlambatan "
        "mingguan yang membuat denda jarang diperlukan.",
        "objectives": "Belajar menata alur sirkulasi dengan SLiMS, dari pendaftaran anggota "
        "sampai laporan keterlambatan, dan melihat cara petugas menangani pemustaka yang "
        "terlambat tanpa membuat mereka enggan datang lagi.",
        "practices": [
            {
                "title": "Pengingat sebelum jatuh tempo",
                "description": "Dua hari sebelum jatuh tempo, petugas mengirim pesan singkat dari "
                "daftar yang dicetak SLiMS setiap pagi. Pesannya ramah dan menyebut judul buku.",
                "why_it_works": "Kebanyakan pemustaka terlambat karena lupa, bukan karena enggan. "
                "Pengingat lebih murah daripada menagih denda.",
                "resources_and_cost": "Satu telepon genggam layanan dan paket data, sekitar "
                "Rp100.000 per bulan.",
                "prerequisites": "Nomor telepon pemustaka dicatat saat pendaftaran, dengan "
                "persetujuan mereka.",
                "photos": [],
            },
            {
                "title": "Laporan keterlambatan setiap Senin",
                "description": "Setiap Senin, kepala layanan membaca laporan keterlambatan SLiMS "
                "bersama petugas dan membagi siapa menghubungi siapa.",
                "why_it_works": "Tugas jelas, tidak ada yang merasa sungkan sendirian menagih.",
                "resources_and_cost": "",
                "prerequisites": "SLiMS dengan modul sirkulasi aktif.",
                "photos": [],
            },
        ],
        "plan": [
            {
                "action": "Mencatat nomor WhatsApp anggota saat daftar ulang",
                "person_responsible": "Petugas keanggotaan",
                "timeline": "September–Oktober 2026",
                "resources": "Formulir persetujuan",
                "success_indicator": "80% anggota aktif punya nomor tercatat",
            },
            {
                "action": "Memulai pengingat dua hari sebelum jatuh tempo",
                "person_responsible": "Sari Wulandari",
                "timeline": "Mulai November 2026",
                "resources": "Telepon layanan",
                "success_indicator": "Keterlambatan turun separuh dalam tiga bulan",
            },
        ],
        "lessons": "Perubahan kecil yang konsisten lebih berhasil daripada aturan denda yang "
        "lebih keras.",
        "contacts": [
            {
                "name": "Ibu Ratna",
                "role": "Kepala layanan sirkulasi",
                "email": "ratna@contoh.test",
                "phone": "",
            },
        ],
        "follow_up": ReportPage.FollowUp.IN_PROGRESS,
    },
    {
        "title": "Kelas literasi informasi bersama guru di SMA Negeri 1 Lubuklinggau",
        "owner": "budi",
        "colleagues": [],
        "host": "Perpustakaan SMA Negeri 1 Lubuklinggau",
        "start": datetime.date(2026, 7, 13),
        "end": datetime.date(2026, 7, 17),
        "scheme": "Magang antarperpustakaan sekolah",
        "areas": ["literasi-informasi", "kerja-sama-sekolah-kampus"],
        "tags": ["literasi", "sekolah"],
        "summary": "Satu minggu mengikuti program literasi informasi yang menyatu dengan tugas "
        "mata pelajaran: pustakawan dan guru merancang tugas bersama.",
        "objectives": "Melihat cara perpustakaan sekolah bekerja sama dengan guru agar kelas "
        "literasi menjadi bagian dari pelajaran, bukan acara tambahan.",
        "practices": [
            {
                "title": "Tugas yang dirancang bersama guru",
                "description": "Guru IPS memberi tugas poster sejarah daerah; pustakawan mengajar "
                "dua pertemuan tentang mencari dan menilai sumber.",
                "why_it_works": "Nilainya dari guru, jadi siswa sungguh-sungguh; pustakawan "
                "mendapat tempat di kurikulum.",
                "resources_and_cost": "Dua jam pelajaran, lembar kerja fotokopi.",
                "prerequisites": "Satu guru yang bersedia menjadi mitra.",
                "photos": [],
            },
        ],
        "plan": [
            {
                "action": "Menawarkan satu tugas bersama kepada guru Bahasa Indonesia",
                "person_responsible": "Budi Santoso",
                "timeline": "Semester ganjil 2026/2027",
                "resources": "Lembar kerja cek sumber",
                "success_indicator": "Satu kelas menyelesaikan tugas dengan daftar pustaka",
            },
        ],
        "lessons": "Mulailah dari satu guru yang antusias; hasilnya menular.",
        "contacts": [],
        "follow_up": ReportPage.FollowUp.PLANNED,
    },
]

ARTICLES = [
    {
        "title": "Mengurangi keterlambatan pengembalian buku tanpa menambah denda",
        "owner": "dewi",
        "audience": ArticlePage.Audience.FRONT_DESK,
        "areas": ["layanan-pemustaka"],
        "tags": ["keterlambatan", "sirkulasi"],
        "summary": "Langkah sederhana yang terbukti di beberapa perpustakaan: pengingat, urutan "
        "tindak lanjut yang sama untuk semua petugas, dan pekan bebas denda sekali setahun.",
        "body": [
            ("heading", {"text": "Mengapa pemustaka terlambat"}),
            (
                "paragraph",
                RichText(
                    "<p>Kebanyakan pemustaka terlambat karena <b>lupa</b>. "
                    "Denda yang lebih besar jarang menolong.</p>"
                ),
            ),
            ("heading", {"text": "Langkah-langkah"}),
            (
                "steps",
                [
                    RichText("<p>Kirim pengingat dua hari sebelum jatuh tempo.</p>"),
                    RichText("<p>Telepon setelah tujuh hari terlambat.</p>"),
                    RichText("<p>Kirim surat resmi setelah tiga puluh hari.</p>"),
                ],
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "text": RichText(
                        "<p>Sepakati urutan ini bersama semua "
                        "petugas, supaya tidak ada yang sungkan.</p>"
                    ),
                },
            ),
            (
                "checklist",
                [
                    "Nomor telepon anggota tercatat",
                    "Laporan keterlambatan dibaca setiap Senin",
                    "Pekan bebas denda dijadwalkan",
                ],
            ),
        ],
        "sources": {
            "reports": ["Sirkulasi dengan SLiMS di Dinas Perpustakaan Provinsi Sumatera Selatan"],
            "topics": ["Bagaimana menangani pemustaka yang selalu terlambat mengembalikan buku?"],
        },
    },
    {
        "title": "Merancang kelas literasi informasi bersama guru",
        "owner": "dewi",
        "audience": ArticlePage.Audience.SCHOOL,
        "areas": ["literasi-informasi", "kerja-sama-sekolah-kampus"],
        "tags": ["literasi", "sekolah"],
        "summary": "Kelas literasi yang berhasil menyatu dengan tugas mata pelajaran. Begini cara "
        "memulainya dengan satu guru.",
        "body": [
            ("heading", {"text": "Mulai dari satu guru"}),
            (
                "paragraph",
                RichText(
                    "<p>Tawarkan bantuan untuk satu tugas yang sudah ada, bukan program baru.</p>"
                ),
            ),
            ("heading", {"text": "Contoh jadwal"}),
            (
                "table",
                {
                    "columns": [
                        {"type": "text", "heading": "Pertemuan"},
                        {"type": "text", "heading": "Isi"},
                    ],
                    "rows": [
                        {"values": ["1", "Mencari di katalog dan internet"]},
                        {"values": ["2", "Menilai sumber dan menulis daftar pustaka"]},
                    ],
                },
            ),
            (
                "callout",
                {"kind": "warning", "text": RichText("<p>Jangan menjadwalkan di pekan ujian.</p>")},
            ),
        ],
        "sources": {
            "reports": ["Kelas literasi informasi bersama guru di SMA Negeri 1 Lubuklinggau"],
            "topics": [],
        },
    },
]


def _categories(slugs):
    return list(Category.objects.filter(slug__in=slugs))


def _publish(index, page, owner, editor):
    """Written by its owner, published by an editor: as it happens on the site."""
    page.owner = owner
    page.slug = slugify(page.title)[:80]
    index.add_child(instance=page)
    page.save_revision(user=owner).publish(user=editor)


@transaction.atomic
def seed(*, out) -> list[str]:
    members = {u.username: u for u in User.objects.all()}
    report_index, article_index = ReportIndexPage.objects.first(), ArticleIndexPage.objects.first()
    if not (report_index and article_index and {"sari", "budi", "dewi"} <= set(members)):
        out("skipped: the knowledge base tree or the demo members are missing")
        return []
    new_reports = 0
    for item in REPORTS:
        if ReportPage.objects.filter(title=item["title"]).exists():
            continue
        owner = members[item["owner"]]
        page = ReportPage(
            title=item["title"],
            host_library=Library.objects.get(name=item["host"]),
            start_date=item["start"],
            end_date=item["end"],
            scheme=item["scheme"],
            summary=item["summary"],
            objectives=item["objectives"],
            practices=[("practice", p) for p in item["practices"]],
            adaptation_plan=[("step", s) for s in item["plan"]],
            lessons_learned=item["lessons"],
            contacts=[("contact", c) for c in item["contacts"]],
            follow_up_status=item["follow_up"],
        )
        page.areas = _categories(item["areas"])
        page.participants = [owner, *(members[name] for name in item["colleagues"])]
        page.tags.set(item["tags"])
        _publish(report_index, page, owner, members["dewi"])
        new_reports += 1
    new_articles = 0
    for item in ARTICLES:
        if ArticlePage.objects.filter(title=item["title"]).exists():
            continue
        owner = members[item["owner"]]
        page = ArticlePage(
            title=item["title"],
            audience=item["audience"],
            summary=item["summary"],
            body=item["body"],
            last_reviewed=datetime.date(2026, 11, 1),
            reviewer=owner,
        )
        page.areas = _categories(item["areas"])
        page.tags.set(item["tags"])
        page.source_reports = list(ReportPage.objects.filter(title__in=item["sources"]["reports"]))
        page.source_topics = list(Topic.objects.filter(title__in=item["sources"]["topics"]))
        _publish(article_index, page, owner, members["dewi"])
        new_articles += 1
    out(
        f"knowledge base: {len(REPORTS)} reports ({new_reports} new), "
        f"{len(ARTICLES)} articles ({new_articles} new)"
    )
    return []
