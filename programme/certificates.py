"""Certificates of attendance as PDF files: one A4 landscape page, printable, with a QR code
that leads to the certificate's verification page.

fpdf2 draws the page and segno the QR code: both are pure-Python wheels, so the certificate
needs no system package (no Cairo, Pango or wkhtmltopdf) and no system font, which a fresh
Debian image does not have. The text is set in Helvetica, one of the PDF core fonts every
viewer has. Core fonts only know the Windows-1252 characters (Latin-1 and a few more, such as
the en dash of "5–6 Desember 2026"): the few characters outside it, as in "Nguyễn" or
"Łukasz", are transliterated with anyascii, one character at a time, so that "Ánh" keeps its
accent.

The output depends only on the certificate and the language: its creation date is the
certificate's issue date, and fpdf2 derives the file's ID from the content.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from decimal import Decimal
from functools import lru_cache

import segno
from anyascii import anyascii
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from programme.models import Certificate

CORE_FONT_ENCODING = "windows-1252"
FONT = "Helvetica"
PAGE_WIDTH = 297  # A4 landscape, in millimetres
PAGE_HEIGHT = 210
MARGIN = 24
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 30
QR_TOP = 158

INK = (33, 37, 41)
MUTED = (95, 99, 104)
BRAND = (15, 90, 75)  # --brand of the site's stylesheet

DASH = "\N{EN DASH}"


def verification_url(certificate: Certificate) -> str:
    """The certificate's verification page, as an absolute address anyone can open."""
    return settings.SITE_URL + certificate.get_absolute_url()


def certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    """The certificate as a one-page PDF, its words in `language` ("id" or "en")."""
    with translation.override(language):
        pdf = _new_document(certificate, language)
        _draw_frame(pdf)
        _draw_body(pdf, certificate)
        _draw_footer(pdf, certificate)
        return bytes(pdf.output())


# --- Text ----------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _encodable(character: str) -> bool:
    try:
        character.encode(CORE_FONT_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """`text` with the characters the core fonts cannot show transliterated, the rest kept."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(ch if _encodable(ch) else anyascii(ch) for ch in composed)


def _day(day: datetime.date, fmt: str = "j F Y") -> str:
    return formats.date_format(day, fmt)


def date_range(first: datetime.date, last: datetime.date) -> str:
    """The days in the active language: "5 Desember 2026", "5–6 Desember 2026",
    "28 November – 2 Desember 2026" or, across a new year, both dates in full."""
    if first == last:
        return _day(last)
    if (first.year, first.month) == (last.year, last.month):
        return f"{_day(first, 'j')}{DASH}{_day(last)}"
    if first.year == last.year:
        return f"{_day(first, 'j F')} {DASH} {_day(last)}"
    return f"{_day(first)} {DASH} {_day(last)}"


def hours_text(hours: Decimal) -> str:
    """The hours in the active language: "12,5 jam", "12.5 hours"; "3 jam", not "3,0 jam"."""
    whole = hours == hours.to_integral_value()
    number = formats.number_format(hours, decimal_pos=0 if whole else 1, use_l10n=True)
    # A fraction takes the plural ("1.5 hours"); 2 selects it in English and Indonesian.
    count = int(hours) if whole else 2
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": number}


def _trainers_text(trainers: str) -> str:
    names = [name.strip() for name in trainers.split(",") if name.strip()]
    if not names:
        return ""
    return ngettext("Trainer: %(names)s", "Trainers: %(names)s", len(names)) % {
        "names": ", ".join(names)
    }


def _issued_on(issued_at: datetime.datetime) -> str:
    return _day(timezone.localtime(issued_at).date())


# --- Drawing -------------------------------------------------------------------------------


def _new_document(certificate: Certificate, language: str) -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.core_fonts_encoding = CORE_FONT_ENCODING
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    heading = gettext("Certificate of attendance")
    pdf.set_title(f"{heading}: {certificate.holder_name} {DASH} {certificate.session_title}")
    pdf.set_subject(certificate.session_title)
    pdf.set_author("Serambi")
    pdf.set_creator("Serambi")
    pdf.set_keywords(certificate.code)
    pdf.set_lang(language)
    pdf.set_creation_date(certificate.issued_at)
    pdf.add_page()
    pdf.set_text_color(*INK)
    return pdf


def _draw_frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, PAGE_WIDTH - 28, PAGE_HEIGHT - 28)


def _set_font(pdf: FPDF, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.set_text_color(*colour)


def _fit(pdf: FPDF, text: str, *, size: float, smallest: float, width: float) -> None:
    """Shrink the current font from `size` until `text` fits on one line of `width`, but not
    below `smallest`: longer text then wraps."""
    pdf.set_font_size(size)
    while size > smallest and pdf.get_string_width(text) > width:
        size -= 1
        pdf.set_font_size(size)


def _centred(pdf: FPDF, text: str, *, height: float) -> None:
    pdf.multi_cell(
        TEXT_WIDTH, height, printable(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )


def _draw_body(pdf: FPDF, certificate: Certificate) -> None:
    pdf.set_y(30)
    _set_font(pdf, 11, "B", BRAND)
    _centred(pdf, "SERAMBI", height=6)
    pdf.ln(3)
    _set_font(pdf, 30, "B")
    _centred(pdf, gettext("Certificate of attendance"), height=13)
    _draw_rule(pdf, pdf.get_y() + 3)
    pdf.ln(9)
    _set_font(pdf, 13, "I", MUTED)
    _centred(pdf, gettext("awarded to"), height=7)
    _centred_fitted(pdf, certificate.holder_name, size=30, smallest=16, colour=BRAND)
    pdf.ln(5)
    _set_font(pdf, 13, "I", MUTED)
    _centred(pdf, gettext("for attending"), height=7)
    _centred_fitted(pdf, certificate.session_title, size=19, smallest=13)
    pdf.ln(5)
    _draw_details(pdf, certificate)


def _centred_fitted(
    pdf: FPDF, text: str, *, size: float, smallest: float, colour: tuple[int, int, int] = INK
) -> None:
    _set_font(pdf, size, "B", colour)
    text = printable(text)
    _fit(pdf, text, size=size, smallest=smallest, width=TEXT_WIDTH)
    _centred(pdf, text, height=pdf.font_size * 1.35)


def _draw_rule(pdf: FPDF, y: float) -> None:
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(0.6)
    pdf.line(PAGE_WIDTH / 2 - 30, y, PAGE_WIDTH / 2 + 30, y)


def _draw_details(pdf: FPDF, certificate: Certificate) -> None:
    _set_font(pdf, 12)
    area = gettext("Competency area: %(area)s") % {"area": certificate.area_name}
    _centred(pdf, area, height=6.5)
    when = date_range(certificate.first_day, certificate.last_day)
    _centred(pdf, f"{when} \N{MIDDLE DOT} {hours_text(certificate.hours)}", height=6.5)
    trainers = _trainers_text(certificate.trainers)
    if trainers:
        _set_font(pdf, 11, colour=MUTED)
        _centred(pdf, trainers, height=6)


def _draw_footer(pdf: FPDF, certificate: Certificate) -> None:
    _set_font(pdf, 10, colour=MUTED)
    pdf.set_xy(MARGIN, QR_TOP + 14)
    issued = gettext("Issued on %(date)s") % {"date": _issued_on(certificate.issued_at)}
    pdf.cell(100, 5, printable(issued), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    code = gettext("Certificate code: %(code)s") % {"code": certificate.code}
    pdf.cell(100, 5, printable(code), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _draw_verification(pdf, verification_url(certificate))


def _draw_verification(pdf: FPDF, url: str) -> None:
    qr_left = PAGE_WIDTH - MARGIN - QR_SIZE
    pdf.image(_qr_png(url), x=qr_left, y=QR_TOP, w=QR_SIZE, h=QR_SIZE, alt_text=url)
    text_width = 110
    text_left = qr_left - 4 - text_width
    _set_font(pdf, 10, colour=MUTED)
    pdf.set_xy(text_left, QR_TOP + 14)
    pdf.cell(text_width, 5, printable(gettext("Check this certificate at")), align="R")
    _set_font(pdf, 10, colour=BRAND)
    _fit(pdf, url, size=10, smallest=6, width=text_width)
    pdf.set_xy(text_left, QR_TOP + 19)
    pdf.cell(text_width, 5, printable(url), align="R", link=url)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=0, dark="#0a4237")
    buffer.seek(0)
    return buffer
