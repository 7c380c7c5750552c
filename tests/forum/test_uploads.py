from __future__ import annotations

import io
import struct
import zipfile
import zlib

import filetype
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms

from forum.uploads import (
    MAX_DOCUMENT_BYTES,
    MAX_FILENAME_CHARS,
    MAX_IMAGE_BYTES,
    ProcessedUpload,
    UploadRejected,
    process_upload,
)
from tests.forum.factories import pdf_bytes

# Lubuklinggau, where a phone would have put it.
LATITUDE = (3.0, 17.0, 46.0)
LONGITUDE = (102.0, 51.0, 40.0)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


TINY_PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _english():
    # The site speaks Indonesian; these msgids are asserted in English.
    with translation.override("en"):
        yield


def upload(data: bytes, name: str = "lampiran") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def rejection(data: bytes, name: str = "lampiran") -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        process_upload(upload(data, name))
    return caught.value


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    # Noise over a gradient: compresses like a photo, unlike a flat colour.
    noise = Image.effect_noise(size, 40).convert(mode)
    return Image.blend(noise, Image.linear_gradient("L").resize(size).convert(mode), 0.6)


def halves(size: tuple[int, int], left: str, right: str) -> Image.Image:
    image = Image.new("RGB", size, left)
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def reopen(result: ProcessedUpload) -> Image.Image:
    image = Image.open(io.BytesIO(result.content))
    image.load()
    return image


def close_to(actual, expected, tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A15"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    return exif


def png_declaring(width: int, height: int) -> bytes:
    """A real 1-bit PNG of one colour: tiny on the wire, `width` x `height` once decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def package(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            stored = zipfile.ZIP_STORED if member == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(member, content, compress_type=stored)
    return out.getvalue()


def ooxml(main_part: str, main_type: str, *, padding: int = 0) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    # Packages written by some tools put other members first; filetype looks only so far.
    members: dict[str, str | bytes] = {
        f"docProps/custom{i}.xml": "<x/>" * 2000 for i in range(padding)
    }
    members["[Content_Types].xml"] = content_types
    members[main_part] = "<document><body><p>Daftar buku rusak</p></body></document>"
    return package(members)


def docx(**options) -> bytes:
    return ooxml("word/document.xml", f"{DOCX}.main+xml", **options)


def odf(mimetype: str) -> bytes:
    return package({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


# Photos and screenshots


def test_photo_is_stored_as_jpeg_with_its_size():
    result = process_upload(upload(encode(photo((640, 480)), "JPEG"), "rak.jpg"))

    assert (result.kind, result.extension, result.content_type) == ("image", ".jpg", "image/jpeg")
    assert (result.width, result.height) == (640, 480)
    assert result.size == len(result.content)
    assert reopen(result).format == "JPEG"


def test_gps_location_is_stripped_from_photos():
    original = encode(photo(), "JPEG", exif=phone_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    stored = reopen(process_upload(upload(original, "rak.jpg")))

    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in stored.info


def test_comments_xmp_and_camera_details_are_stripped_from_photos():
    original = encode(
        photo(),
        "JPEG",
        exif=phone_exif(),
        comment=b"secret-comment",
        xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
    )

    content = process_upload(upload(original, "rak.jpg")).content

    for trace in (b"secret-comment", b"secret-xmp", b"Samsung", b"Galaxy", b"Exif"):
        assert trace not in content


def test_photo_is_turned_upright_as_its_orientation_says():
    # Orientation 6: the phone was held upright, the sensor stored the picture lying on its
    # side; its left edge is the top of what was seen.
    sideways = halves((80, 40), left="red", right="blue")
    original = encode(sideways, "JPEG", quality=95, exif=phone_exif(orientation=6))

    result = process_upload(upload(original, "rak.jpg"))
    stored = reopen(result)

    assert (result.width, result.height) == (40, 80)
    assert stored.size == (40, 80)
    assert close_to(stored.getpixel((20, 10)), (255, 0, 0), tolerance=40)
    assert close_to(stored.getpixel((20, 70)), (0, 0, 255), tolerance=40)
    assert ExifTags.Base.Orientation not in stored.getexif()


@pytest.mark.parametrize(
    ("size", "stored_size"),
    [((4000, 3000), (1600, 1200)), ((3000, 4000), (1200, 1600)), ((1700, 400), (1600, 376))],
)
def test_large_photo_is_resized_to_1600_on_its_long_side(size, stored_size):
    result = process_upload(upload(encode(photo(size), "JPEG", quality=90), "rak.jpg"))

    assert (result.width, result.height) == stored_size
    assert reopen(result).size == stored_size


def test_small_image_is_not_enlarged():
    result = process_upload(upload(encode(photo((300, 200)), "PNG"), "layar.png"))

    assert (result.width, result.height) == (300, 200)


def test_photo_is_stored_as_progressive_jpeg():
    stored = reopen(process_upload(upload(encode(photo((640, 480)), "JPEG"), "rak.jpg")))

    assert stored.info.get("progressive") == 1


def test_png_keeps_its_transparency():
    image = Image.new("RGBA", (40, 40), (0, 128, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 20, 40))

    result = process_upload(upload(encode(image, "PNG"), "logo.png"))
    stored = reopen(result)

    assert (result.extension, result.content_type) == (".png", "image/png")
    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] == 0
    assert stored.getpixel((35, 5)) == (0, 128, 0, 255)


def test_large_screenshot_is_resized_and_stays_png():
    screenshot = Image.new("RGB", (2400, 1080), "white")
    screenshot.paste((200, 0, 0), (0, 0, 2400, 100))

    result = process_upload(upload(encode(screenshot, "PNG"), "galat-slims.png"))

    assert (result.extension, result.width, result.height) == (".png", 1600, 720)


def test_gif_is_stored_as_png_of_its_first_frame():
    frames = [Image.new("RGB", (30, 30), colour) for colour in ("red", "blue")]
    original = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)

    result = process_upload(upload(original, "animasi.gif"))
    stored = reopen(result)

    assert (result.kind, result.extension, result.content_type) == ("image", ".png", "image/png")
    assert result.filename == "animasi.png"
    assert getattr(stored, "n_frames", 1) == 1
    assert stored.convert("RGB").getpixel((15, 15)) == (255, 0, 0)


def test_gif_transparency_is_kept_in_png():
    image = Image.new("P", (20, 20), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 10, 20))

    stored = reopen(process_upload(upload(encode(image, "GIF", transparency=0), "ikon.gif")))

    assert stored.mode == "RGBA"
    assert stored.getpixel((2, 2))[3] == 0
    assert stored.getpixel((15, 2)) == (255, 0, 0, 255)


def test_cmyk_jpeg_is_stored_in_rgb():
    cmyk = Image.new("CMYK", (40, 40), (0, 255, 255, 0))  # red ink

    result = process_upload(upload(encode(cmyk, "JPEG", quality=95), "sampul.jpg"))
    stored = reopen(result)

    assert (result.extension, stored.mode) == (".jpg", "RGB")
    assert close_to(stored.getpixel((20, 20)), (255, 0, 0), tolerance=30)


def test_colour_profile_is_dropped_once_the_pixels_are_in_srgb():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = encode(Image.new("RGB", (40, 40), (30, 120, 200)), "JPEG", icc_profile=srgb)

    stored = reopen(process_upload(upload(original, "rak.jpg")))

    assert "icc_profile" not in stored.info
    assert close_to(stored.getpixel((20, 20)), (30, 120, 200))


def test_webp_stays_webp():
    result = process_upload(upload(encode(photo((200, 100)), "WEBP"), "foto.webp"))

    assert (result.kind, result.extension, result.content_type) == ("image", ".webp", "image/webp")
    assert reopen(result).format == "WEBP"


def test_16_bit_grey_png_keeps_its_tones():
    grey = Image.new("I;16", (20, 20), 32768)

    stored = reopen(process_upload(upload(encode(grey, "PNG"), "pindaian.png")))

    assert stored.getpixel((5, 5)) in (127, 128)


def test_truncated_jpeg_is_rejected_as_corrupt():
    whole = encode(photo((400, 300)), "JPEG")

    error = rejection(whole[: len(whole) // 2], "rak.jpg")

    assert error.code == "corrupt_image"
    assert error.message == (
        "This image could not be read: it may be damaged or cut short. "
        "Save it again and attach it again."
    )


def test_damaged_png_is_rejected_as_corrupt():
    original = bytearray(encode(photo((50, 50)), "PNG"))
    original[60:80] = b"\xff" * 20  # inside the pixel data: its checksum no longer matches

    assert rejection(bytes(original), "layar.png").code == "corrupt_image"


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # past Pillow's own bomb limit: it refuses to open it
        (8000, 6000),  # under Pillow's, over ours
    ],
)
def test_decompression_bomb_is_rejected_before_decoding(size):
    bomb = png_declaring(*size)
    assert len(bomb) < 1024 * 1024

    error = rejection(bomb, "bom.png")

    assert error.code == "too_many_pixels"
    assert error.message == "This image has too many pixels: at most 40 megapixels."


def test_heic_photo_is_rejected_as_unsupported():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    assert filetype.guess_mime(heic) == "image/heic"

    assert rejection(heic, "IMG_0001.HEIC").code == "unsupported_type"


def test_image_over_8_mb_is_rejected():
    padded = encode(photo(), "JPEG").ljust(MAX_IMAGE_BYTES + 1, b"\x00")

    error = rejection(padded, "besar.jpg")

    assert error.code == "too_large"
    assert error.message == "This file is too large: at most 8 MB."


def test_image_of_exactly_8_mb_is_accepted():
    # Bytes after a JPEG's end are ignored by decoders, and dropped by the re-encoding.
    padded = encode(photo(), "JPEG").ljust(MAX_IMAGE_BYTES, b"\x00")

    result = process_upload(upload(padded, "besar.jpg"))

    assert result.size < 100_000


class CountingStream(io.BytesIO):
    """A stream whose size is not known up front, counting what is read of it."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_stream_of_unknown_size_is_read_no_further_than_the_limit():
    stream = CountingStream(encode(photo(), "JPEG").ljust(3 * MAX_IMAGE_BYTES, b"\x00"))

    with pytest.raises(UploadRejected) as caught:
        process_upload(stream, name="besar.jpg")

    assert caught.value.code == "too_large"
    assert stream.bytes_read == MAX_IMAGE_BYTES + 1


# Documents


def test_pdf_is_stored_byte_for_byte():
    result = process_upload(upload(TINY_PDF, "Laporan Bulanan.pdf"))

    assert (result.kind, result.extension, result.content_type) == (
        "document",
        ".pdf",
        "application/pdf",
    )
    assert result.content == TINY_PDF
    assert result.size == len(TINY_PDF)
    assert (result.width, result.height) == (None, None)


def test_docx_is_stored_byte_for_byte_as_a_word_document():
    original = docx()
    assert filetype.guess_mime(original) == DOCX

    result = process_upload(upload(original, "notulen.docx"))

    assert (result.extension, result.content_type) == (".docx", DOCX)
    assert result.content == original


def test_docx_is_recognised_even_where_filetype_sees_only_a_zip():
    original = docx(padding=6)
    assert filetype.guess_mime(original) == "application/zip"

    assert process_upload(upload(original, "notulen.docx")).extension == ".docx"


@pytest.mark.parametrize(
    ("document", "extension", "content_type"),
    [
        (ooxml("xl/workbook.xml", f"{XLSX}.main+xml"), ".xlsx", XLSX),
        (ooxml("ppt/presentation.xml", f"{PPTX}.main+xml"), ".pptx", PPTX),
        (odf(ODT), ".odt", ODT),
        (odf(ODS), ".ods", ODS),
        (odf(ODP), ".odp", ODP),
    ],
)
def test_office_documents_are_recognised_by_their_content(document, extension, content_type):
    result = process_upload(upload(document, "berkas.zip"))

    assert (result.kind, result.extension, result.content_type) == (
        "document",
        extension,
        content_type,
    )
    assert result.content == document
    assert result.filename == f"berkas{extension}"


def test_macro_enabled_word_document_is_rejected():
    docm = ooxml("word/document.xml", DOCM_MAIN)

    assert rejection(docm, "makro.docx").code == "unsupported_type"


def test_plain_zip_is_rejected_with_what_is_accepted():
    archive = package({"katalog.txt": "isi", "sampul.jpg": b"\xff\xd8\xff"})

    error = rejection(archive, "katalog.docx")

    assert error.code == "unsupported_type"
    for accepted in ("JPEG", "PNG", "PDF", "Word", "Excel", "PowerPoint", "UTF-8"):
        assert accepted in error.message


def test_utf8_text_is_stored_as_plain_text():
    text = "Galat SLiMS 9: katalog tidak bisa disimpan — halaman “Bibliografi”.\n".encode()

    result = process_upload(upload(text, "galat.log"))

    assert (result.kind, result.extension) == ("document", ".txt")
    assert result.content_type == "text/plain; charset=utf-8"
    assert result.content == text
    assert result.filename == "galat.txt"


def test_csv_is_stored_as_csv():
    table = "\ufeffjudul;pengarang;eksemplar\nLaskar Pelangi;Andrea Hirata;3\n".encode()

    result = process_upload(upload(table, "Stok Buku.csv"))

    assert (result.extension, result.content_type) == (".csv", "text/csv; charset=utf-8")
    assert result.filename == "Stok-Buku.csv"


def test_prose_named_csv_is_stored_as_text():
    result = process_upload(upload(b"Hanya satu kalimat tanpa kolom\n", "catatan.csv"))

    assert result.extension == ".txt"


def test_latin1_text_with_nul_is_rejected():
    error = rejection("Café del libro\x00\x00 año".encode("latin-1"), "catatan.txt")

    assert error.code == "unsupported_type"
    assert "JPEG" in error.message


def test_latin1_text_asks_to_be_saved_as_utf8():
    error = rejection("Daftar buku: Café, año, Müller\n".encode("latin-1"), "daftar.csv")

    assert error.code == "unsupported_type"
    assert error.message.startswith("This text file is not saved as UTF-8.")


def test_utf16_text_asks_to_be_saved_as_utf8():
    error = rejection("Daftar buku\r\n".encode("utf-16"), "daftar.txt")

    assert error.message.startswith("This text file is not saved as UTF-8.")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "halaman.txt"),
        (b"  \n<html><body>Login SLiMS</body></html>", "login.html"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>fetch('/akun/')</script></svg>",
            "logo.svg",
        ),
        (b'<svg onload="alert(1)"/>', "logo.png"),
        (b"Lihat ini\n<script>alert(document.cookie)</script>", "catatan.txt"),
    ],
)
def test_html_and_svg_are_rejected(content, name):
    assert rejection(content, name).code == "unsupported_type"


def test_executable_is_rejected_whatever_its_name():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"

    assert rejection(exe, "foto.jpg").code == "unsupported_type"


def test_document_over_5_mb_is_rejected():
    padded = TINY_PDF.ljust(MAX_DOCUMENT_BYTES + 1, b" ")

    error = rejection(padded, "besar.pdf")

    assert error.code == "too_large"
    assert error.message == "This file is too large: at most 5 MB."


@pytest.mark.parametrize("file", [upload(b"", "kosong.pdf"), io.BytesIO(b"")])
def test_empty_file_is_rejected(file):
    with pytest.raises(UploadRejected) as caught:
        process_upload(file, name="kosong.pdf")

    assert (caught.value.code, caught.value.message) == ("empty", "This file is empty.")


def test_rejection_is_a_value_error_whose_text_is_the_message():
    error = rejection(b"", "kosong.txt")

    assert isinstance(error, ValueError)
    assert str(error) == error.message


# Names


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\fakepath\\scan buku.pdf", "scan-buku.pdf"),
        ("Laporan (final) v2.PDF", "Laporan-final-v2.pdf"),
        ("Katalog Perpustakaan — Lubuklinggau.pdf", "Katalog-Perpustakaan-Lubuklinggau.pdf"),
        ("Pustakawan Café 2024.pdf", "Pustakawan-Café-2024.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.pdf"),
        ("laporan\x00\x1b[31m.pdf", "laporan-31m.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("...", "attachment.pdf"),
        ("", "attachment.pdf"),
    ],
)
def test_filename_is_safe_to_show_and_download(name, filename):
    assert process_upload(upload(TINY_PDF), name=name).filename == filename


def test_photo_name_keeps_its_words_and_takes_the_extension_of_its_content():
    original = encode(photo(), "JPEG")

    assert process_upload(upload(original, "Foto Buku Rusak.JPG")).filename == "Foto-Buku-Rusak.jpg"


def test_jpeg_named_exe_is_stored_as_jpg():
    result = process_upload(upload(encode(photo(), "JPEG"), "foto.exe"))

    assert (result.extension, result.filename) == (".jpg", "foto.jpg")


def test_pdf_named_jpg_is_stored_as_pdf():
    result = process_upload(upload(TINY_PDF, "sampul.jpg"))

    assert (result.kind, result.filename) == ("document", "sampul.pdf")


def test_long_name_is_cut_to_80_characters_with_its_extension():
    result = process_upload(upload(TINY_PDF, "Laporan " * 30 + ".pdf"))

    assert len(result.filename) == MAX_FILENAME_CHARS
    assert result.filename.startswith("Laporan-Laporan-")
    assert result.filename.endswith(".pdf")


def test_long_name_cut_at_a_separator_does_not_end_in_one():
    result = process_upload(upload(TINY_PDF, "Rak " * 40 + ".pdf"))

    assert result.filename == "Rak-" * 18 + "Rak.pdf"


def test_name_given_by_the_caller_wins_over_the_uploaded_one():
    result = process_upload(upload(TINY_PDF, "asli.pdf"), name="pilihan.pdf")

    assert result.filename == "pilihan.pdf"


def test_file_read_earlier_is_read_again_from_its_start():
    file = upload(TINY_PDF, "laporan.pdf")
    file.read(100)

    assert process_upload(file).content == TINY_PDF
