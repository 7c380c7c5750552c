"""The certificate of attendance as a PDF: what a librarian, a printer and whoever checks the
certificate see. The text is read back from the file's content streams (`pdf_text`), so the
tests look at what is printed on the page, not at how it was drawn."""

from __future__ import annotations

import datetime
import re
import zlib
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from programme.certificates import certificate_pdf, verification_url
from programme.models import Certificate, TrainingSession
from tests.forum.factories import competency_area, create_member

pytestmark = pytest.mark.django_db

WIB = timezone.get_fixed_timezone(7 * 60)
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
SHOWN_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped.isdigit():
            return bytes([int(escaped, 8)])
        return ESCAPED.get(escaped, escaped)

    return ESCAPE.sub(replace, literal)


def _inflated_streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated: each ends where its zlib data ends, so neither
    /Length nor the bytes around "endstream" need reading."""
    inflated = []
    for start in STREAM_START.finditer(pdf):
        try:
            inflated.append(zlib.decompressobj().decompress(pdf[start.end() :]))
        except zlib.error:
            continue  # not FlateDecode
    return inflated


def pdf_text(pdf: bytes) -> str:
    """The strings shown with `Tj` in the PDF's compressed content streams, one a line."""
    shown = []
    for content in _inflated_streams(pdf):
        if b"Tj" in content:
            shown += [
                _unescape(s).decode("cp1252", errors="replace")
                for s in SHOWN_STRING.findall(content)
            ]
    return "\n".join(shown)


def pdf_info(pdf: bytes, key: str) -> str:
    """An entry of the PDF's document information: a literal string, or UTF-16 in hex."""
    match = re.search(rb"/" + key.encode() + rb" (?:\((.*?)\)|<feff([0-9a-f]*)>)\n", pdf)
    literal, utf16 = match.groups()
    if utf16 is not None:
        return bytes.fromhex(utf16.decode()).decode("utf-16-be")
    return _unescape(literal).decode("latin-1")


@pytest.fixture
def session() -> TrainingSession:
    return TrainingSession.objects.create(
        title="Katalogisasi dengan RDA",
        area=competency_area(),
        description="Dua hari praktik katalogisasi.",
        kind="workshop",
        mode="in_person",
        capacity=30,
        registration_deadline=datetime.datetime(2026, 11, 30, 17, 0, tzinfo=WIB),
    )


def make_certificate(session: TrainingSession, **fields) -> Certificate:
    fields = {
        "holder_name": "Sri Wahyuni",
        "session_title": session.title,
        "area_name": "Layanan Pemustaka",
        "first_day": datetime.date(2026, 12, 5),
        "last_day": datetime.date(2026, 12, 6),
        "hours": Decimal("12.5"),
        "trainers": "Rina Koordinator, Budi Santoso",
        "issued_at": datetime.datetime(2026, 12, 7, 9, 0, tzinfo=WIB),
        **fields,
    }
    return Certificate.objects.create(session=session, user=create_member(), **fields)


@pytest.fixture
def certificate(session) -> Certificate:
    return make_certificate(session)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_pdf_of_one_page_with_the_holder_the_session_and_the_code(certificate, language):
    pdf = certificate_pdf(certificate, language=language)

    assert pdf.startswith(b"%PDF")
    assert b"/Count 1\n" in pdf
    text = pdf_text(pdf)
    assert "Sri Wahyuni" in text
    assert "Katalogisasi dengan RDA" in text
    assert "Layanan Pemustaka" in text
    assert certificate.code in text


def test_the_verification_url_is_printed_and_encoded_in_a_qr_image(certificate):
    url = verification_url(certificate)

    assert url == f"{settings.SITE_URL}/program/sertifikat/{certificate.code}/"
    pdf = certificate_pdf(certificate, language="id")
    assert url in pdf_text(pdf).splitlines()
    assert pdf.count(b"/Subtype /Image") == 1  # the QR code: the page has no other picture
    assert f"/URI ({url})".encode() in pdf  # and the printed address is a link


def test_english_wording_dates_and_hours(certificate):
    text = pdf_text(certificate_pdf(certificate, language="en"))

    assert "Certificate of attendance" in text
    assert "5\N{EN DASH}6 December 2026 \N{MIDDLE DOT} 12.5 hours" in text
    assert "Trainers: Rina Koordinator, Budi Santoso" in text
    assert "Issued on 7 December 2026" in text
    assert "Check this certificate at" in text


def test_indonesian_dates_and_decimal_comma(certificate):
    text = pdf_text(certificate_pdf(certificate, language="id"))

    assert "5\N{EN DASH}6 Desember 2026 \N{MIDDLE DOT} 12,5 " in text
    assert "7 Desember 2026" in text


@pytest.mark.parametrize(
    ("first_day", "last_day", "shown"),
    [
        ((2026, 12, 5), (2026, 12, 5), "5 Desember 2026"),
        ((2026, 12, 5), (2026, 12, 6), "5\N{EN DASH}6 Desember 2026"),
        ((2026, 11, 28), (2026, 12, 2), "28 November \N{EN DASH} 2 Desember 2026"),
        ((2026, 12, 30), (2027, 1, 2), "30 Desember 2026 \N{EN DASH} 2 Januari 2027"),
    ],
)
def test_a_range_of_days_shares_its_month_and_year(session, first_day, last_day, shown):
    certificate = make_certificate(
        session, first_day=datetime.date(*first_day), last_day=datetime.date(*last_day)
    )

    lines = pdf_text(certificate_pdf(certificate, language="id")).splitlines()
    assert any(line.startswith(f"{shown} \N{MIDDLE DOT} ") for line in lines)


@pytest.mark.parametrize(("hours", "shown"), [("1.0", "1 hour"), ("3.0", "3 hours")])
def test_whole_hours_have_no_decimals(session, hours, shown):
    certificate = make_certificate(session, hours=Decimal(hours))

    assert f"\N{MIDDLE DOT} {shown}" in pdf_text(certificate_pdf(certificate, language="en"))


def test_without_trainers_there_is_no_trainers_line(session):
    certificate = make_certificate(session, trainers="")

    assert "Trainer" not in pdf_text(certificate_pdf(certificate, language="en"))


@pytest.mark.parametrize(
    ("holder_name", "printed"),
    [("Nguyễn Thị Ánh", "Nguyen Thi Ánh"), ("Zoë Łukasz", "Zoë Lukasz")],
)
def test_names_beyond_latin_1_are_transliterated_where_needed(session, holder_name, printed):
    certificate = make_certificate(session, holder_name=holder_name)

    pdf = certificate_pdf(certificate, language="id")

    assert pdf.startswith(b"%PDF")
    assert printed in pdf_text(pdf).splitlines()


def test_long_names_and_titles_stay_on_one_page(session):
    certificate = make_certificate(
        session, holder_name="Raden Ajeng " * 25, session_title="Pelestarian naskah kuno " * 8
    )

    pdf = certificate_pdf(certificate, language="id")

    assert b"/Count 1\n" in pdf


def test_metadata_and_repeatable_output(certificate):
    pdf = certificate_pdf(certificate, language="en")

    assert pdf_info(pdf, "Author") == "Serambi"
    assert pdf_info(pdf, "Title") == (
        "Certificate of attendance: Sri Wahyuni \N{EN DASH} Katalogisasi dengan RDA"
    )
    assert certificate_pdf(certificate, language="en") == pdf
