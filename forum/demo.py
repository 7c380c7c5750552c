"""Demo threads for `manage.py seed_demo`: real service problems from each competency area,
in Indonesian, some solved. Idempotent: a topic whose title exists is left alone.

Written with the models, not forum.services: seeding must neither rate-limit nor notify
(or email) the demo members, and it sets the past dates a real forum would have.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from forum import rendering
from forum.models import Category, HelpfulVote, Post, Topic, TopicState
from forum.services.counters import category_refresh, topic_refresh

# (category slug, asker, title, tags, question, [(replier, text, helpful votes)], solution index
#  or None, days ago)
THREADS = [
    (
        "layanan-pemustaka",
        "sari",
        "Bagaimana menangani pemustaka yang selalu terlambat mengembalikan buku?",
        ["keterlambatan", "sirkulasi"],
        "Di perpustakaan kami ada beberapa pemustaka yang hampir setiap bulan terlambat "
        "mengembalikan buku, kadang sampai sebulan. Denda Rp500 per hari tidak membuat mereka "
        "jera, dan petugas sirkulasi jadi serba salah karena pemustakanya orang tua murid yang "
        "kami kenal.\n\nApa yang sudah berhasil di perpustakaan Bapak/Ibu?",
        [
            (
                "budi",
                "Kami mengirim **pengingat lewat WhatsApp** dua hari sebelum jatuh tempo. "
                "Sejak itu keterlambatan turun kira-kira separuhnya. Nomor WA kami minta waktu "
                "pendaftaran anggota, dengan persetujuan.",
                4,
            ),
            (
                "andi",
                "Kalau pakai SLiMS, modul sirkulasi bisa mencetak daftar keterlambatan "
                "per hari. Kami kirimkan daftar itu setiap Senin, lalu:\n\n"
                "1. pengingat pertama lewat WA,\n2. telepon setelah 7 hari,\n"
                "3. surat resmi setelah 30 hari.\n\nYang penting petugas punya urutan yang sama, "
                "jadi tidak ada yang merasa tidak enak.",
                6,
            ),
            (
                "rahmat",
                "Sekali setahun kami mengadakan **pekan bebas denda**: buku boleh "
                "dikembalikan tanpa denda. Banyak buku lama yang kembali. Setelah itu aturan denda "
                "berlaku lagi dengan tegas.",
                3,
            ),
            (
                "sari",
                "Terima kasih semuanya. Kami coba urutan pengingat dari Pak @andi mulai "
                "bulan ini, dan pengingat WA seperti Pak @budi.",
                0,
            ),
        ],
        1,
        12,
    ),
    (
        "layanan-pemustaka",
        "nurhayati",
        "Pemustaka marah di meja layanan karena buku pesanannya belum tersedia",
        ["keluhan", "layanan-prima"],
        "Kemarin seorang mahasiswa marah-marah di meja layanan karena buku yang ia pesan "
        "seminggu lalu masih dipinjam orang lain. Suaranya keras dan pemustaka lain jadi "
        "tidak nyaman. Saya bingung harus bagaimana. Adakah langkah menangani keluhan seperti "
        "ini?",
        [
            (
                "sari",
                "Yang kami pelajari waktu pelatihan layanan prima:\n\n"
                "- **Dengarkan** sampai selesai, jangan dipotong.\n- **Akui** perasaannya: "
                '"Saya mengerti Bapak kecewa."\n- **Tawarkan pilihan**: antre pesanan, buku lain '
                "dengan topik sama, atau versi digital.\n- **Catat** dan kabari saat bukunya "
                "kembali.\n\nAjak bicara sedikit ke samping meja supaya antrean tetap jalan.",
                5,
            ),
            (
                "rahmat",
                "Setuju dengan Bu Sari. Tambahan: buat **buku catatan keluhan** di meja "
                "layanan. Setiap bulan kami baca bersama, dan dari situ kami tahu judul mana yang "
                "perlu ditambah eksemplarnya.",
                2,
            ),
        ],
        0,
        9,
    ),
    (
        "teknologi-informasi",
        "andi",
        'SLiMS 9 Bulian: "Database connection failed" setelah pindah server',
        ["slims", "otomasi"],
        "Kami memindahkan SLiMS 9 Bulian ke komputer server baru. Semua berkas sudah disalin "
        "dan basis data sudah diimpor, tetapi halaman OPAC menampilkan:\n\n"
        "```\nDatabase connection failed\n```\n\nApa yang biasanya terlewat?",
        [
            (
                "budi",
                "Periksa `config/database.php` (di versi lama `sysconfig.local.inc.php`): "
                "nama basis data, pengguna, dan kata sandinya harus sama dengan di server baru. "
                "Lalu pastikan pengguna MySQL itu punya hak akses ke basis datanya:\n\n"
                "```\nGRANT ALL ON slims.* TO 'slims'@'localhost';\n```",
                7,
            ),
            (
                "andi",
                "Betul, kata sandi pengguna MySQL di server baru berbeda. Sekarang sudah "
                "jalan. Terima kasih, Pak Budi!",
                1,
            ),
        ],
        0,
        20,
    ),
    (
        "teknologi-informasi",
        "budi",
        "Cara impor data katalog dari Excel ke SLiMS?",
        ["slims", "katalog"],
        "Perpustakaan sekolah kami punya daftar 3.000 buku di Excel dari pengelola sebelumnya. "
        "Apakah bisa diimpor ke SLiMS tanpa mengetik ulang satu per satu?",
        [
            (
                "andi",
                "Bisa. Simpan sebagai CSV dengan urutan kolom sesuai contoh di menu "
                "*Bibliografi › Impor*. Coba dulu dengan 20 baris untuk memeriksa kolomnya.",
                2,
            ),
        ],
        None,
        5,
    ),
    (
        "literasi-informasi",
        "budi",
        "Ide kelas literasi informasi untuk siswa SMP bersama guru mata pelajaran",
        ["literasi", "sekolah"],
        "Kepala sekolah meminta perpustakaan mengadakan kelas literasi informasi untuk kelas "
        "VIII. Saya ingin kelasnya menyatu dengan tugas mata pelajaran, bukan ceramah tentang "
        "perpustakaan. Ada contoh yang pernah berhasil?",
        [
            (
                "dewi",
                "Di sekolah mitra kami, guru IPS memberi tugas membuat poster tentang "
                "sejarah daerah. Pustakawan mengajar 2 × 40 menit: cara mencari di katalog, "
                "menilai sumber di internet, dan menulis daftar pustaka. Nilai tugasnya dari "
                "guru, jadi siswa serius.",
                4,
            ),
            (
                "sari",
                'Kami memakai lembar kerja "cek sumber" (siapa penulisnya, kapan terbit, '
                "apa buktinya). Siswa suka karena seperti detektif.",
                2,
            ),
        ],
        None,
        3,
    ),
    (
        "kerja-sama-sekolah-kampus",
        "nurhayati",
        "Perpustakaan keliling ke SD di desa: jadwal dan koleksi apa yang dibawa?",
        ["perpustakaan-keliling", "sekolah"],
        "Kami baru mendapat mobil perpustakaan keliling dan ingin mengunjungi lima SD di "
        "kecamatan kami. Berapa kali sebaiknya berkunjung, dan berapa buku yang dibawa?",
        [
            (
                "rahmat",
                "Dari pengalaman Perpustakaan Kota: **dua minggu sekali** per sekolah, "
                "sekitar 300 buku, 70% cerita bergambar dan 30% pengetahuan populer. Jadwalkan "
                "bersama kepala sekolah supaya tidak bentrok dengan ujian, dan bawa daftar "
                "peminjaman sederhana.",
                5,
            ),
            (
                "budi",
                "Tambahkan kegiatan mendongeng 15 menit di awal kunjungan. Anak-anak jadi "
                "menunggu-nunggu mobilnya datang.",
                3,
            ),
        ],
        0,
        15,
    ),
    (
        "pengembangan-profesi",
        "rahmat",
        "Mendanai pelatihan pustakawan lewat kemitraan dengan CSR perusahaan",
        ["pendanaan", "pelatihan"],
        "Anggaran pelatihan tahun depan sangat kecil. Apakah ada yang pernah mengajukan "
        "proposal pelatihan pustakawan ke program CSR perusahaan atau bank daerah? Apa yang "
        "mereka minta sebagai laporan?",
        [
            (
                "dewi",
                "Bank daerah di provinsi kami pernah mendanai pelatihan literasi digital. "
                "Mereka meminta proposal singkat (tujuan, peserta, jadwal, anggaran), daftar "
                "hadir, foto kegiatan, dan cerita perubahan setelah pelatihan. Kuncinya: "
                "tunjukkan manfaat bagi masyarakat, bukan hanya bagi pustakawan.",
                3,
            ),
        ],
        None,
        7,
    ),
    (
        "manajemen-perpustakaan",
        "sari",
        "Stock opname 20.000 eksemplar: berapa lama dan berapa orang?",
        ["stock-opname", "koleksi"],
        "Tahun ini kami wajib stock opname untuk sekitar 20.000 eksemplar. Dengan pemindai "
        "barcode dan SLiMS, berapa lama biasanya dan berapa petugas yang dibutuhkan? "
        "Perlukah layanan ditutup?",
        [
            (
                "andi",
                "Kami menghitung 18.000 eksemplar dengan 6 orang dalam **5 hari kerja**, "
                "memakai modul stock opname SLiMS dan 3 pemindai. Layanan sirkulasi ditutup, ruang "
                "baca tetap buka. Mulailah dari rak yang paling jarang dipinjam.",
                6,
            ),
            (
                "rahmat",
                "Umumkan penutupan dua minggu sebelumnya dan minta semua buku dikembalikan "
                "dulu; hasilnya jauh lebih rapi.",
                2,
            ),
        ],
        0,
        30,
    ),
    (
        "pengembangan-profesi",
        "andi",
        "Persiapan uji kompetensi kenaikan jenjang jabatan fungsional pustakawan",
        ["jabatan-fungsional"],
        "Tahun depan saya ikut uji kompetensi untuk naik jenjang. Materi apa yang sebaiknya "
        "disiapkan, dan adakah yang mau berbagi pengalaman?",
        [],
        None,
        1,
    ),
    (
        "manajemen-perpustakaan",
        "dewi",
        "Menata ulang ruang baca supaya ramah anak tanpa anggaran besar",
        ["ruang-baca", "anak"],
        "Ruang baca anak kami sempit dan kurang menarik. Ide apa yang murah tapi berdampak?",
        [
            (
                "nurhayati",
                "Kami memakai karpet bekas dan bantal buatan ibu-ibu PKK, rak rendah "
                "dari papan bekas, dan pojok dongeng. Biayanya kurang dari satu juta rupiah.",
                4,
            ),
        ],
        None,
        2,
    ),
]


def _vote(posts: list[Post], votes: dict[int, int], voters: list[User]) -> None:
    """Each reply's helpful votes as the rows members would have made (never the author's
    own), so that the counts the pages show agree with the votes."""
    rows = []
    for post in posts:
        others = [v for v in voters if v.pk != post.author_id]
        start = post.position % max(1, len(others))
        chosen = (others[start:] + others[:start])[: votes.get(post.position, 0)]
        rows += [HelpfulVote(post=post, user=voter, created_at=post.created_at) for voter in chosen]
        post.helpful_count = len(chosen)
    HelpfulVote.objects.bulk_create(rows)
    Post.objects.bulk_update(posts, ["helpful_count"])


def _make_thread(thread, members, categories, now) -> bool:
    slug, asker, title, tags, question, replies, solution, days_ago = thread
    if Topic.objects.filter(title=title).exists():
        return False
    asked_at = now - timedelta(days=days_ago, hours=3)
    author = members[asker]
    topic = Topic.objects.create(
        category=categories[slug],
        title=title,
        slug=slugify(title)[:80],
        author=author,
        created_at=asked_at,
        last_activity_at=asked_at,
        last_position=1 + len(replies),
    )
    topic.tags.set(tags)
    posts = [
        Post(
            topic=topic,
            position=1,
            author=author,
            source=question,
            html=rendering.render_markdown(question).html,
            created_at=asked_at,
        )
    ]
    for number, (replier, text, _votes) in enumerate(replies, start=2):
        posts.append(
            Post(
                topic=topic,
                position=number,
                author=members[replier],
                source=text,
                html=rendering.render_markdown(text).html,
                created_at=asked_at + timedelta(hours=5 * (number - 1)),
            )
        )
    Post.objects.bulk_create(posts)
    posts = list(topic.posts.order_by("position"))
    votes = {number: n for number, (_replier, _text, n) in enumerate(replies, start=2)}
    _vote(posts, votes, voters=sorted(members.values(), key=lambda m: m.pk))
    answers = [p for p in posts[1:] if p.author_id != author.pk]
    if answers:
        topic.first_answered_at, topic.first_answered_by = answers[0].created_at, answers[0].author
    if solution is not None:
        chosen = posts[1 + solution]
        topic.solution, topic.solved_by = chosen, author
        topic.solved_at = posts[-1].created_at + timedelta(hours=1)
    topic.save()
    for person in {p.author_id for p in posts}:
        TopicState.objects.get_or_create(
            user_id=person,
            topic=topic,
            defaults={"subscribed": True, "last_read_position": topic.last_position},
        )
    topic_refresh(topic)
    return True


@transaction.atomic
def seed(*, out) -> list[str]:
    members = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    missing = _usernames() - set(members)
    if missing:  # accounts' demo runs first (SERAMBI_APPS order); this guards a partial run
        out(f"skipped: demo members missing ({', '.join(sorted(missing))})")
        return []
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    created = sum(_make_thread(t, members, categories, now) for t in THREADS)
    for category in categories.values():
        category_refresh(category)
    out(f"forum topics: {len(THREADS)} ({created} new)")
    return []


def _usernames() -> set[str]:
    return {t[1] for t in THREADS} | {r[0] for t in THREADS for r in t[5]}
