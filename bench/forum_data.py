"""A forum of 10,000 topics and 200,000 posts for bench/forum.py, built fast and cached.

Written with the models and bulk queries, not forum.services: a build must neither rate-limit
nor notify anyone, and it sets the past dates a real forum has. The counters that services
keep (reply counts, last posts, helpful counts, categories) are then recomputed from the rows
with a few bulk UPDATEs, and checked against forum.services.counters on a sample.

Everything is drawn from one seeded random generator, so two builds hold the same forum
(but for the dates, which end at the build's day). bench/forum.py caches a built database
under a hash of the migrations and of this file: any change here means a new build.
Import this module only after Django is set up (bench.lib.django_site.setup_django).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from accounts import roles
from accounts.models import Library, User
from bench.lib.report import detail, number, step
from forum import rendering
from forum.models import (
    Category,
    HelpfulVote,
    Post,
    PostRevision,
    TaggedTopic,
    Topic,
    TopicState,
)
from forum.services.counters import category_refresh, topic_refresh

SEED = 20261125

TOPICS = 10_000
POSTS = 200_000
MEMBERS = 200
LIBRARIES = 60
TAGS = 48
BODY_POOL = 500  # distinct Markdown bodies, rendered once and reused
CHOSEN_REPLIES = 100
TOPICS_PER_CHUNK = 1_000  # one transaction and one progress line each

# The topic and the member the bench reads; found again by these in a cached database.
CHOSEN_TITLE = (
    "Pengalaman migrasi dari INLISLite ke SLiMS 9: apa saja yang perlu disiapkan "
    "dan apa yang sebaiknya dihindari?"
)
MEMBER_USERNAME = "dian.puspita"
MEMBER_POSITIONS = (4, 12, 57)  # the member's replies in the chosen topic (one on page 1)
PASSWORD = "serambi-bench"  # noqa: S105 - a throwaway database's members

# Topic share per category, in the seeded order (migration forum 0002): real forums are
# uneven, and the largest category gives the deepest list page.
CATEGORY_WEIGHTS = (0.30, 0.22, 0.17, 0.13, 0.10, 0.08)
SOLVED_SHARE = 0.35  # of topics with an answer from someone other than the asker
UNANSWERED_SHARE = 0.07
VOTED_SHARE = 0.15  # of replies, with 1-6 helpful votes
EDITED_SHARE = 0.04
HIDDEN_SHARE = 0.003
PINNED_PER_CATEGORY = 2
LOCKED_SHARE = 0.01
HISTORY_DAYS = 730


# --- Text --------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Dian", "Sari", "Budi", "Andi", "Rahmat", "Dewi", "Nurhayati", "Agus", "Siti", "Yusuf",
    "Rina", "Hendra", "Wulan", "Fajar", "Indah", "Eko", "Lestari", "Bayu", "Ratna", "Teguh",
    "Fitri", "Joko", "Maya", "Rizky", "Ayu", "Hadi", "Novi", "Arif", "Putri", "Dedi",
    "Yuliana", "Irwan", "Mega", "Taufik", "Ani", "Rudi", "Nurul", "Gilang", "Desi", "Ilham",
)  # fmt: skip
LAST_NAMES = (
    "Puspita", "Wulandari", "Santoso", "Pratama", "Hidayat", "Lestari", "Saputra", "Rahayu",
    "Siregar", "Nasution", "Harahap", "Kurniawan", "Setiawan", "Permata", "Gunawan", "Utami",
    "Hasibuan", "Sitompul", "Anggraini", "Firmansyah", "Maharani", "Susanti", "Ramadhan",
    "Syahputra", "Handayani", "Wijaya", "Purnomo", "Yulianti", "Effendi", "Marpaung",
)  # fmt: skip
POSITIONS = (
    "Pustakawan Ahli Pertama", "Pustakawan Ahli Muda", "Pustakawan Ahli Madya",
    "Pustakawan Terampil", "Pustakawan Mahir", "Guru pustakawan", "Pengelola perpustakaan desa",
    "Kepala perpustakaan", "Tenaga perpustakaan sekolah", "Pranata komputer", "",
)  # fmt: skip
PLACES = (
    ("Lubuklinggau", "Sumatera Selatan"), ("Palembang", "Sumatera Selatan"),
    ("Musi Rawas", "Sumatera Selatan"), ("Prabumulih", "Sumatera Selatan"),
    ("Bengkulu", "Bengkulu"), ("Jambi", "Jambi"), ("Lahat", "Sumatera Selatan"),
    ("Pagar Alam", "Sumatera Selatan"), ("Curup", "Bengkulu"), ("Muara Enim", "Sumatera Selatan"),
)  # fmt: skip
LIBRARY_KINDS = (
    (Library.Kind.PUBLIC, "Perpustakaan Umum Daerah {city}"),
    (Library.Kind.SCHOOL, "Perpustakaan SMA Negeri {n} {city}"),
    (Library.Kind.SCHOOL, "Perpustakaan SMP Negeri {n} {city}"),
    (Library.Kind.SCHOOL, "Perpustakaan SD Negeri {n} {city}"),
    (Library.Kind.UNIVERSITY, "UPT Perpustakaan Politeknik {city} {n}"),
    (Library.Kind.VILLAGE, "Perpustakaan Desa Sumber Makmur {n}, {city}"),
    (Library.Kind.SPECIAL, "Perpustakaan RSUD {city} {n}"),
)
TAG_NAMES = (
    "slims", "inlislite", "otomasi", "katalog", "klasifikasi", "ddc", "marc", "opac",
    "sirkulasi", "keterlambatan", "denda", "keanggotaan", "stock-opname", "koleksi",
    "pengadaan", "penyiangan", "preservasi", "digitalisasi", "repositori", "e-book",
    "literasi", "literasi-digital", "gemar-membaca", "bimbingan-pemustaka", "sekolah",
    "kampus", "perpustakaan-keliling", "perpustakaan-desa", "layanan-prima", "keluhan",
    "ruang-baca", "anak", "disabilitas", "anggaran", "pendanaan", "csr", "pelatihan",
    "jabatan-fungsional", "akreditasi", "sertifikasi", "magang", "jaringan", "backup",
    "barcode", "rfid", "statistik", "laporan", "promosi",
)  # fmt: skip

TITLE_PATTERNS = (
    "Bagaimana {verb} {thing} di perpustakaan {kind}?",
    "Cara {verb} {thing} untuk perpustakaan {kind}",
    "Ada yang pernah {verb} {thing} dengan anggaran terbatas?",
    "Minta saran: {verb} {thing} sebelum {moment}",
    "Kendala saat {verb} {thing}, mohon bantuan",
    "Pengalaman {verb} {thing} di perpustakaan {kind}",
    "Perlukah {verb} {thing} setiap tahun?",
    "Siapa yang bertanggung jawab {verb} {thing} di perpustakaan {kind}?",
    "Tips {verb} {thing} tanpa menutup layanan",
    "Apakah wajib {verb} {thing} sebelum {moment}?",
)  # fmt: skip
TITLE_VERBS = (
    "mengelola", "mendata ulang", "memindahkan", "menyusun", "memperbarui", "mengevaluasi",
    "mempromosikan", "mengatur", "mencadangkan", "mengklasifikasi", "menyiangi", "mengajukan",
    "melaporkan", "menata", "mengamankan", "mendigitalkan",
)  # fmt: skip
TITLE_THINGS = (
    "data anggota SLiMS", "katalog buku lama", "koleksi referensi", "koleksi muatan lokal",
    "jadwal layanan keliling", "ruang baca anak", "anggaran pengadaan", "laporan statistik",
    "basis data INLISLite", "label barcode", "koleksi majalah", "daftar keterlambatan",
    "kegiatan literasi", "repositori skripsi", "koleksi braille", "server OPAC",
    "data pengunjung", "usulan buku dari guru", "formulir keanggotaan", "koleksi e-book",
    "program magang mahasiswa", "kerja sama dengan sekolah", "angka kredit pustakawan",
    "dokumen akreditasi",
)  # fmt: skip
TITLE_KINDS = (
    "sekolah", "desa", "kampus", "umum daerah", "rumah sakit", "madrasah", "kecamatan",
)  # fmt: skip
TITLE_MOMENTS = (
    "akreditasi", "tahun ajaran baru", "stock opname", "audit", "akhir tahun anggaran",
    "pindah gedung", "pergantian kepala perpustakaan",
)  # fmt: skip

OPENERS = (
    "Terima kasih atas pertanyaannya, Bapak/Ibu.",
    "Di perpustakaan kami juga pernah terjadi hal yang sama.",
    "Izin berbagi pengalaman dari perpustakaan sekolah kami.",
    "Kalau boleh menambahkan jawaban sebelumnya,",
    "Menurut pengalaman saya selama lima tahun di bagian layanan,",
    "Saya setuju dengan rekan-rekan di atas.",
    "Pertanyaan yang bagus, ini sering dialami perpustakaan kecil.",
    "Selamat pagi, Bapak/Ibu pustakawan.",
)  # fmt: skip
SENTENCES = (
    "Kami memakai SLiMS 9 Bulian sejak tiga tahun lalu dan sejauh ini cukup stabil.",
    "Yang paling penting adalah mencadangkan basis data sebelum melakukan perubahan apa pun.",
    "Petugas sirkulasi kami mencetak daftar keterlambatan setiap hari Senin.",
    "Pengingat lewat WhatsApp dua hari sebelum jatuh tempo ternyata sangat membantu.",
    "Kepala sekolah baru mendukung setelah kami tunjukkan data kunjungan per bulan.",
    "Untuk stock opname, kami membagi rak menjadi beberapa zona dan menghitung per zona.",
    "Koleksi yang rusak berat kami pisahkan dulu, lalu dicatat sebelum disiangi.",
    "Pemustaka lebih senang kalau aturan denda diumumkan dengan jelas di meja layanan.",
    "Kami bekerja sama dengan guru Bahasa Indonesia untuk kegiatan membaca lima belas menit.",
    "Anggaran pengadaan tahun ini dipotong, jadi kami mengandalkan hibah buku dari donatur.",
    "Data anggota lama sebaiknya dibersihkan dulu, banyak yang sudah lulus atau pindah.",
    "Label barcode kami cetak sendiri dengan printer biasa dan kertas stiker.",
    "Jaringan di perpustakaan desa sering putus, jadi kami menyiapkan katalog cetak juga.",
    "Pelatihan dari Dinas Perpustakaan Provinsi sangat membantu petugas baru.",
    "Laporan bulanan kami kirim dalam bentuk tabel sederhana beserta foto kegiatan.",
    "Mahasiswa magang bisa diminta membantu input data katalog selama dua bulan.",
    "Pastikan versi PHP di server baru sesuai dengan yang dibutuhkan SLiMS.",
    "Kami menyediakan pojok baca anak dengan karpet dan rak rendah dari papan bekas.",
    "Untuk akreditasi, bukti fisik kegiatan literasi perlu dikumpulkan sejak awal tahun.",
    "Angka kredit pustakawan bisa dihitung dari kegiatan bimbingan pemustaka juga.",
    "Buku muatan lokal tentang sejarah daerah paling sering dicari siswa.",
    "Pengunjung meningkat setelah kami membuka layanan sampai sore hari.",
    "Kami memindahkan koleksi referensi ke dekat meja layanan supaya mudah diawasi.",
    "Digitalisasi skripsi kami mulai dari yang paling sering dipinjam.",
    "Formulir keanggotaan sekarang bisa diisi daring lewat tautan di media sosial.",
    "Usulan buku dari guru kami kumpulkan setiap akhir semester lewat formulir.",
    "Sebaiknya ada satu orang yang bertanggung jawab atas cadangan data setiap minggu.",
    "Komputer OPAC kami kunci supaya hanya bisa membuka halaman katalog.",
    "Rak yang terlalu penuh membuat buku cepat rusak, jadi sisakan ruang sekitar sepuluh persen.",
    "Kami mencatat setiap keluhan di buku khusus dan membacanya bersama setiap bulan.",
    "Perpustakaan keliling kami datang dua minggu sekali ke setiap sekolah dasar.",
    "Koleksi braille kami dapat dari kerja sama dengan yayasan tunanetra setempat.",
    "Statistik peminjaman per kelas ternyata berguna untuk rapat dengan guru.",
    "Kami pernah mencoba sistem denda yang lebih tinggi, tetapi hasilnya tidak banyak berubah.",
    "Penyiangan sebaiknya mengikuti pedoman tertulis supaya tidak ada yang salah paham.",
    "Proses klasifikasi dengan DDC edisi 23 memang lebih rinci untuk koleksi agama.",
    "Data lama dari INLISLite bisa diekspor ke format MARC lalu diimpor ke SLiMS.",
    "Jangan lupa menguji hasil impor dengan sebagian kecil data terlebih dahulu.",
    "Pemustaka lansia lebih nyaman dibantu langsung daripada diarahkan ke komputer.",
    "Kegiatan mendongeng di awal kunjungan membuat anak-anak betah di perpustakaan.",
)  # fmt: skip
CLOSERS = (
    "Semoga membantu.", "Salam literasi!", "Mohon koreksi kalau ada yang keliru.",
    "Terima kasih, Bapak/Ibu.", "Semoga lancar persiapannya.", "Kabari hasilnya, ya.",
)  # fmt: skip
LIST_INTROS = (
    "Langkah yang kami lakukan:", "Urutan kerja kami kira-kira begini:",
    "Beberapa hal yang perlu disiapkan:", "Yang perlu diperhatikan:",
)  # fmt: skip
LIST_ITEMS = (
    "cadangkan basis data dan folder `images`", "catat versi aplikasi yang dipakai",
    "siapkan daftar koleksi yang akan dipindahkan", "uji coba dengan 20 data terlebih dahulu",
    "umumkan jadwal penutupan layanan", "bagikan tugas per rak kepada petugas",
    "periksa hak akses pengguna basis data", "minta persetujuan kepala perpustakaan",
    "cetak ulang label yang rusak", "rekap hasilnya dalam tabel sederhana",
    "kirim laporan ke dinas terkait", "evaluasi bersama setelah satu bulan",
)  # fmt: skip
LINKS = (
    ("panduan SLiMS", "https://slims.web.id/docs/"),
    ("Perpusnas", "https://www.perpusnas.go.id/"),
    ("pedoman akreditasi", "https://akreditasi.perpusnas.go.id/"),
    ("forum SLiMS", "https://github.com/slims/slims9_bulian/discussions"),
)
CODE_BLOCKS = (
    "```\nGRANT ALL ON slims.* TO 'slims'@'localhost';\nFLUSH PRIVILEGES;\n```",
    "```\nmysqldump -u root -p slims > slims-cadangan.sql\n```",
    "```\nphp -v\nsudo systemctl restart apache2\n```",
)
INLINE_CODE = ("`config/database.php`", "`sysconfig.local.inc.php`", "`php -v`", "`images/docs`")


# A sentence grammar: word-level composition, so that a page's text repeats words as prose
# does, not whole sentences (gzip would make short work of those).
SUBJECTS = (
    "kami", "saya", "petugas sirkulasi", "petugas layanan", "kepala perpustakaan",
    "tim pengolahan", "guru pustakawan", "operator sekolah", "mahasiswa magang", "relawan desa",
    "pustakawan senior", "staf tata usaha", "bagian pengadaan", "pengelola TBM", "rekan di dinas",
    "pengawas sekolah", "wali kelas", "pemustaka lansia", "anggota baru", "pengurus OSIS",
    "kepala desa", "tim akreditasi", "admin jaringan", "petugas referensi", "komite sekolah",
    "ibu-ibu PKK", "karang taruna", "dosen pembimbing", "pustakawan desa tetangga", "bendahara",
    "penjaga perpustakaan", "guru Bahasa Indonesia", "guru IPA", "kepala seksi layanan",
    "tenaga honorer", "pustakawan ahli muda", "teman-teman di kabupaten", "tim digitalisasi",
    "petugas keliling", "sekretaris desa", "pengurus masjid", "siswa pustakawan cilik",
    "orang tua murid", "kakak-kakak relawan", "pegawai baru", "rekan dari Musi Rawas",
)  # fmt: skip
VERBS = (
    "mencatat", "memeriksa", "mengusulkan", "menyusun", "menata ulang", "memindahkan",
    "mengumpulkan", "mencetak", "mengolah", "mengirim", "menghitung", "membersihkan", "menandai",
    "mengganti", "membagikan", "menyimpan", "mengunggah", "menyeleksi", "membandingkan",
    "mengajukan", "menyampul", "memperbaiki", "merekap", "menempelkan", "mengecek", "memasang",
    "mendampingi", "mempromosikan", "menjilid ulang", "memotret", "menilai", "menawarkan",
    "meminjamkan", "menagih", "menjadwalkan", "menyiapkan", "melaporkan", "menggabungkan",
    "memisahkan", "menyortir", "mengarsipkan", "mendata", "menginput", "mengekspor", "mengimpor",
    "memantau", "mengelompokkan", "menguji", "mengevaluasi", "membahas", "memperpanjang",
    "mengurangi", "menambah", "meminta", "menerima", "menolak", "menunda", "mengatur",
    "membeli", "memesan", "menghubungi", "mengajak", "melatih", "menyebarkan", "mencocokkan",
    "menyesuaikan", "merapikan", "menghapus", "memulihkan", "mengganti nama", "memberi nomor",
    "menyalin", "memfotokopi", "memindai", "menandatangani", "mengesahkan", "mengulang",
    "menyusun ulang", "menimbang", "menukar", "menitipkan", "menggandakan", "menyerahkan",
)  # fmt: skip
NOUNS = (
    "data anggota", "buku paket", "koleksi fiksi", "majalah", "koran daerah", "skripsi",
    "label punggung", "kartu anggota", "formulir peminjaman", "daftar pengunjung",
    "lembar kerja", "rak referensi", "katalog kartu", "komputer OPAC", "printer barcode",
    "basis data", "cadangan data", "laporan", "proposal", "jadwal piket", "surat edaran",
    "spanduk", "buku cerita", "ensiklopedia", "kamus", "atlas", "koleksi tandon", "buku hibah",
    "buku rusak", "sampul plastik", "stempel inventaris", "nomor induk", "nomor panggil",
    "tajuk subjek", "cantuman MARC", "akun pemustaka", "kata sandi", "server", "modem",
    "kabel jaringan", "lemari arsip", "kotak saran", "papan pengumuman", "brosur", "poster",
    "buku tamu", "daftar hadir", "anggaran", "kuitansi", "nota dinas", "berita acara",
    "rencana kerja", "buku pedoman", "kurikulum", "modul pelatihan", "sertifikat",
    "angka kredit", "dokumen akreditasi", "foto kegiatan", "video profil", "akun Instagram",
    "grup WhatsApp", "tautan formulir", "rekap statistik", "denda", "pengingat", "jadwal kunjungan",
    "mobil keliling", "kursi baca", "karpet", "lampu baca", "kipas angin", "pendingin ruangan",
    "buku pelajaran", "novel remaja", "komik edukasi", "buku resep", "buku agama",
    "buku pertanian", "peta desa", "arsip foto", "kliping koran", "buletin sekolah",
    "majalah dinding", "rak pamer", "troli buku", "meja layanan", "loker tas", "CCTV",
    "laptop pinjaman", "tablet baca", "proyektor", "pengeras suara", "stiker warna",
    "kode klasifikasi", "indeks pengarang", "daftar tambahan koleksi", "usulan judul",
    "tanda terima", "surat peringatan", "kartu bebas pustaka", "aturan peminjaman",
    "jam layanan", "papan nama rak", "petunjuk arah", "kuesioner kepuasan", "hasil survei",
)  # fmt: skip
QUALIFIERS = (
    "lama", "baru", "yang rusak", "yang hilang", "cadangan", "tahun lalu", "bulan ini",
    "kelas tujuh", "kelas sembilan", "muatan lokal", "anak-anak", "remaja", "berbahasa Inggris",
    "berbahasa daerah", "sumbangan alumni", "dari dinas", "dari penerbit", "hasil hibah",
    "semester genap", "semester ganjil", "yang belum lengkap", "yang menumpuk", "terbitan 2019",
    "yang sering dipinjam", "yang jarang dipinjam", "di gudang", "di ruang guru", "digital",
    "cetak", "versi terbaru", "edisi revisi", "milik sekolah", "milik desa", "pinjaman",
    "untuk guru", "untuk umum", "dari perpustakaan provinsi", "kiriman pos", "yang dipajang",
    "yang tercecer", "bekas", "hasil cetak ulang", "ukuran besar", "warna-warni",
    "yang tertunda", "tahap kedua", "angkatan 2022", "seadanya", "di rak paling atas",
)  # fmt: skip
WHEN = (
    "setiap Senin pagi", "sebelum ujian semester", "pada akhir bulan", "dua kali seminggu",
    "selama libur sekolah", "saat jam istirahat", "sejak awal tahun", "menjelang akreditasi",
    "tiap tiga bulan", "pada minggu pertama", "sesudah stock opname", "ketika listrik padam",
    "sebelum rapat dinas", "pada bulan Ramadan", "setiap tanggal lima", "sore hari",
    "di akhir tahun anggaran", "waktu pergantian kepala sekolah", "saat penerimaan siswa baru",
    "selama masa orientasi", "menjelang Hari Kunjung Perpustakaan", "pada pekan literasi",
    "tiap pagi sebelum layanan dibuka", "sesudah jam pelajaran", "minggu lalu", "kemarin",
    "pada hari Sabtu", "setelah libur panjang", "sebelum tahun ajaran baru",
    "sejak pandemi", "pada awal semester", "sebulan sekali", "hampir setiap hari",
    "pada jam kerja", "waktu hujan deras", "menjelang lomba bercerita", "pada triwulan kedua",
)  # fmt: skip
WHERE = (
    "di ruang baca lantai dua", "di meja sirkulasi", "di gudang belakang", "di pojok baca kelas",
    "di balai desa", "di aula sekolah", "di ruang guru", "di mobil keliling", "di serambi masjid",
    "di ruang server", "di lobi kantor bupati", "di halaman sekolah", "di ruang referensi",
    "di taman bacaan", "di posyandu", "di kantor kecamatan", "di laboratorium komputer",
    "di ruang multimedia", "di depan kantor desa", "di teras rumah warga", "di pasar kalangan",
    "di ruang tunggu puskesmas", "di asrama mahasiswa", "di perpustakaan fakultas",
)  # fmt: skip
PURPOSES = (
    "supaya pemustaka tidak menunggu lama", "agar data tidak hilang",
    "supaya siswa terbiasa membaca", "agar laporan lebih rapi", "supaya guru ikut terlibat",
    "agar koleksi cepat ditemukan", "supaya tidak ada yang terlewat", "agar anggaran cukup",
    "supaya petugas baru cepat paham", "agar pemustaka merasa dihargai",
    "supaya kepala sekolah melihat hasilnya", "agar tidak terjadi salah paham",
    "supaya ruang baca tetap nyaman", "agar penilaian akreditasi lancar",
    "supaya warga tahu jadwalnya", "agar anak-anak mau datang lagi", "supaya biayanya hemat",
    "agar mudah diperiksa auditor", "supaya tidak bolak-balik ke dinas", "agar rak tidak penuh",
)  # fmt: skip
CONJUNCTIONS = (
    "tetapi", "lalu", "sehingga", "karena", "sedangkan", "padahal", "jadi", "namun", "dan",
    "kemudian", "meskipun", "bahkan", "apalagi",
)  # fmt: skip
ADVERBS = (
    "juga", "memang", "sebenarnya", "masih", "hanya", "biasanya", "kadang", "akhirnya",
    "ternyata", "langsung", "pelan-pelan", "sering", "jarang", "tetap", "sudah lama",
)  # fmt: skip
MODALS = (
    "harus", "perlu", "bisa", "sebaiknya", "sempat", "belum", "sudah", "akan", "mulai",
    "boleh", "wajib", "ingin", "mau", "terpaksa", "berencana",
)  # fmt: skip
PEOPLE_TITLES = ("Bu", "Pak")
UNITS = (
    "eksemplar", "judul", "orang", "siswa", "pemustaka", "rak", "lembar", "kelas", "keluarga",
    "mahasiswa", "guru", "desa", "sekolah", "paket",
)  # fmt: skip
PERIODS = (
    "satu semester", "dua bulan", "setahun", "tiga minggu", "enam bulan", "sepekan",
    "empat bulan", "dua tahun", "beberapa hari", "sepuluh hari",
)  # fmt: skip
# Times, places and purposes are put together from words, not picked whole: a page of real
# posts rarely repeats a long phrase, and gzip would otherwise make short work of them.
TIME_PREPOSITIONS = (
    "setiap", "pada", "sebelum", "sesudah", "menjelang", "selama", "sejak", "tiap", "saat",
    "waktu", "sampai",
)  # fmt: skip
TIME_NOUNS = (
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "pagi", "siang", "sore", "ujian",
    "libur", "rapat", "akreditasi", "Ramadan", "lebaran", "semester", "kenaikan kelas",
    "upacara", "panen", "musim hujan", "stock opname", "audit", "pelantikan", "pameran",
    "lomba", "kunjungan dinas", "pekan literasi", "jam istirahat", "tahun ajaran",
)  # fmt: skip
TIME_MODIFIERS = (
    "depan", "lalu", "berikutnya", "pertama", "kedua", "terakhir", "ini", "nanti", "kemarin",
    "pagi", "sore", "bersama",
)  # fmt: skip
ROOMS = (
    "ruang baca", "meja sirkulasi", "gudang", "pojok baca", "balai desa", "aula", "ruang guru",
    "mobil keliling", "serambi masjid", "ruang server", "lobi", "halaman", "ruang referensi",
    "taman bacaan", "posyandu", "kantor kecamatan", "laboratorium", "ruang multimedia",
    "teras", "pasar", "ruang tunggu", "asrama", "perpustakaan fakultas", "lorong", "kelas",
)  # fmt: skip
ROOM_MODIFIERS = (
    "lantai dua", "belakang", "depan", "sebelah", "utama", "lama", "baru", "kecil", "sempit",
    "dekat tangga", "samping kantin", "kelas enam", "timur", "barat",
)  # fmt: skip
PEOPLE = (
    "petugas", "staf", "tenaga", "kepala", "koordinator", "relawan", "teman", "rekan",
    "pengelola", "pembina", "anggota", "wakil",
)  # fmt: skip
ROLES = (
    "sirkulasi", "referensi", "pengolahan", "layanan anak", "TBM", "pojok baca", "perpustakaan",
    "sekolah", "desa", "kecamatan", "dinas", "OSIS", "pramuka", "koperasi", "tata usaha",
    "kurikulum", "kesiswaan", "humas", "IT", "gudang", "keuangan", "arsip",
)  # fmt: skip
PURPOSE_WORDS = ("supaya", "agar", "biar", "sehingga")
PURPOSE_MODALS = ("tidak", "lebih", "bisa", "mau", "cepat", "tetap", "tidak lagi", "ikut")
PURPOSE_STATES = (
    "membaca", "datang", "menunggu", "paham", "terlibat", "hemat", "rapi", "aman", "tertib",
    "nyaman", "senang", "bingung", "tersesat", "hilang", "terlambat", "menumpuk", "rusak",
    "dipinjam", "ditemukan", "dicatat", "dilaporkan", "berkunjung", "bertanya", "mengeluh",
)  # fmt: skip


# Clauses, chained by conjunctions into sentences; the slots take words and short phrases, so
# that sentences are new while words repeat.
CLAUSES = (
    "{s} {a} {V} {O} {W}",
    "{s} {M} {V} {O} {L}",
    "{s} {V} {O} {P}",
    "{s} pernah {V} {O} {L}",
    "{s} {M} {V} {O} {W}",
    "{O} {a} {M} dipindahkan {L}",
    "jumlah {u} {L} naik dari {n} menjadi {n2} dalam {period}",
    "kami punya sekitar {n} {u} untuk {O}",
    "biayanya sekitar {money} untuk {n} {u}",
    "{person} dari {place} {a} {V} {O} {W}",
    "{s} di {place} {a} {V} {O}",
    "{s} {V} {O} pada {date}",
    "{O} baru datang {date}",
    "layanan {a} buka pukul {clock} sampai {clock2}",
    "{s} {a} {M} {V} {O} tanpa bantuan {s2}",
    "hasilnya {a} {adj}",
    "{s} {a} {adj} dengan {O}",
)  # fmt: skip
PREFIXES = (
    "", "", "", "", "", "Menurut saya, ", "Jujur saja, ", "Seingat saya, ", "Dulu ",
    "Sekarang ", "Di tempat kami, ", "Tahun lalu ", "Waktu itu ", "Kalau tidak salah, ",
    "Sebetulnya ", "Apakah ", "Mungkin ", "Intinya, ", "Saran saya, ", "Kebetulan ",
)  # fmt: skip
ADJECTIVES = (
    "lumayan", "kurang memuaskan", "cukup rapi", "jauh lebih cepat", "agak repot", "mudah",
    "membingungkan", "berantakan", "memuaskan", "sangat membantu", "mahal", "murah",
    "lambat", "lancar", "terbatas", "kewalahan", "senang", "kecewa", "puas",
)  # fmt: skip
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
SCHOOLS = ("SD Negeri", "SMP Negeri", "SMA Negeri", "SMK Negeri", "MTs Negeri", "MAN")


@dataclass(frozen=True)
class Body:
    source: str
    html: str


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_sentence(rng: random.Random) -> str:
    """One sentence: now and then a whole one from SENTENCES, mostly one to three CLAUSES with
    concrete details (dates, amounts, people, places), as members write."""
    if rng.random() < 0.06:
        return rng.choice(SENTENCES)

    def thing() -> str:
        noun = rng.choice(NOUNS)
        roll = rng.random()
        if roll < 0.45:
            return f"{noun} {rng.choice(QUALIFIERS)}"
        if roll < 0.6:
            return f"{noun} {rng.choice(ROOM_MODIFIERS + TIME_MODIFIERS)}"
        if roll < 0.7:
            return f"{noun} untuk {rng.randint(2, 60)} {rng.choice(UNITS)}"
        return noun

    def who() -> str:
        if rng.random() < 0.6:
            return rng.choice(SUBJECTS)
        return f"{rng.choice(PEOPLE)} {rng.choice(ROLES)}"

    def when() -> str:
        if rng.random() < 0.3:
            return rng.choice(WHEN)
        modifier = f" {rng.choice(TIME_MODIFIERS)}" if rng.random() < 0.5 else ""
        return f"{rng.choice(TIME_PREPOSITIONS)} {rng.choice(TIME_NOUNS)}{modifier}"

    def where() -> str:
        if rng.random() < 0.3:
            return rng.choice(WHERE)
        modifier = f" {rng.choice(ROOM_MODIFIERS)}" if rng.random() < 0.5 else ""
        return f"di {rng.choice(ROOMS)}{modifier}"

    def purpose() -> str:
        if rng.random() < 0.3:
            return rng.choice(PURPOSES)
        state = f"{rng.choice(PURPOSE_MODALS)} {rng.choice(PURPOSE_STATES)}"
        return f"{rng.choice(PURPOSE_WORDS)} {who()} {state}"

    def clause() -> str:
        low = rng.randint(3, 400)
        city = rng.choice(PLACES)[0]
        return rng.choice(CLAUSES).format(
            s=who(), s2=who(), V=rng.choice(VERBS), O=thing(),
            W=when(), L=where(), P=purpose(),
            M=rng.choice(MODALS), a=rng.choice(ADVERBS) if rng.random() < 0.5 else "",
            n=low, n2=low + rng.randint(5, 900), u=rng.choice(UNITS), period=rng.choice(PERIODS),
            money=f"Rp{rng.randint(2, 950) * 5_000:,}".replace(",", "."),
            person=f"{rng.choice(PEOPLE_TITLES)} {rng.choice(FIRST_NAMES)}",
            place=f"{rng.choice(SCHOOLS)} {rng.randint(1, 12)} {city}",
            date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2025)}",
            clock=f"{rng.randint(7, 9):02}.{rng.choice((0, 15, 30, 45)):02}",
            clock2=f"{rng.randint(14, 17)}.{rng.choice((0, 30)):02}",
            adj=rng.choice(ADJECTIVES),
        ).replace("  ", " ")  # fmt: skip

    text = clause()
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        text += f", {rng.choice(CONJUNCTIONS)} {clause()}"
    prefix = rng.choice(PREFIXES)
    text = prefix + text if prefix else cap(text)
    return text + ("?" if prefix == "Apakah " else ".")


def make_body(rng: random.Random, usernames: Sequence[str]) -> str:
    """Markdown of varied length (about 200-1,500 characters) and features, as members write."""
    target = round(rng.triangular(200, 1500, 420))
    parts: list[str] = []
    paragraph: list[str] = [rng.choice(OPENERS)] if rng.random() < 0.6 else []
    if rng.random() < 0.15:
        paragraph.insert(0, f"@{rng.choice(usernames)}")
    length = 0
    features = rng.sample(("list", "code", "link", "quote", "bold", "inline", "heading"), k=2)
    while length < target:
        sentence = make_sentence(rng)
        if "bold" in features and rng.random() < 0.25:
            words = sentence.split()
            cut = rng.randrange(1, max(2, len(words) - 2))
            sentence = " ".join([*words[:cut], f"**{words[cut]}**", *words[cut + 1 :]])
        if "inline" in features and rng.random() < 0.2:
            sentence = f"{sentence[:-1]}, misalnya {rng.choice(INLINE_CODE)}."
        paragraph.append(sentence)
        length += len(sentence) + 1
        if len(paragraph) >= rng.randint(2, 4):
            parts.append(" ".join(paragraph))
            paragraph = []
            if "list" in features and rng.random() < 0.4:
                items = rng.sample(LIST_ITEMS, k=rng.randint(3, 5))
                ordered = rng.random() < 0.5
                lines = [
                    f"{i}. {item}" if ordered else f"- {item}" for i, item in enumerate(items, 1)
                ]
                parts.append(rng.choice(LIST_INTROS) + "\n\n" + "\n".join(lines))
                features.remove("list")
            elif "code" in features and rng.random() < 0.5:
                parts.append(rng.choice(CODE_BLOCKS))
                features.remove("code")
            elif "quote" in features and rng.random() < 0.5:
                parts.append("> " + make_sentence(rng))
                features.remove("quote")
            elif "heading" in features:
                parts.append(rng.choice(("### Pengalaman kami", "### Saran", "### Catatan")))
                features.remove("heading")
            length = sum(len(part) + 2 for part in parts)
    if paragraph:
        parts.append(" ".join(paragraph))
    if "link" in features:
        text, url = rng.choice(LINKS)
        parts.append(f"Rujukan: [{text}]({url}).")
    parts.append(rng.choice(CLOSERS))
    source = "\n\n".join(parts)
    while len(source) > 1500 and len(parts) > 2:  # a long list or code block overshot
        parts.pop(-2)
        source = "\n\n".join(parts)
    return source


def make_title(rng: random.Random) -> str:
    return rng.choice(TITLE_PATTERNS).format(
        verb=rng.choice(TITLE_VERBS),
        thing=rng.choice(TITLE_THINGS),
        kind=rng.choice(TITLE_KINDS),
        moment=rng.choice(TITLE_MOMENTS),
    )


def render_pool(rng: random.Random, usernames: Sequence[str]) -> list[Body]:
    """BODY_POOL distinct bodies through the forum's own Markdown pipeline, once."""
    known = {name.lower() for name in usernames}

    def resolver(names: set[str]) -> set[str]:  # the members exist; no query per body
        return {name for name in names if name.lower() in known}

    pool, seen = [], set()
    while len(pool) < BODY_POOL:
        source = make_body(rng, usernames)
        if source in seen:
            continue
        seen.add(source)
        pool.append(
            Body(source, rendering.render_markdown(source, existing_usernames=resolver).html)
        )
    return pool


# --- The plan: who asks what, where, when, and how many answers -------------------------------


@dataclass
class TopicPlan:
    category_id: int
    author: int  # index into members
    title: str
    created_at: datetime
    replies: int
    tags: list[int]
    pinned: bool = False
    locked: bool = False
    solved: bool = False
    chosen: bool = False
    post_authors: list[int] = field(default_factory=list)  # one per reply
    post_times: list[datetime] = field(default_factory=list)  # question first


def reply_counts(rng: random.Random, topics: int, replies: int) -> list[int]:
    """Replies per topic, long-tailed (many short threads, a few long), summing to `replies`."""
    mean_answered = replies / topics / (1 - UNANSWERED_SHARE)
    sigma = 0.9
    mu = math.log(mean_answered) - sigma**2 / 2
    counts = [
        0
        if rng.random() < UNANSWERED_SHARE
        else max(1, min(400, round(rng.lognormvariate(mu, sigma))))
        for _ in range(topics)
    ]
    difference = replies - sum(counts)
    while difference:
        i = rng.randrange(topics)
        if difference > 0 and counts[i] and counts[i] < 400:
            counts[i] += 1
            difference -= 1
        elif difference < 0 and counts[i] > 1:
            counts[i] -= 1
            difference += 1
    return counts


def make_plan(
    rng: random.Random, categories: list[int], tag_ids: list[int], members: int, now: datetime
) -> list[TopicPlan]:
    # A few members answer a lot (cumulative weights: rng.choices is called 190,000 times).
    weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in range(members)))
    others = reply_counts(rng, TOPICS - 1, POSTS - TOPICS - CHOSEN_REPLIES)
    chosen_at = rng.randrange(TOPICS // 3, 2 * TOPICS // 3)
    counts = [*others[:chosen_at], CHOSEN_REPLIES, *others[chosen_at:]]
    everyone = range(members)
    plans = []
    for i, replies in enumerate(counts):
        chosen = i == chosen_at
        created = now - timedelta(days=40 if chosen else rng.uniform(0.5, HISTORY_DAYS))
        plan = TopicPlan(
            category_id=categories[0] if chosen else rng.choices(categories, CATEGORY_WEIGHTS)[0],
            author=rng.randrange(1, members) if chosen else rng.randrange(members),
            title=CHOSEN_TITLE if chosen else make_title(rng),
            created_at=created,
            replies=replies,
            tags=rng.sample(tag_ids, k=3 if chosen else rng.choice((1, 1, 2, 2, 3))),
            chosen=chosen,
            locked=not chosen and rng.random() < LOCKED_SHARE,
        )
        for _ in range(replies):
            by_asker = rng.random() < 0.08
            replier = rng.choices(everyone, cum_weights=weights)[0]
            plan.post_authors.append(plan.author if by_asker else replier)
        if chosen:  # the bench's member (0) replied in it, and did not ask it
            for position in MEMBER_POSITIONS:
                plan.post_authors[position - 2] = 0
        plan.post_times = post_times(rng, created, replies, now)
        answered = any(a != plan.author for a in plan.post_authors)
        plan.solved = not chosen and answered and rng.random() < SOLVED_SHARE
        plans.append(plan)
    for category in categories:  # a few pinned guides head each category
        candidates = [p for p in plans if p.category_id == category and not p.chosen]
        for plan in rng.sample(candidates, k=PINNED_PER_CATEGORY):
            plan.pinned = True
    return plans


def post_times(rng: random.Random, start: datetime, replies: int, now: datetime) -> list[datetime]:
    """The question at `start`, replies after it in order, the last no later than `now`."""
    gaps = [rng.expovariate(1 / 6) for _ in range(replies)]  # hours, ~6 on average
    span = (now - start).total_seconds() / 3600 * 0.98
    scale = min(1.0, span / sum(gaps)) if gaps else 1.0
    times, hours = [start], 0.0
    for gap in gaps:
        hours += gap * scale
        times.append(start + timedelta(hours=hours))
    return times


# --- Building ---------------------------------------------------------------------------------


@dataclass
class BuildStats:
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


class _Timer:
    def __init__(self, stats: BuildStats, name: str) -> None:
        self.stats, self.name = stats, name

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        self.stats.seconds[self.name] = time.monotonic() - self.started


def build(*, progress: Callable[[str], None] = step) -> BuildStats:
    """Fill the (migrated, empty) database with the bench forum."""
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    stats = BuildStats()
    started = time.monotonic()
    batch = 2_000  # rows per INSERT where the database allows; Django caps SQLite's at 999 values

    with _Timer(stats, "members"), transaction.atomic():
        members = create_members(rng, batch)
    usernames = [m.username for m in members]
    progress(f"members: {number(len(members))}, with libraries, verified emails, roles")

    with _Timer(stats, "bodies"):
        pool = render_pool(rng, usernames)
    mean = sum(len(b.source) for b in pool) / len(pool)
    progress(
        f"bodies: {len(pool)} rendered with forum.rendering.render_markdown "
        f"({stats.seconds['bodies']:.1f} s), {mean:.0f} characters on average"
    )

    tags = Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in TAG_NAMES[:TAGS]], batch_size=batch
    )
    categories = list(Category.objects.order_by("position").values_list("id", flat=True))
    if len(categories) != len(CATEGORY_WEIGHTS):
        raise RuntimeError(
            f"expected {len(CATEGORY_WEIGHTS)} seeded categories, not {len(categories)}"
        )
    plans = make_plan(rng, categories, [t.pk for t in tags], len(members), now)
    moderators = [m.pk for m in members if m.is_moderator]

    with _Timer(stats, "topics and posts"):
        counts = {"topics": 0, "posts": 0, "votes": 0, "states": 0, "revisions": 0, "tags": 0}
        for chunk in _chunks(plans, TOPICS_PER_CHUNK):
            with transaction.atomic():
                create_chunk(rng, chunk, members, moderators, pool, now, batch, counts)
            progress(
                f"topics {number(counts['topics'])}/{number(TOPICS)}, posts "
                f"{number(counts['posts'])}/{number(POSTS)} ({time.monotonic() - started:.0f} s)"
            )
    stats.rows.update(counts)

    with _Timer(stats, "counters"), transaction.atomic():
        refresh_counters()
    progress(f"counters recomputed with bulk UPDATEs ({stats.seconds['counters']:.1f} s)")
    checked = check_counters(rng)
    progress(f"counters match forum.services.counters on {checked} sampled topics")
    if connection.vendor == "postgresql":
        with _Timer(stats, "analyze"), connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
    stats.seconds["total"] = time.monotonic() - started
    return stats


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Member:
    __slots__ = ("is_moderator", "pk", "username")

    def __init__(self, pk: int, username: str, is_moderator: bool) -> None:
        self.pk, self.username, self.is_moderator = pk, username, is_moderator


def create_members(rng: random.Random, batch: int) -> list[_Member]:
    """MEMBERS librarians with a library each and a verified email; a few moderators.
    Member 0 is the one the bench signs in as (MEMBER_USERNAME)."""
    libraries = []
    for n in range(LIBRARIES):
        city, province = PLACES[n % len(PLACES)]
        kind, pattern = LIBRARY_KINDS[n % len(LIBRARY_KINDS)]
        name = pattern.format(city=city, n=n // len(PLACES) + 1)
        libraries.append(Library(name=name, kind=kind, city=city, province=province))
    libraries = Library.objects.bulk_create(libraries, batch_size=batch)

    password = make_password(PASSWORD)  # hashed once: every member shares it
    users, taken = [], set()
    for n in range(MEMBERS):
        if n == 0:
            first, last = MEMBER_USERNAME.split(".")
            first, last = first.title(), last.title()
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"{first}.{last}".lower()
        while username in taken:
            username = f"{first}.{last}{rng.randint(2, 99)}".lower()
        taken.add(username)
        users.append(
            User(
                username=username,
                email=f"{username}@bench.serambi.test",
                name=f"{first} {last}",
                position=rng.choice(POSITIONS),
                library=rng.choice(libraries),
                password=password,
                date_joined=timezone.now() - timedelta(days=rng.uniform(HISTORY_DAYS, 1200)),
            )
        )
    users = User.objects.bulk_create(users, batch_size=batch)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=batch,
    )
    groups = dict(Group.objects.values_list("name", "id"))
    moderator_indexes = set(rng.sample(range(1, MEMBERS), k=4))
    Membership = User.groups.through
    memberships = [Membership(user_id=u.pk, group_id=groups[roles.LIBRARIANS]) for u in users]
    memberships += [
        Membership(user_id=users[i].pk, group_id=groups[roles.MODERATORS])
        for i in moderator_indexes
    ]
    Membership.objects.bulk_create(memberships, batch_size=batch)
    return [_Member(u.pk, u.username, i in moderator_indexes) for i, u in enumerate(users)]


def create_chunk(
    rng: random.Random,
    plans: list[TopicPlan],
    members: list[_Member],
    moderators: list[int],
    pool: list[Body],
    now: datetime,
    batch: int,
    counts: dict[str, int],
) -> None:
    """Topics, their tags, posts, votes, solutions, revisions and reading states."""
    topics = Topic.objects.bulk_create(
        [
            Topic(
                category_id=plan.category_id,
                title=plan.title,
                slug=slugify(plan.title)[:80].strip("-"),
                author_id=members[plan.author].pk,
                created_at=plan.created_at,
                is_pinned=plan.pinned,
                is_locked=plan.locked,
                view_count=round((plan.replies + 1) * rng.uniform(8, 40)),
                last_activity_at=plan.created_at,  # set right by refresh_counters
            )
            for plan in plans
        ],
        batch_size=batch,
    )
    TaggedTopic.objects.bulk_create(
        [
            TaggedTopic(tag_id=tag, content_object_id=topic.pk)
            for plan, topic in zip(plans, topics, strict=True)
            for tag in plan.tags
        ],
        batch_size=batch,
    )

    posts: list[Post] = []
    votes: list[tuple[int, list[int]]] = []  # (index in posts, voter indexes)
    for plan, topic in zip(plans, topics, strict=True):
        authors = [plan.author, *plan.post_authors]
        # The chosen topic's posts are all different, as a real thread's are (gzip would make
        # short work of a body met twice on a page); elsewhere, repeats are rare enough.
        distinct = rng.sample(pool, len(authors)) if plan.chosen else None
        for position, (author, created) in enumerate(zip(authors, plan.post_times, strict=True), 1):
            body = distinct[position - 1] if distinct else rng.choice(pool)
            post = Post(
                topic_id=topic.pk,
                position=position,
                author_id=members[author].pk,
                source=body.source,
                html=body.html,
                created_at=created,
            )
            if position > 1 and rng.random() < VOTED_SHARE:
                voters = [
                    v for v in rng.sample(range(len(members)), k=rng.randint(1, 6)) if v != author
                ]
                post.helpful_count = len(voters)  # recounted from the votes by refresh_counters
                votes.append((len(posts), voters))
            if rng.random() < EDITED_SHARE:
                post.edited_at = min(now, created + timedelta(minutes=rng.uniform(2, 600)))
                post.revision_count = 1
            if not plan.chosen and position > 1 and rng.random() < HIDDEN_SHARE:
                if rng.random() < 0.5:
                    post.hidden_at, post.hidden_by_id = (
                        post.edited_at or created,
                        rng.choice(moderators),
                    )
                else:
                    post.deleted_at = post.edited_at or created
            posts.append(post)
    posts = Post.objects.bulk_create(posts, batch_size=batch)

    HelpfulVote.objects.bulk_create(
        [
            HelpfulVote(post_id=posts[i].pk, user_id=members[v].pk, created_at=posts[i].created_at)
            for i, voters in votes
            for v in voters
        ],
        batch_size=batch,
    )
    PostRevision.objects.bulk_create(
        [
            PostRevision(
                post_id=post.pk,
                number=1,
                title=plan_title if post.position == 1 else "",
                source=(earlier := rng.choice(pool)).source,
                html=earlier.html,
                created_at=post.created_at,
                author_id=post.author_id,
            )
            for post, plan_title in _with_titles(posts, plans, topics)
            if post.edited_at
        ],
        batch_size=batch,
    )

    by_topic: dict[int, list[Post]] = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)
    solved, states = [], []
    for plan, topic in zip(plans, topics, strict=True):
        thread = by_topic[topic.pk]
        if plan.solved:
            answers = [
                p
                for p in thread[1:]
                if p.author_id != topic.author_id and p.deleted_at is None and p.hidden_at is None
            ]
            if answers:
                solution = rng.choice(answers[: max(1, len(answers) // 2 + 1)])
                topic.solution_id = solution.pk
                topic.solved_by_id = topic.author_id
                topic.solved_at = min(
                    now, solution.created_at + timedelta(hours=rng.uniform(1, 48))
                )
                solved.append(topic)
        read_up_to: dict[int, int] = {}
        for post in thread:
            read_up_to[post.author_id] = post.position
        states += [
            TopicState(
                user_id=user,
                topic_id=topic.pk,
                subscribed=True,
                last_read_position=position,
                updated_at=thread[position - 1].created_at,
            )
            for user, position in read_up_to.items()
        ]
    Topic.objects.bulk_update(solved, ["solution", "solved_by", "solved_at"], batch_size=200)
    TopicState.objects.bulk_create(states, batch_size=batch)

    counts["topics"] += len(topics)
    counts["posts"] += len(posts)
    counts["votes"] += sum(len(v) for _, v in votes)
    counts["tags"] += sum(len(p.tags) for p in plans)
    counts["states"] += len(states)
    counts["revisions"] += sum(1 for p in posts if p.edited_at)


def _with_titles(posts: list[Post], plans: list[TopicPlan], topics: list[Topic]):
    titles = {topic.pk: plan.title for plan, topic in zip(plans, topics, strict=True)}
    return ((post, titles[post.topic_id]) for post in posts)


def refresh_counters() -> None:
    """What forum.services keeps, recomputed from the rows for every topic in a few UPDATEs
    (topic_refresh per topic would be 30,000 queries), then category_refresh per category."""
    if connection.vendor == "postgresql":
        # Statistics of the rows just loaded: without them the planner guesses the posts
        # table is empty and may read a partial index for every topic's subquery.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE forum_post, forum_topic, forum_helpfulvote")
    votes = HelpfulVote.objects.filter(post=OuterRef("pk")).values("post").annotate(n=Count("id"))
    Post.objects.filter(helpful_votes__isnull=False).update(
        helpful_count=Subquery(votes.values("n")[:1])
    )
    own = Post.objects.filter(topic=OuterRef("pk"))
    visible = own.filter(deleted_at=None, hidden_at=None)
    replies = visible.filter(position__gt=1).values("topic").annotate(n=Count("id")).values("n")[:1]
    helpful = visible.values("topic").annotate(n=Sum("helpful_count")).values("n")[:1]
    last = visible.order_by("-position")
    first_answer = (
        own.filter(position__gt=1).exclude(author=OuterRef("author")).order_by("position")
    )
    Topic.objects.update(
        reply_count=Coalesce(Subquery(replies), Value(0)),
        helpful_count=Coalesce(Subquery(helpful), Value(0)),
        last_position=Subquery(own.order_by("-position").values("position")[:1]),
        last_post=Subquery(last.values("id")[:1]),
        last_activity_at=Coalesce(Subquery(last.values("created_at")[:1]), F("created_at")),
        first_answered_at=Subquery(first_answer.values("created_at")[:1]),
        first_answered_by=Subquery(first_answer.values("author")[:1]),
    )
    for category in Category.objects.all():
        category_refresh(category)


def check_counters(rng: random.Random, sample: int = 8) -> int:
    """Recompute a sample of topics with forum.services.counters.topic_refresh: it must find
    nothing to change. Raises when it does (a bug here, not in the app)."""
    fields = ("reply_count", "helpful_count", "last_post_id", "last_activity_at")
    ids = list(Topic.objects.values_list("id", flat=True))
    chosen = Topic.objects.filter(title=CHOSEN_TITLE).values_list("id", flat=True).first()
    sampled = [chosen, *rng.sample(ids, k=sample - 1)]
    with transaction.atomic():
        for topic in Topic.objects.filter(pk__in=sampled):
            before = {name: getattr(topic, name) for name in fields}
            topic_refresh(topic)
            after = {name: getattr(topic, name) for name in fields}
            if before != after:
                raise RuntimeError(
                    f"topic {topic.pk}: bulk counters {before} != topic_refresh {after}"
                )
    expected = Topic.objects.filter(is_visible=True).aggregate(
        topics=Count("id"), replies=Coalesce(Sum("reply_count"), 0)
    )
    totals = Category.objects.aggregate(topics=Sum("topic_count"), replies=Sum("reply_count"))
    if totals != expected:
        raise RuntimeError(f"category totals {totals} != topic totals {expected}")
    return len(sampled)


# --- Reading it back --------------------------------------------------------------------------


@dataclass(frozen=True)
class Landmarks:
    """What the bench measures, found in a built database."""

    topic: Topic
    member: User
    category: Category  # the largest: its last page is the deepest list page
    topics: int
    posts: int


def landmarks() -> Landmarks:
    topic = Topic.objects.filter(title=CHOSEN_TITLE).select_related("category").first()
    member = User.objects.filter(username=MEMBER_USERNAME).first()
    if topic is None or member is None:
        raise RuntimeError("the bench forum is not in this database (use --rebuild)")
    if not Post.objects.filter(topic=topic, author=member).exists():
        raise RuntimeError(f"{MEMBER_USERNAME} has not posted in the chosen topic")
    return Landmarks(
        topic=topic,
        member=member,
        category=Category.objects.order_by("-topic_count").first(),
        topics=Topic.objects.count(),
        posts=Post.objects.count(),
    )


def describe(stats: BuildStats) -> None:
    rows = stats.rows
    detail(
        f"{number(rows['topics'])} topics, {number(rows['posts'])} posts, "
        f"{number(rows['votes'])} helpful votes, {number(rows['tags'])} tags on topics, "
        f"{number(rows['states'])} reading states, {number(rows['revisions'])} revisions"
    )
    detail(
        "seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in stats.seconds.items())
    )


__all__ = [
    "Landmarks",
    "build",
    "describe",
    "landmarks",
]
