"""Stored files that belong to content with an access rule: blog covers, group images, profile
pictures.

Such a file lives under ``private/`` in MEDIA_ROOT, which ``/media/`` never serves (meent/media.py
and the proxy, see README "Serving uploaded files"), under a random name that says nothing about
what it belongs to. Its address is a view that asks the access policy about the object it belongs
to (``PrivateImageField(url_name=...)``; meent/media.py ``stored_file_view``): the address carries
the object's id and the file's random name, so a replaced file gets a new address, and building it
costs no query.

A file that is replaced, cleared or whose object is deleted leaves storage once the transaction
has committed (a change that is rolled back keeps its file), whoever made the change: a service,
a form, the admin, a moderator's decision, a cascade.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import secrets

from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.urls import reverse
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

# Everything under it is served only through a view with an access check.
PRIVATE_ROOT = "private/"
_UNKNOWN = object()


def random_name(prefix: str, filename: str) -> str:
    """``<prefix><random>.<ext>``: only the extension of ``filename`` is kept (the uploads are
    named after their content, ``avatar.png``, by meent/uploads.py)."""
    extension = posixpath.splitext(posixpath.basename(filename or ""))[1].lower()
    return f"{prefix}{secrets.token_urlsafe(18)}{extension}"


@deconstructible
class RandomName:
    """``upload_to`` for private files: a random name under ``prefix``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename):
        return random_name(self.prefix, filename)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


class PrivateFieldFile(models.fields.files.ImageFieldFile):
    @property
    def url(self):
        """The checking view's address: ``/files/<kind>/<object id>/<random name>``."""
        self._require_file()
        if self.instance.pk is None:
            raise ValueError("A private file has an address once its object is saved.")
        return reverse(self.field.url_name, args=[self.instance.pk, posixpath.basename(self.name)])


class _DeletesReplacedFile:
    """A file field whose stored file leaves storage after commit once it is replaced, cleared
    or its object deleted (mixed into an ImageField or a FileField)."""

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Migrations' historical models (module "__fake__") move files themselves (below).
        if cls._meta.abstract or cls.__module__ == "__fake__":
            return
        post_init.connect(self._remember, sender=cls, weak=False)
        pre_save.connect(self._before_save, sender=cls, weak=False)
        post_save.connect(self._after_save, sender=cls, weak=False)
        pre_delete.connect(self._before_delete, sender=cls, weak=False)
        post_delete.connect(self._after_delete, sender=cls, weak=False)

    def _stored_name(self, instance):
        # A deferred field (``.only()``) is not loaded just to remember it.
        if self.attname not in instance.__dict__:
            return _UNKNOWN
        value = instance.__dict__[self.attname]
        return getattr(value, "name", value) or ""

    def _remember(self, sender, instance, **kwargs):
        instance.__dict__[f"_stored_{self.attname}"] = self._stored_name(instance)

    def _before_save(self, sender, instance, raw=False, update_fields=None, **kwargs):
        # Loaded without this field (``.only()``) and given a new file: what the row holds now
        # is the file to delete. One query, and only then.
        key = f"_stored_{self.attname}"
        if (
            raw
            or instance.__dict__.get(key, _UNKNOWN) is not _UNKNOWN
            or instance._state.adding
            or (update_fields is not None and self.attname not in update_fields)
        ):
            return
        row = sender._base_manager.filter(pk=instance.pk).values_list(self.attname, flat=True)
        instance.__dict__[key] = row.first() or ""

    def _after_save(self, sender, instance, update_fields=None, raw=False, **kwargs):
        if raw or (update_fields is not None and self.attname not in update_fields):
            return
        key = f"_stored_{self.attname}"
        before = instance.__dict__.get(key, _UNKNOWN)
        now = self._stored_name(instance)
        if before not in (_UNKNOWN, "", now):
            delete_after_commit(self.storage, before)
        instance.__dict__[key] = now

    def _before_delete(self, sender, instance, **kwargs):
        # A deferred field is loaded (one query) while the row is still there.
        getattr(instance, self.attname)

    def _after_delete(self, sender, instance, **kwargs):
        name = self._stored_name(instance)
        if name not in (_UNKNOWN, ""):
            delete_after_commit(self.storage, name)


class PrivateImageField(_DeletesReplacedFile, models.ImageField):
    """An image served only through the view named ``url_name`` (arguments: the object's id and
    the file's name), stored under ``private/<folder>/`` with a random name, and deleted from
    storage after commit once it is replaced, cleared or its object deleted."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, folder: str = "", url_name: str = "", **kwargs):
        self.folder = folder
        self.url_name = url_name
        if folder:
            kwargs["upload_to"] = RandomName(f"{PRIVATE_ROOT}{folder}/")
        super().__init__(*args, **kwargs)


class PrivateFileField(_DeletesReplacedFile, models.FileField):
    """Any stored file under ``private/<folder>/`` with a random name, served only by a view of
    the app that owns it (which asks the access policy), deleted from storage after commit once it
    is replaced, cleared or its object deleted (group files' versions)."""

    def __init__(self, *args, folder: str = "", **kwargs):
        self.folder = folder
        if folder:
            kwargs["upload_to"] = RandomName(f"{PRIVATE_ROOT}{folder}/")
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


def delete_after_commit(storage, name: str) -> None:
    def delete():
        try:
            storage.delete(name)
        except OSError:  # gone already, or the storage is away: nothing to undo for that
            logger.warning("Could not delete the stored file %s", name, exc_info=True)

    # robust: a storage that fails must not undo what has committed, nor stop other callbacks.
    transaction.on_commit(delete, robust=True)


# ---------------------------------------------------------------------------------------------
# Moving existing files (data migrations)


def move_to_private(apps, schema_editor, model_label: str, field_name: str, folder: str) -> dict:
    """Give every stored file of ``model_label.field_name`` that is not yet under
    ``private/<folder>/`` a random name there. Idempotent: moved files are skipped. A file missing
    from storage keeps its row unchanged (its old folder is private too, so nothing is served from
    ``/media/``), and is counted. The old files go once the migration has committed."""
    from django.core.files.storage import default_storage as storage

    model = apps.get_model(model_label)
    prefix = f"{PRIVATE_ROOT}{folder}/"
    counts = {"moved": 0, "missing": 0, "kept": 0}
    rows = (
        model._default_manager.exclude(**{field_name: ""})
        .exclude(**{f"{field_name}__isnull": True})
        .values_list("pk", field_name)
    )
    old_names = []
    for pk, name in list(rows):
        if name.startswith(prefix):
            counts["kept"] += 1
            continue
        try:
            with storage.open(name, "rb") as handle:
                new_name = storage.save(random_name(prefix, name), handle)
        except (FileNotFoundError, IsADirectoryError):
            counts["missing"] += 1
            logger.warning("%s %s: the file %s is missing; left as it is", model_label, pk, name)
            continue
        model._default_manager.filter(pk=pk).update(**{field_name: new_name})
        old_names.append(name)
        counts["moved"] += 1

    def tidy():
        for name in old_names:
            with contextlib.suppress(OSError):
                storage.delete(name)
            # A folder of its own that is empty now (avatars/<id>/) goes too; rmdir leaves a
            # folder that still holds something.
            folder_path = posixpath.dirname(name)
            if "/" in folder_path:
                with contextlib.suppress(OSError, NotImplementedError):
                    os.rmdir(storage.path(folder_path))

    using = schema_editor.connection.alias if schema_editor is not None else None
    transaction.on_commit(tidy, using=using)
    return counts
