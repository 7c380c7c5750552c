"""What a librarian attaches to a forum post, checked and made safe to store.

A file's type is decided by its content, never by its name or the browser's Content-Type.
Images are decoded and encoded again, so that none of the uploaded bytes is stored: no EXIF (a
phone photo says where it was taken), no XMP, no colour profile, nothing that a crafted file could
carry past a later reader. Documents are stored as they came, once their type and size are known.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from PIL import Image, ImageCms, ImageOps

MB = 1024 * 1024
MAX_IMAGE_BYTES = 8 * MB
MAX_DOCUMENT_BYTES = 5 * MB
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 1600
MAX_FILENAME_CHARS = 80

# filetype looks at no more than the first 8 KiB.
_HEAD_BYTES = 8192

# filetype's answer -> the only Pillow decoder that may open the file.
_IMAGE_DECODERS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/apng": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
}
# A GIF is kept as its first frame, in PNG: lossless like GIF, and without the palette.
_STORED_AS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
_ENCODINGS: dict[str, tuple[str, str, dict[str, object]]] = {
    "JPEG": (".jpg", "image/jpeg", {"quality": 82, "progressive": True, "optimize": True}),
    "PNG": (".png", "image/png", {"optimize": True}),
    "WEBP": (".webp", "image/webp", {"quality": 80}),
}

_ZIP_TYPES = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# An OOXML package names the content type of its main part in [Content_Types].xml: the
# document's type + ".main+xml". Macro-enabled (.docm) and template (.dotx) types differ.
_OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
# An ODF package's first member is "mimetype", holding its type.
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# What zipfile raises on a damaged, encrypted or exotic archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    zlib.error,
)

# Text that a browser or viewer could take for a page or a drawing: it opens with a tag, or has
# one of these early on, where old browsers sniffed for HTML whatever the Content-Type said.
_MARKUP_TAGS = ("<script", "<html", "<body", "<iframe", "<svg", "<object", "<embed", "<!doctype")
_MARKUP_WINDOW = 1024

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class UploadRejected(ValueError):
    """An attachment that cannot be stored; `message` is meant for the person who sent it."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ProcessedUpload:
    """An accepted attachment: `content` is what to store, `filename` what to show and offer."""

    kind: str
    content: bytes = field(repr=False)
    content_type: str
    extension: str
    filename: str
    size: int
    width: int | None = None
    height: int | None = None


def process_upload(file: UploadedFile | BinaryIO, *, name: str | None = None) -> ProcessedUpload:
    """Check an attachment and return what to store, or raise UploadRejected saying why not."""
    if name is None:
        name = getattr(file, "name", None) or ""
    if getattr(file, "size", None) == 0:
        raise _empty()
    if getattr(file, "seekable", lambda: False)():
        file.seek(0)
    head = _read_up_to(file, _HEAD_BYTES)
    if not head:
        raise _empty()
    guessed = filetype.guess_mime(head)
    if guessed in _IMAGE_DECODERS:
        data = _read_within(file, head, MAX_IMAGE_BYTES)
        return _process_image(data, decoder=_IMAGE_DECODERS[guessed], name=name)
    if guessed is not None and guessed != "application/pdf" and guessed not in _ZIP_TYPES:
        raise _unsupported()
    data = _read_within(file, head, MAX_DOCUMENT_BYTES)
    extension, content_type = _document_type(data, guessed=guessed, name=name)
    return ProcessedUpload(
        kind="document",
        content=data,
        content_type=content_type,
        extension=extension,
        filename=safe_filename(name, extension=extension),
        size=len(data),
    )


def safe_filename(name: str, *, extension: str) -> str:
    """The uploaded name's stem, fit to show and to offer for download, with `extension`."""
    # NFKC first: a full-width solidus becomes "/" and is then cut like any other.
    base = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem = _slug(PurePosixPath(base).stem)
    stem = stem[: MAX_FILENAME_CHARS - len(extension)].strip("-_")
    return (stem or _slug(gettext("attachment")) or "attachment") + extension


def _slug(text: str) -> str:
    # Letters, marks and digits of any script stay; control and format characters (a
    # right-to-left override that shows "gpj.exe" as "exe.jpg") go; anything else separates.
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LMN" or char == "_":
            out.append(char)
        elif category not in ("Cc", "Cf") and out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _read_up_to(file: UploadedFile | BinaryIO, count: int) -> bytes:
    chunks: list[bytes] = []
    while count > 0:
        chunk = file.read(count)
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _read_within(file: UploadedFile | BinaryIO, head: bytes, limit: int) -> bytes:
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(limit)
    # One byte past the limit is enough to know that the file is over it.
    data = head + _read_up_to(file, limit + 1 - len(head))
    if len(data) > limit:
        raise _too_large(limit)
    return data


# Documents


def _document_type(data: bytes, *, guessed: str | None, name: str) -> tuple[str, str]:
    if guessed == "application/pdf":
        return ".pdf", "application/pdf"
    if guessed is None:
        return _text_type(data, name=name)
    # filetype reads only the first 8 KiB, finds a .docx by a "word/" member among the first
    # five, and cannot tell a macro-enabled .docm from a .docx; so every zip is opened here and
    # judged by what its package says it is.
    office = _office_type(data)
    if office is None:
        raise _unsupported()
    return office


def _office_type(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if members and members[0].filename == "mimetype":
                with package.open(members[0]) as member:
                    declared = member.read(100).decode("ascii", "replace")
                return (_ODF_TYPES[declared], declared) if declared in _ODF_TYPES else None
            if "[Content_Types].xml" not in package.namelist():
                return None
            with package.open("[Content_Types].xml") as member:
                # Bounded: a crafted member could inflate to gigabytes.
                content_types = member.read(256 * 1024)
    except _ZIP_ERRORS:
        return None
    for content_type, extension in _OOXML_TYPES.items():
        if f"{content_type}.main+xml".encode() in content_types:
            return extension, content_type
    return None


def _text_type(data: bytes, *, name: str) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _not_utf8()
    if b"\x00" in data:
        raise _unsupported()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8() from None
    if _looks_like_markup(text):
        raise _unsupported()
    # Text has no signature to tell a table from prose: the name may ask for .csv, and the
    # first line must then look like a row of fields.
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if name.lower().endswith(".csv") and any(sep in first_line for sep in ",;\t"):
        return ".csv", "text/csv; charset=utf-8"
    return ".txt", "text/plain; charset=utf-8"


def _looks_like_markup(text: str) -> bool:
    if text.lstrip("\ufeff \t\r\n\f").startswith("<"):
        return True
    window = text[:_MARKUP_WINDOW].lower()
    return any(tag in window for tag in _MARKUP_TAGS)


# Images


def _process_image(data: bytes, *, decoder: str, name: str) -> ProcessedUpload:
    stored_as = _STORED_AS[decoder]
    image = _for_storage(_decode(data, decoder=decoder), stored_as=stored_as)
    extension, content_type, options = _ENCODINGS[stored_as]
    out = io.BytesIO()
    image.save(out, format=stored_as, **options)
    content = out.getvalue()
    return ProcessedUpload(
        kind="image",
        content=content,
        content_type=content_type,
        extension=extension,
        filename=safe_filename(name, extension=extension),
        size=len(content),
        width=image.width,
        height=image.height,
    )


def _decode(data: bytes, *, decoder: str) -> Image.Image:
    """The first frame, upright, in sRGB, at most MAX_IMAGE_SIDE on its long side."""
    try:
        with Image.open(io.BytesIO(data), formats=[decoder]) as probe:
            _check_pixels(probe)
            probe.verify()
        # verify() leaves the image unusable: decode it from a fresh start.
        image = Image.open(io.BytesIO(data), formats=[decoder])
        icc_profile = image.info.get("icc_profile")
        image = _resizable(image)
        # Before anything loads a JPEG, so that thumbnail() can have it decoded at a reduced
        # scale; the box is square, so turning the photo upright afterwards changes nothing.
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        return _to_srgb(image, icc_profile)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception as error:
        # Like Django's ImageField: a damaged file makes Pillow raise errors of many kinds.
        raise _corrupt() from error


def _check_pixels(image: Image.Image) -> None:
    # The header's size is known before any pixel is decoded: a 20000 x 20000 PNG of one
    # colour is a few kilobytes on the wire and 1.6 GB in memory.
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()


def _resizable(image: Image.Image) -> Image.Image:
    # Palette and 1-bit images resize only by nearest neighbour, and 16-bit grey would be
    # clipped, not scaled, on its way to 8 bits.
    if image.mode in ("RGBA", "LA", "CMYK"):
        return image
    if image.mode in ("RGB", "L") and "transparency" not in image.info:
        return image
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    # The profile is dropped with the rest of the metadata, so its colours are first baked into
    # sRGB pixels, which is what a phone assumes of a file without one.
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        # A broken profile, or one made for other pixels (grey), is ignored: a photo is not
        # refused for it.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    return image.convert("RGB") if image.mode == "CMYK" else image


def _for_storage(image: Image.Image, *, stored_as: str) -> Image.Image:
    if stored_as == "JPEG" and image.mode in ("RGBA", "LA"):
        # JPEG has no transparency: what was see-through shows the page's white.
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    # A new image with the pixels and nothing else: no EXIF, XMP, ICC profile or comment can
    # reach the encoder through `info`, whatever a plugin falls back to.
    return Image.frombytes(image.mode, image.size, image.tobytes())


# Rejections: English msgids, translated through locale/.


def _empty() -> UploadRejected:
    return UploadRejected(gettext("This file is empty."), code="empty")


def _too_large(limit: int) -> UploadRejected:
    message = gettext("This file is too large: at most %(megabytes)d MB.")
    return UploadRejected(message % {"megabytes": limit // MB}, code="too_large")


def _unsupported() -> UploadRejected:
    message = gettext(
        "This kind of file cannot be attached. Attach a photo or screenshot (JPEG, PNG, WebP or "
        "GIF), or a document: PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "OpenDocument (.odt, .ods, .odp), or text (.txt, .csv) saved as UTF-8."
    )
    return UploadRejected(message, code="unsupported_type")


def _not_utf8() -> UploadRejected:
    message = gettext(
        "This text file is not saved as UTF-8. Save it again choosing the UTF-8 encoding, or "
        "as a PDF, and attach it again."
    )
    return UploadRejected(message, code="unsupported_type")


def _corrupt() -> UploadRejected:
    message = gettext(
        "This image could not be read: it may be damaged or cut short. Save it again and "
        "attach it again."
    )
    return UploadRejected(message, code="corrupt_image")


def _too_many_pixels() -> UploadRejected:
    message = gettext("This image has too many pixels: at most %(megapixels)d megapixels.")
    return UploadRejected(
        message % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000}, code="too_many_pixels"
    )
