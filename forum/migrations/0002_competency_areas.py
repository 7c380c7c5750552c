"""The competency areas of the city's librarian development programme, as the forum's first
categories (administrators edit them later), and the forum permissions of the roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AREAS = [
    # slug, colour, name, English name, description, English description
    (
        "teknologi-informasi", "blue",
        "Teknologi Informasi", "Information Technology",
        "Otomasi perpustakaan (SLiMS, INLISLite), katalog daring, komputer dan jaringan "
        "layanan, perpustakaan digital.",
        "Library automation (SLiMS, INLISLite), online catalogues, service computers and "
        "networks, digital libraries.",
    ),
    (
        "manajemen-perpustakaan", "teal",
        "Manajemen Perpustakaan", "Library Management",
        "Pengadaan dan pengolahan koleksi, sirkulasi, keanggotaan, anggaran, tata ruang dan "
        "pelaporan.",
        "Acquisitions and cataloguing, circulation, membership, budgets, space and reporting.",
    ),
    (
        "layanan-pemustaka", "orange",
        "Layanan Pemustaka", "User Services",
        "Pelayanan prima di meja layanan, penanganan keluhan, keterlambatan pengembalian dan "
        "etika layanan.",
        "Customer service at the desk, handling complaints, late returns and service ethics.",
    ),
    (
        "literasi-informasi", "purple",
        "Literasi Informasi", "Information Literacy",
        "Kelas literasi, bimbingan pemustaka, gerakan gemar membaca dan literasi digital.",
        "Literacy classes, user education, reading promotion and digital literacy.",
    ),
    (
        "kerja-sama-sekolah-kampus", "green",
        "Kerja Sama dengan Sekolah dan Perguruan Tinggi", "Collaboration with Schools and Universities",
        "Program bersama dengan sekolah, kampus dan komunitas; layanan keliling dan kunjungan.",
        "Joint programmes with schools, universities and communities; mobile services and visits.",
    ),
    (
        "pengembangan-profesi", "brown",
        "Pengembangan Profesi", "Professional Growth",
        "Budaya belajar, pelatihan fleksibel, magang, pendanaan dan kemitraan, jenjang jabatan "
        "fungsional.",
        "Learning culture, flexible training, internships, funding and partnerships, career "
        "grades.",
    ),
]

MODERATOR_PERMISSIONS = [
    "view_topic", "view_post", "view_flag", "change_flag", "view_moderationlog",
]


def create_areas(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (slug, colour, name, name_en, description, description_en) in enumerate(AREAS):
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "colour": colour, "name": name, "name_en": name_en, "description": description,
                "description_en": description_en, "position": position,
            },
        )

    app_config = apps.get_app_config("forum")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.get(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", codename__in=MODERATOR_PERMISSIONS)
    )


def remove_areas(apps, schema_editor):
    apps.get_model("forum", "Category").objects.filter(slug__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_areas, remove_areas)]
