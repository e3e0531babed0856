"""What Meent holds about a person, kind by kind: each app registers a ``PrivacyPart`` per kind of
data it owns, from its ``AppConfig.ready()`` (``<app>/privacy.py``); ``privacy`` imports
none of them.

A part says, for one person:

- ``export(user, files)``: its section of "download my data" (a list or dict for the JSON; the
  person's uploaded files go in through ``files.add``, see ``export.Files``);
- ``held(user)``: how many items Meent holds (an int, or a queryset that is counted), for "what
  Meent holds about you";
- ``plan(user)``: lines for the "delete your account" page, saying what happens to this kind;
- ``erase(user, erasure)``: what deleting the account does to this kind beyond the database's own
  cascades, inside the transaction, before the person's row is deleted (``Erasure``).

Every hook may be None: a part that only counts, or only acts when an account is deleted. Parts
come in ``order``: the sections of the export, the rows of the overview and the lines of the plan.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings


def absolute(url: str) -> str:
    """A link as the export shows it: on Meent's main address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url else ""


def iso(value):
    return value.isoformat() if value else None


@dataclass
class Erasure:
    """What the parts' ``erase`` share while an account is deleted."""

    # One moment for everything the deletion changes.
    now: datetime
    # Files (storage, name) that leave storage once the deletion is committed.
    files: list = field(default_factory=list)

    def delete_file(self, field_file) -> None:
        """Remove ``field_file`` from storage after commit (nothing when the field is empty)."""
        if field_file:
            self.files.append((field_file.storage, field_file.name))

    def delete_files(self) -> None:
        for storage, name in self.files:
            with contextlib.suppress(OSError):  # a missing file is already gone
                storage.delete(name)


@dataclass(frozen=True)
class PrivacyPart:
    key: str
    label: object  # lazily translated; the export's step and the overview's row
    order: int
    export: Callable | None = None  # (user, files) -> list | dict
    held: Callable | None = None  # (user) -> int | QuerySet
    plan: Callable | None = None  # (user) -> list[str]
    erase: Callable | None = None  # (user, Erasure) -> None


PARTS: dict[str, PrivacyPart] = {}


def register(part: PrivacyPart) -> PrivacyPart:
    if part.key in PARTS:
        raise ValueError(f"A privacy part {part.key!r} is registered already.")
    PARTS[part.key] = part
    return part


def unregister(key: str) -> None:
    PARTS.pop(key, None)


def parts() -> list[PrivacyPart]:
    return sorted(PARTS.values(), key=lambda part: (part.order, part.key))


def part_for(key: str) -> PrivacyPart | None:
    return PARTS.get(key)
