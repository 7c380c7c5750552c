from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts import roles
from accounts.models import Library
from tests.factories import LibraryFactory, UserFactory


def member(**kwargs):
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=30))
    return UserFactory(librarian=True, **kwargs)


@pytest.fixture
def author(db):
    return member(username="sari", name="Sari Wulandari")


@pytest.fixture
def editor(db):
    return member(username="dewi", name="Dewi Lestari", role=roles.EDITORS)


@pytest.fixture
def host(db) -> Library:
    return LibraryFactory(name="Dinas Perpustakaan Provinsi Sumatera Selatan", city="Palembang")


def png(name="foto.png", size=(1600, 1200), colour=(30, 120, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report_form_data(
    host: Library,
    *,
    title="Sirkulasi dengan SLiMS di perpustakaan provinsi",
    practices=1,
    **overrides,
) -> dict:
    from forum.models import Category

    area = Category.objects.get(slug="layanan-pemustaka")
    data = {
        "title": title,
        "host_library": host.pk,
        "start_date": "2026-08-03",
        "end_date": "2026-08-14",
        "scheme": "Program pembinaan",
        "areas": [area.pk],
        "tags": "slims, sirkulasi",
        "colleagues": "",
        "summary": "Dua minggu di layanan sirkulasi.",
        "objectives": "Belajar alur sirkulasi dengan SLiMS.",
        "lessons_learned": "Perubahan kecil yang konsisten berhasil.",
        "follow_up_status": "planned",
        "follow_up_date": "",
        "practices-TOTAL_FORMS": str(practices),
        "practices-INITIAL_FORMS": "0",
        "practices-MIN_NUM_FORMS": "1",
        "practices-MAX_NUM_FORMS": "8",
        "plan-TOTAL_FORMS": "1",
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": "12",
        "plan-0-action": "Mencatat nomor WhatsApp anggota",
        "plan-0-person_responsible": "Petugas keanggotaan",
        "plan-0-timeline": "Oktober 2026",
        "plan-0-resources": "",
        "plan-0-success_indicator": "80% anggota punya nomor",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "6",
        "contacts-0-name": "Ibu Ratna",
        "contacts-0-role": "Kepala sirkulasi",
        "contacts-0-email": "ratna@contoh.test",
        "contacts-0-phone": "",
    }
    for n in range(practices):
        data.update(
            {
                f"practices-{n}-title": f"Pengingat sebelum jatuh tempo {n + 1}",
                f"practices-{n}-description": "Petugas mengirim pesan dua hari sebelumnya.",
                f"practices-{n}-why_it_works": "Kebanyakan pemustaka lupa.",
                f"practices-{n}-resources_and_cost": "",
                f"practices-{n}-prerequisites": "",
            }
        )
    data.update(overrides)
    return data
