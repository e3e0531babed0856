"""Everything Meent holds about one person, as one JSON document plus their uploaded files.

The sections are the registered privacy parts (registry.py) that export something, in their
order. ``build(export)`` fills a ZIP section by section and saves the progress after each one, so the
progress page can show how far it is. Only the person's own data goes in: for something of
someone else (a post they commented on) only its title and link, and only while they may see it.
"""

from __future__ import annotations

import json
import logging
import posixpath
import zipfile

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import PrivacyPart, iso

JSON_NAME = "meent-data.json"

logger = logging.getLogger(__name__)


class Files:
    """The uploaded files to put under ``files/`` in the ZIP, by their name inside it."""

    def __init__(self):
        self.entries: list[tuple[str, object]] = []
        self._names: set[str] = set()

    def add(self, folder: str, field_file, name: str = "") -> str | None:
        if not field_file:
            return None
        base = posixpath.basename(name or field_file.name) or "file"
        path, n = f"files/{folder}/{base}", 1
        while path in self._names:
            n += 1
            stem, dot, ext = base.rpartition(".")
            path = f"files/{folder}/{stem or ext}-{n}{dot}{ext if stem else ''}"
        self._names.add(path)
        self.entries.append((path, field_file))
        return path


def sections() -> list[PrivacyPart]:
    """The registered parts that have a section in the export, in their order."""
    return [part for part in registry.parts() if part.export is not None]


def step_label(step: str):
    """The label of a progress step: a section's key, or "files"."""
    if step == "files":
        return _("Uploaded files")
    part = registry.part_for(step)
    return part.label if part is not None and part.export is not None else ""


# The files take the last stretch of the bar.
SECTIONS_SHARE = 80


def collect(user, on_section=None) -> tuple[dict, Files]:
    """The JSON document and the files to add; ``on_section(index, part)`` before each."""
    files = Files()
    data = {
        "meent_data_export": {
            "person": user.pk,
            "made": iso(timezone.now()),
            "site": settings.WAGTAILADMIN_BASE_URL,
        }
    }
    for index, part in enumerate(sections()):
        if on_section is not None:
            on_section(index, part)
        data[part.key] = part.export(user, files)
    return data, files


def write_zip(handle, data: dict, files: Files, on_file=None):
    """Write the ZIP into ``handle`` (an open binary file) and rewind it."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
        archive.writestr(JSON_NAME, text)
        for index, (path, field_file) in enumerate(files.entries):
            if on_file is not None:
                on_file(index, len(files.entries))
            try:
                source = field_file.open("rb")
            except FileNotFoundError:
                # A file lost from storage must not stop every later export: leave it out.
                logger.warning("Data export: %s is missing from storage", field_file.name)
                continue
            with source, archive.open(path, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    handle.seek(0)


def save_zip(export, handle):
    name = f"meent-data-{timezone.localdate().isoformat()}.zip"
    export.file.save(name, File(handle, name=name), save=False)
