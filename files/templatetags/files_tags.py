"""What a file is, in words a person knows ("Word document"), and a short badge for lists."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# By the name's extension: the services make it match the content (files/services.py).
KINDS = {
    "pdf": _("PDF document"),
    "docx": _("Word document"),
    "odt": _("OpenDocument text"),
    "xlsx": _("Excel spreadsheet"),
    "ods": _("OpenDocument spreadsheet"),
    "pptx": _("PowerPoint presentation"),
    "odp": _("OpenDocument presentation"),
    "png": _("PNG image"),
    "jpg": _("JPEG image"),
    "jpeg": _("JPEG image"),
    "gif": _("GIF image"),
    "webp": _("WebP image"),
    "txt": _("Text"),
    "text": _("Text"),
    "md": _("Markdown text"),
    "markdown": _("Markdown text"),
    "csv": _("CSV table"),
    "tsv": _("TSV table"),
}


@register.filter
def file_kind(file) -> str:
    """The kind of ``file`` (a GroupFile) in words."""
    return str(KINDS.get(file.extension, _("File")))


@register.filter
def file_badge(file) -> str:
    """A short mark for lists: the extension in capitals ("PDF"), at most four letters."""
    return (file.extension or "?")[:4].upper()
