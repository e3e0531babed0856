"""What an uploaded file really is, judged by its content and never by its name.

Images are opened with Pillow; documents are recognised by their signatures. SVG, HTML and
anything else that a browser could run as a page is refused: files from people are served from the
site's own origin, so they must never be able to carry script.
"""

from __future__ import annotations

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
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    is_image: bool


def _image_kind(upload) -> FileKind | None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_TYPES or width * height > MAX_IMAGE_PIXELS:
        return None
    content_type, extension = IMAGE_TYPES[image_format]
    return FileKind(content_type, extension, True)


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


def _text_kind(head: bytes) -> FileKind | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start < len(head) - 4:
            return None
        text = head[: error.start].decode("utf-8")
    lowered = text.lstrip().lower()
    if lowered.startswith(("<", "<?xml")) or "<script" in lowered or "<svg" in lowered:
        return None  # markup: a browser might render it
    return FileKind("text/plain", "txt", False)


def identify(upload) -> FileKind | None:
    """The kind of an uploaded file, or None when it is not one we accept."""
    kind = _image_kind(upload)
    if kind:
        return kind
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return FileKind("application/pdf", "pdf", False)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return _text_kind(head)


def validate_upload(upload, max_bytes: int) -> FileKind:
    """The file's kind, or a ValidationError that tells the person what to upload instead."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Choose a smaller file."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = identify(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This type of file cannot be uploaded. Upload an image (JPEG, PNG, WebP, GIF), "
                "a PDF, an office document (ODF or Microsoft Office) or a plain-text file."
            ),
            code="unsupported_type",
        )
    return kind
