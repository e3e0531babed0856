"""What an uploaded file really is, judged by its content and never by its name.

Images are opened with Pillow; documents are recognised by their signatures. SVG, HTML and
anything else that a browser could run as a page is refused: files from people are served from the
site's own origin, so they must never be able to carry script.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
# Office documents are zip files; their first entries name what they are.
OPEN_DOCUMENT_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OFFICE_OPEN_XML_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# Pillow opens no other format (fewer parsers reached by strangers' files).
PILLOW_FORMATS = tuple(IMAGE_TYPES)
# The most pixels an uploaded image may have: far more than any photo, far less than a
# "decompression bomb" (a small file that expands to gigabytes when decoded).
MAX_IMAGE_PIXELS = 40_000_000
# Browsers sniff the type of a response from its first bytes (1445 in the WHATWG standard); markup
# there, or script anywhere, makes an image a polyglot that a browser could run as a page.
SNIFF_BYTES = 2048
_MARKUP_AT_START = re.compile(
    rb"<(?:html|head|body|svg|img|iframe|meta|style|link|base|form|script)[\s>/]", re.IGNORECASE
)
_MARKUP_ANYWHERE = re.compile(
    rb"<(?:script|iframe|object|embed|!doctype)|javascript:|<html[\s>]",
    re.IGNORECASE,
)
_SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    is_image: bool


@dataclass(frozen=True)
class _ImageInfo:
    format: str | None = None  # Pillow's name of the format; None when it is not an image
    width: int = 0
    height: int = 0
    bomb: bool = False  # Pillow would not even open it: too many pixels


def contains_markup(upload) -> bool:
    """Whether the file carries HTML, SVG or script that a browser might run."""
    upload.seek(0)
    try:
        head = upload.read(SNIFF_BYTES)
        if _MARKUP_AT_START.search(head) or _MARKUP_ANYWHERE.search(head):
            return True
        tail = head[-32:]
        while chunk := upload.read(_SCAN_CHUNK):
            if _MARKUP_ANYWHERE.search(tail + chunk):
                return True
            tail = chunk[-32:]
        return False
    finally:
        upload.seek(0)


def _read_image(upload) -> _ImageInfo:
    """The image's format and size from its header, checked as far as Pillow can without
    decoding every pixel."""
    try:
        upload.seek(0)
        # Pillow refuses twice its own limit (and warns above it, an error where warnings are
        # errors); below that, our smaller MAX_IMAGE_PIXELS refuses the image from its header.
        with Image.open(upload, formats=PILLOW_FORMATS) as image:
            image_format = image.format
            width, height = image.size
            if width * height <= MAX_IMAGE_PIXELS:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _ImageInfo(bomb=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return _ImageInfo()
    finally:
        upload.seek(0)
    if image_format not in IMAGE_TYPES:
        return _ImageInfo()
    return _ImageInfo(image_format, width, height)


def _image_kind(upload) -> FileKind | None:
    info = _read_image(upload)
    if info.format is None or info.width * info.height > MAX_IMAGE_PIXELS:
        return None
    if contains_markup(upload):
        return None
    content_type, extension = IMAGE_TYPES[info.format]
    return FileKind(content_type, extension, True)


def _looks_like_image(head: bytes) -> bool:
    return head.startswith((b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def _zip_kind(upload) -> FileKind | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in OPEN_DOCUMENT_TYPES:
                    return FileKind(declared, OPEN_DOCUMENT_TYPES[declared], False)
            if "[Content_Types].xml" in names:
                for prefix, (content_type, extension) in OFFICE_OPEN_XML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return FileKind(content_type, extension, False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


# Bytes that no text in a common encoding holds (C0 controls but tab, newline, form feed and
# carriage return): a file with them is not text, whatever else it is.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _text_kind(head: bytes) -> FileKind | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte order mark, as spreadsheets export "Unicode text".
        return FileKind("text/plain", "txt", False) if _is_plain_text(head) else None
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start >= len(head) - 4:
            text = head[: error.start].decode("utf-8")
        elif _BINARY_BYTES.search(head):
            return None
        else:
            # Windows-1252 or Latin-1 (a CSV from a Dutch spreadsheet): one byte a character.
            text = head.decode("cp1252", "replace")
    lowered = text.lstrip().lower()
    if lowered.startswith(("<", "<?xml")) or "<script" in lowered or "<svg" in lowered:
        return None  # markup: a browser might render it
    if _MARKUP_AT_START.search(head) or _MARKUP_ANYWHERE.search(head):
        return None
    return FileKind("text/plain", "txt", False)


def identify(upload) -> FileKind | None:
    """The kind of an uploaded file, or None when it is not one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if _looks_like_image(head):
        # Whatever follows an image's signature is judged as an image, never as text.
        return _image_kind(upload)
    if head.startswith(b"%PDF-"):
        return FileKind("application/pdf", "pdf", False)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return _text_kind(head)


# The refusals, each telling the person what to upload instead.


def _check_size(upload, max_bytes: int, *, image: bool) -> None:
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        message = (
            _("The image is %(size)s; the limit is %(limit)s. Choose a smaller image.")
            if image
            else _("The file is %(size)s; the limit is %(limit)s. Choose a smaller file.")
        )
        raise ValidationError(
            message,
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels: at most %(limit)s million. Choose a smaller image."),
        params={"limit": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _markup_refused() -> ValidationError:
    return ValidationError(
        _(
            "This file contains web page code (HTML or script) and cannot be uploaded. "
            "Save the image again in an image editor and upload that file."
        ),
        code="markup",
    )


def scanned(upload, *, what: str, user=None) -> None:
    """The virus scan every upload ends with (meent/virusscan.py; nothing when no scanner is
    configured): a ValidationError ``infected`` or ``scanner_unavailable`` otherwise."""
    from meent import virusscan

    virusscan.check_upload(upload, what=what, user=user)


def validate_image(
    upload,
    max_bytes: int,
    *,
    max_side: int | None = None,
    max_pixels: int = MAX_IMAGE_PIXELS,
    what: str = "image",
    user=None,
    scan: bool = True,
) -> FileKind:
    """A JPEG, PNG, WebP or GIF image judged by its content (its name plays no part), or a
    ValidationError: empty, too large in bytes or in pixels (decompression bombs included), not
    such an image (SVG, HTML, anything else), carrying markup (a polyglot), or a virus. ``what``
    and ``user`` name the upload in the logs; ``scan=False`` for a form's early check whose
    service checks again."""
    _check_size(upload, max_bytes, image=True)
    not_an_image = ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF file."),
        code="not_an_image",
    )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _looks_like_image(head):
        raise not_an_image
    if contains_markup(upload):
        raise _markup_refused()
    info = _read_image(upload)
    if info.bomb:
        raise _too_many_pixels(max_pixels)
    if info.format is None:
        raise not_an_image
    if max_side and (info.width > max_side or info.height > max_side):
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; at most %(limit)s×%(limit)s is allowed."),
            params={"width": info.width, "height": info.height, "limit": max_side},
            code="too_many_pixels",
        )
    if info.width * info.height > min(max_pixels, MAX_IMAGE_PIXELS):
        raise _too_many_pixels(min(max_pixels, MAX_IMAGE_PIXELS))
    if scan:
        scanned(upload, what=what, user=user)
    content_type, extension = IMAGE_TYPES[info.format]
    return FileKind(content_type, extension, True)


def validate_upload(upload, max_bytes: int, *, what: str = "file", user=None) -> FileKind:
    """The file's kind, or a ValidationError that tells the person what to upload instead (also
    when it carries a virus, or the configured scanner gives no verdict: code
    ``scanner_unavailable``)."""
    _check_size(upload, max_bytes, image=False)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if _looks_like_image(head):
        return validate_image(upload, max_bytes, what=what, user=user)
    kind = identify(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This type of file cannot be uploaded. Upload an image (JPEG, PNG, WebP, GIF), "
                "a PDF, an office document (ODF or Microsoft Office) or a plain-text file."
            ),
            code="unsupported_type",
        )
    scanned(upload, what=what, user=user)
    return kind


def content_named(upload, stem: str, kind: FileKind) -> None:
    """Name an accepted upload after what it is (``avatar.png``), whatever it was called: the
    stored file's extension then always matches its content, also for a server that picks the
    type by extension."""
    upload.name = f"{stem}.{kind.extension}"


def _is_plain_text(head: bytes) -> bool:
    """Text in any common encoding (also Windows-1252 or UTF-16, as spreadsheets export it),
    without markup."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in head:
        return False
    lowered = head.lstrip().lower()
    return not (
        lowered.startswith(b"<")
        or b"<svg" in lowered
        or _MARKUP_AT_START.search(head)
        or _MARKUP_ANYWHERE.search(head)
    )


def validate_document(upload) -> None:
    """A document for Wagtail's library (whose extension Wagtail has checked against
    WAGTAILDOCS_EXTENSIONS) must be what its extension says, and never a web page in disguise."""
    extension = upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension == "zip":
        try:
            matches = zipfile.is_zipfile(upload)
        finally:
            upload.seek(0)
    elif extension in ("txt", "csv"):
        matches = _is_plain_text(head)
    elif extension == "rtf":
        matches = head.startswith(b"{\\rtf") and _is_plain_text(head)
    elif extension in ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"):
        kind = identify(upload)
        matches = kind is not None and kind.extension == extension
    else:
        # An extension added to WAGTAILDOCS_EXTENSIONS later: at least no markup.
        matches = not contains_markup(upload) and not head.lstrip().startswith(b"<")
    if not matches:
        raise ValidationError(
            _(
                "The content of this file is not a .%(extension)s file. Upload the document "
                "itself, or save it again in the program that made it."
            ),
            params={"extension": extension},
            code="content_mismatch",
        )
    scanned(upload, what="document in the admin")
