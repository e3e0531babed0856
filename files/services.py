"""Everything that changes a group's files and folders, with its rules, in one place.

Views turn ``FilesError`` into a form error or a message with its 4xx status. Every change runs in
a transaction. Names are unique per folder (a partial unique index on the live rows): two uploads
of one name at once give one the name and the other "name (2)", never a lost file; two renames to
one name give one of them "this name is taken". Uploads into a group are counted against its
quota under a row lock on the group's root folder, so two uploads cannot both take the last space.

A stored file is written before its row, so a refused or failed save deletes it again; a version
leaves storage when its row goes (meent/files.py), after commit: only when the trash is emptied
or a moderator deletes the file.
"""

from __future__ import annotations

import hashlib
import html
import logging
import posixpath
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Concat, Substr
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activity import services as stream
from meent import access
from meent.refusals import Refused
from meent.sanitize import clean_text
from meent.uploads import validate_upload

from . import policies, search, tasks
from . import trash as trash_bin
from .models import NAME_MAX, FileTag, FileVersion, Folder, GroupFile, Reach, name_key, narrowest

logger = logging.getLogger(__name__)

# Characters that no common file system takes in a name (Windows' list, which is the longest):
# a ZIP of the folder must unpack everywhere.
FORBIDDEN_IN_NAMES = '/\\:*?"<>|'
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Deep enough for any real library; a limit keeps paths and breadcrumbs bounded.
MAX_DEPTH = 30
MAX_TAGS = 10
MAX_TAG_LENGTH = 50
MAX_DESCRIPTION = 2000
# What a file's name may end in, by what its content is (meent/uploads.py's kinds).
EXTENSIONS = {
    "txt": ("txt", "md", "markdown", "csv", "tsv", "text"),
    "jpg": ("jpg", "jpeg"),
}
# A taken name becomes "name (2).pdf", "name (3).pdf", …; after this many the upload is refused.
MAX_SUFFIX = 100


class FilesError(Refused):
    """A refused change to a group's files (meent/refusals.py)."""


@dataclass
class UploadResult:
    file: GroupFile
    renamed_from: str = ""  # the name asked for, when it was taken and the file got another


# ---------------------------------------------------------------------------------------------
# Names


def clean_name(name: str) -> str:
    """A file or folder name as stored, or a FilesError that says what to change."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise FilesError(_("Give it a name."), field="name")
    if _CONTROL.search(name):
        raise FilesError(
            _("A name cannot contain invisible control characters. Type the name again."),
            field="name",
        )
    # Also as an entity ("&lt;"): a name holds no markup however it is read later.
    forbidden = sorted({char for char in html.unescape(name) if char in FORBIDDEN_IN_NAMES})
    if forbidden:
        raise FilesError(
            _("A name cannot contain %(characters)s. Leave those characters out.")
            % {"characters": " ".join(forbidden)},
            field="name",
        )
    if name.strip(".") == "":
        raise FilesError(_("A name needs more than dots."), field="name")
    if len(name) > NAME_MAX:
        raise FilesError(
            _("A name has at most %(max)s characters; this one has %(count)s. Shorten it.")
            % {"max": NAME_MAX, "count": len(name)},
            field="name",
        )
    return name


def _split(name: str) -> tuple[str, str]:
    stem, extension = posixpath.splitext(name)
    if not stem:  # ".profile": all stem
        return name, ""
    return stem, extension


def _numbered(name: str, number: int) -> str:
    stem, extension = _split(name)
    suffix = f" ({number})"
    return f"{stem[: NAME_MAX - len(suffix) - len(extension)]}{suffix}{extension}"


def _extension_for(name: str, kind) -> str:
    """The upload's name with an extension that matches its content, or a FilesError."""
    allowed = EXTENSIONS.get(kind.extension, (kind.extension,))
    extension = _split(name)[1].lstrip(".").lower()
    if not extension:
        return clean_name(f"{name}.{kind.extension}")
    if extension not in allowed:
        raise FilesError(
            _(
                "The content of “%(name)s” is a .%(kind)s file, but its name ends in "
                ".%(extension)s. Rename it to .%(kind)s, or upload the document itself."
            )
            % {"name": name, "kind": kind.extension, "extension": extension},
            field="files",
        )
    return name


# ---------------------------------------------------------------------------------------------
# Reading


def root_folder(group) -> Folder:
    """The group's root folder, made the first time it is needed."""
    root = Folder.objects.filter(group=group, parent__isnull=True).first()
    if root is not None:
        return root
    try:
        with transaction.atomic():
            root = Folder.objects.create(group=group, parent=None, name="", reach=Reach.PUBLIC)
            Folder.objects.filter(pk=root.pk).update(path=f"/{root.pk}/")
            root.path = f"/{root.pk}/"
    except IntegrityError:  # made at the same moment by another request
        root = Folder.objects.get(group=group, parent__isnull=True)
    return root


def usage(group) -> int:
    """Bytes the group's files take: every version, the trash's too."""
    return (
        FileVersion.objects.filter(file__group_id=group.pk).aggregate(total=Sum("size"))["total"]
        or 0
    )


def folder_path(folder) -> list[Folder]:
    """The folders from the root down to ``folder`` (one query)."""
    ids = [*folder.ancestor_ids(), folder.pk]
    found = {item.pk: item for item in Folder.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


# ---------------------------------------------------------------------------------------------
# Checks


def _require_add(user, group):
    if not access.is_active_person(user):
        raise FilesError(_("Sign in to change files."), 403)
    if not group.files_enabled:
        raise FilesError(_("This group's files are switched off."), 404)
    if group.is_archived:
        raise FilesError(_("This group is archived: its files can no longer change."), 409)
    if not policies.may_add(user, group):
        raise FilesError(_("Only members of the group can change its files."), 403)


def _require_alive(obj):
    if obj.deleted_at is not None:
        raise FilesError(_("This is in the trash. Restore it first."), 409)


def _lock_folder(folder) -> Folder:
    locked = (
        Folder.objects.select_for_update(of=("self",)).select_related("group").get(pk=folder.pk)
    )
    _require_alive(locked)
    return locked


def _lock_file(file) -> GroupFile:
    locked = (
        GroupFile.objects.select_for_update(of=("self",))
        .select_related("group", "folder", "current")
        .get(pk=file.pk)
    )
    _require_alive(locked)
    return locked


def _name_taken(message_name: str) -> FilesError:
    return FilesError(
        _("“%(name)s” is taken in this folder. Choose another name.") % {"name": message_name},
        409,
        field="name",
    )


# ---------------------------------------------------------------------------------------------
# Folders


def create_folder(user, parent: Folder, name: str, visibility: str = Folder.INHERIT) -> Folder:
    _require_add(user, parent.group)
    name = clean_name(name)
    visibility = _check_visibility(visibility)
    with transaction.atomic():
        parent = _lock_folder(parent)
        if parent.depth + 1 > MAX_DEPTH:
            raise FilesError(
                _("Folders go at most %(max)s levels deep. Make this folder higher up.")
                % {"max": MAX_DEPTH},
                field="name",
            )
        folder = Folder(
            group=parent.group,
            parent=parent,
            name=name,
            name_key=name_key(name),
            depth=parent.depth + 1,
            visibility=visibility,
            reach=_reach(parent.reach, visibility),
            created_by=user,
        )
        try:
            with transaction.atomic():
                folder.save()
        except IntegrityError as error:
            raise _name_taken(name) from error
        folder.path = f"{parent.path}{folder.pk}/"
        Folder.objects.filter(pk=folder.pk).update(path=folder.path)
        parent.group.touch()
    return folder


def _check_visibility(visibility: str) -> str:
    if visibility not in dict(Folder.VISIBILITY_CHOICES):
        raise FilesError(_("Choose who may see the folder."), field="visibility")
    return visibility


def _reach(parent_reach: str, visibility: str) -> str:
    return parent_reach if visibility == Folder.INHERIT else narrowest(parent_reach, visibility)


def rename_folder(user, folder: Folder, name: str) -> Folder:
    _require_add(user, folder.group)
    if folder.is_root:
        raise FilesError(_("The group's main folder has no name of its own."), 400)
    name = clean_name(name)
    with transaction.atomic():
        folder = _lock_folder(folder)
        folder.name, folder.name_key = name, name_key(name)
        try:
            with transaction.atomic():
                folder.save(update_fields=["name", "name_key"])
        except IntegrityError as error:
            raise _name_taken(name) from error
    return folder


def set_folder_visibility(user, folder: Folder, visibility: str) -> Folder:
    visibility = _check_visibility(visibility)
    if not policies.may_set_visibility(user, folder):
        raise FilesError(
            _("Only who made this folder and the group's owners and admins can change this."), 403
        )
    with transaction.atomic():
        folder = _lock_folder(folder)
        folder.visibility = visibility
        folder.save(update_fields=["visibility"])
        _spread_reach(folder)
    return folder


def _spread_reach(folder: Folder) -> None:
    """Work out the reach of ``folder`` and everything under it again (after a move or a new
    choice), top down, and queue their files for search: their readers changed."""
    parent_reach = (
        Folder.objects.filter(pk=folder.parent_id).values_list("reach", flat=True).first()
        or Reach.PUBLIC
    )
    subtree = list(
        Folder.objects.filter(group_id=folder.group_id, path__startswith=folder.path)
        .order_by("depth")
        .only("pk", "parent_id", "visibility", "reach")
    )
    reaches = {folder.parent_id: parent_reach}
    changed = []
    for item in subtree:
        reach = _reach(reaches.get(item.parent_id, parent_reach), item.visibility)
        reaches[item.pk] = reach
        if item.reach != reach:
            item.reach = reach
            changed.append(item)
    Folder.objects.bulk_update(changed, ["reach"], batch_size=500)
    folder.reach = reaches[folder.pk]
    if changed:
        _reindex_subtree(folder)


def move_folder(user, folder: Folder, target: Folder) -> Folder:
    _require_add(user, folder.group)
    if folder.is_root:
        raise FilesError(_("The group's main folder cannot move."), 400)
    if target.group_id != folder.group_id:
        raise FilesError(_("Choose a folder of this group."), 400, field="target")
    if target.path.startswith(folder.path):
        raise FilesError(
            _("A folder cannot move into itself or into one of its own subfolders."),
            400,
            field="target",
        )
    with transaction.atomic():
        # Both rows locked in id order: two moves at once cannot wait on each other.
        locked = {
            item.pk: item
            for item in Folder.objects.select_for_update(of=("self",))
            .select_related("group")
            .filter(pk__in=[folder.pk, target.pk])
            .order_by("pk")
        }
        folder, target = locked[folder.pk], locked[target.pk]
        _require_alive(folder)
        _require_alive(target)
        if target.path.startswith(folder.path):  # the tree changed while the form was open
            raise FilesError(
                _("A folder cannot move into itself or into one of its own subfolders."),
                400,
                field="target",
            )
        height = (
            Folder.objects.filter(group_id=folder.group_id, path__startswith=folder.path)
            .order_by("-depth")
            .values_list("depth", flat=True)
            .first()
        ) - folder.depth
        if target.depth + 1 + height > MAX_DEPTH:
            raise FilesError(
                _("Folders go at most %(max)s levels deep; there it would be deeper.")
                % {"max": MAX_DEPTH},
                field="target",
            )
        try:
            with transaction.atomic():
                _rehang(folder, target)
        except IntegrityError as error:
            raise _name_taken(folder.name) from error
    return folder


# ---------------------------------------------------------------------------------------------
# Files


def parse_tags(raw: str) -> list[tuple[str, str]]:
    """(name, slug) pairs from a comma-separated list, without duplicates."""
    names = [clean_text(part).strip() for part in (raw or "").split(",")]
    names = [name for name in names if name]
    pairs: dict[str, str] = {}
    for name in names:
        if len(name) > MAX_TAG_LENGTH:
            raise FilesError(
                _("A tag has at most %(max)s characters: “%(tag)s…” is longer.")
                % {"max": MAX_TAG_LENGTH, "tag": name[:20]},
                field="tags",
            )
        slug = slugify(name, allow_unicode=True)[:60]
        if not slug:
            raise FilesError(
                _("The tag “%(tag)s” needs at least one letter or digit.") % {"tag": name},
                field="tags",
            )
        pairs.setdefault(slug, name)
    if len(pairs) > MAX_TAGS:
        raise FilesError(
            _("Use at most %(max)s tags; you gave %(count)s.")
            % {"max": MAX_TAGS, "count": len(pairs)},
            field="tags",
        )
    return [(name, slug) for slug, name in pairs.items()]


def _clean_description(description: str) -> str:
    description = clean_text(description or "")
    if len(description) > MAX_DESCRIPTION:
        raise FilesError(
            _("A description has at most %(max)s characters; this one has %(count)s.")
            % {"max": MAX_DESCRIPTION, "count": len(description)},
            field="description",
        )
    return description


def _check_upload(user, group, upload):
    """The upload's kind, or a FilesError: empty, too large, of a type we do not take, carrying
    a virus or unscanned while the scanner is away (meent/uploads.py)."""
    try:
        return validate_upload(
            upload, settings.MEENT_FILES_MAX_BYTES, what=f"file in group {group.slug}", user=user
        )
    except ValidationError as error:
        status = {"too_large": 413, "scanner_unavailable": 503}.get(error.code, 400)
        raise FilesError(" ".join(error.messages), status, field="files") from error


def _check_quota(group, adding: int) -> None:
    quota = settings.MEENT_FILES_GROUP_QUOTA
    used = usage(group)
    if used + adding > quota:
        raise FilesError(
            _(
                "The group's files are full: %(used)s of %(quota)s is used and this file is "
                "%(size)s. Delete files that are no longer needed; the group's owners and admins "
                "can then delete them for good from the trash, which frees their space."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(quota),
                "size": filesizeformat(adding),
            },
            413,
            field="files",
        )


@dataclass
class _Stored:
    """An upload written to storage before its rows (outside the group's lock: a large file
    takes a while), deleted again when the rows are not saved."""

    name: str
    size: int
    content_type: str
    sha256: str


def _store(upload, kind, name: str) -> _Stored:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    field = FileVersion._meta.get_field("stored")
    stored_name = field.storage.save(field.generate_filename(None, name), upload)
    return _Stored(stored_name, upload.size, kind.content_type, sha.hexdigest())


def _unstore(stored: _Stored) -> None:
    try:
        FileVersion._meta.get_field("stored").storage.delete(stored.name)
    except OSError:
        logger.warning("Could not delete the unsaved file %s", stored.name)


def _version(file: GroupFile, stored: _Stored, user, number: int) -> FileVersion:
    return FileVersion.objects.create(
        file=file,
        number=number,
        stored=stored.name,
        name=file.name,
        size=stored.size,
        content_type=stored.content_type,
        sha256=stored.sha256,
        uploaded_by=user,
    )


def upload(user, folder: Folder, upload, *, description: str = "", tags: str = "") -> UploadResult:
    """Add an uploaded file to ``folder``; a taken name gets " (2)", " (3)", …"""
    group = folder.group
    _require_add(user, group)
    _require_alive(folder)
    asked = clean_name(posixpath.basename((upload.name or "").replace("\\", "/")))
    description = _clean_description(description)
    tag_pairs = parse_tags(tags)
    kind = _check_upload(user, group, upload)
    name = _extension_for(asked, kind)
    stored = _store(upload, kind, name)
    try:
        with transaction.atomic():
            root = _lock_folder(root_folder(group))  # the group's upload lock (the quota)
            folder = _lock_folder(folder) if folder.pk != root.pk else root
            _check_quota(group, upload.size)
            file = None
            for attempt in range(1, MAX_SUFFIX + 1):
                candidate = name if attempt == 1 else _numbered(name, attempt)
                try:
                    with transaction.atomic():
                        file = GroupFile.objects.create(
                            group=group,
                            folder=folder,
                            name=candidate,
                            name_key=name_key(candidate),
                            description=description,
                            size=upload.size,
                            content_type=kind.content_type,
                            last_number=1,
                            uploaded_by=user,
                        )
                    break
                except IntegrityError:
                    continue
            if file is None:
                raise FilesError(_name_taken(name).message, 409, field="files")
            file.current = _version(file, stored, user, 1)
            file.save(update_fields=["current"])
            FileTag.objects.bulk_create(
                [FileTag(file=file, name=tag, slug=slug) for tag, slug in tag_pairs]
            )
            group.touch()
            stream.record("files.uploaded", file, user)
            transaction.on_commit(lambda: _after_upload(file.pk, announce="files.uploaded"))
    except BaseException:
        _unstore(stored)
        raise
    return UploadResult(file=file, renamed_from=asked if file.name != name else "")


def _after_upload(file_id: int, *, announce: str) -> None:
    """After commit: read the new version's words, and tell who follows (the group, for a new
    file; the file, for a new version) with the activity line's kind ``announce``."""
    tasks.read_text.enqueue(file_id)
    if announce:
        file = GroupFile.objects.filter(pk=file_id).first()
        if file is not None:
            stream.announce(announce, file)


def add_version(user, file: GroupFile, upload) -> FileVersion:
    """A new current version of ``file``; its name stays, so its content must stay the type."""
    _require_add(user, file.group)
    if not access.can_edit(user, file):
        raise FilesError(_("You cannot change this file."), 403)
    kind = _check_upload(user, file.group, upload)
    if file.extension not in EXTENSIONS.get(kind.extension, (kind.extension,)):
        raise FilesError(
            _(
                "“%(name)s” is a .%(extension)s file and this upload is a .%(kind)s file. Upload "
                "a .%(extension)s file as its new version, or upload this one as a file of its "
                "own."
            )
            % {"name": file.name, "extension": file.extension, "kind": kind.extension},
            field="file",
        )
    stored = _store(upload, kind, file.name)
    try:
        with transaction.atomic():
            _lock_folder(root_folder(file.group))  # the quota
            file = _lock_file(file)
            _check_quota(file.group, upload.size)
            number = file.last_number + 1
            version = _version(file, stored, user, number)
            file.current = version
            file.last_number = number
            file.size, file.content_type = version.size, version.content_type
            file.updated_at = timezone.now()
            file.text, file.text_status = "", GroupFile.TextStatus.PENDING
            file.save(
                update_fields=[
                    "current",
                    "last_number",
                    "size",
                    "content_type",
                    "updated_at",
                    "text",
                    "text_status",
                ]
            )
            file.group.touch()
            stream.record("files.version", file, user)
            transaction.on_commit(lambda: _after_upload(file.pk, announce="files.version"))
    except BaseException:
        _unstore(stored)
        raise
    return version


def restore_version(user, file: GroupFile, version: FileVersion) -> GroupFile:
    """Make an earlier version the current one again (the versions stay as they are)."""
    if not access.can_edit(user, file):
        raise FilesError(_("You cannot change this file."), 403)
    with transaction.atomic():
        file = _lock_file(file)
        if version.file_id != file.pk:
            raise FilesError(_("This version is not one of this file's."), 404)
        file.current = version
        file.size, file.content_type = version.size, version.content_type
        file.updated_at = timezone.now()
        file.text, file.text_status = "", GroupFile.TextStatus.PENDING
        file.save(
            update_fields=["current", "size", "content_type", "updated_at", "text", "text_status"]
        )
        stream.record("files.version", file, user)
        transaction.on_commit(lambda: _after_upload(file.pk, announce=""))
    return file


def update_file(user, file: GroupFile, *, name: str, description: str, tags: str) -> GroupFile:
    if not access.can_edit(user, file):
        raise FilesError(_("You cannot change this file."), 403)
    name = clean_name(name)
    description = _clean_description(description)
    tag_pairs = parse_tags(tags)
    with transaction.atomic():
        file = _lock_file(file)
        if _split(name)[1].lower() != _split(file.name)[1].lower():
            raise FilesError(
                _("Keep the name's ending (%(extension)s): it says what kind of file it is.")
                % {"extension": _split(file.name)[1] or "—"},
                field="name",
            )
        file.name, file.name_key = name, name_key(name)
        file.description = description
        file.updated_at = timezone.now()
        try:
            with transaction.atomic():
                file.save(update_fields=["name", "name_key", "description", "updated_at"])
        except IntegrityError as error:
            raise _name_taken(name) from error
        file.tags.all().delete()
        FileTag.objects.bulk_create(
            [FileTag(file=file, name=tag, slug=slug) for tag, slug in tag_pairs]
        )
        _reindex([file.pk])
    return file


def move_file(user, file: GroupFile, target: Folder) -> GroupFile:
    if not access.can_edit(user, file):
        raise FilesError(_("You cannot change this file."), 403)
    if target.group_id != file.group_id:
        raise FilesError(_("Choose a folder of this group."), 400, field="target")
    with transaction.atomic():
        target = _lock_folder(target)
        file = _lock_file(file)
        file.folder = target
        try:
            with transaction.atomic():
                file.save(update_fields=["folder"])
        except IntegrityError as error:
            raise _name_taken(file.name) from error
        _reindex([file.pk])
    return file


# ---------------------------------------------------------------------------------------------
# The trash


def trash_file(user, file: GroupFile) -> GroupFile:
    if not policies.may_delete(user, file):
        raise FilesError(
            _("Only who uploaded this file and the group's owners and admins can delete it."), 403
        )
    with transaction.atomic():
        file = _lock_file(file)
        file.deleted_at, file.deleted_by, file.trashed_with = timezone.now(), user, None
        file.save(update_fields=["deleted_at", "deleted_by", "trashed_with"])
        _reindex([file.pk])
    return file


def trash_folder(user, folder: Folder) -> Folder:
    """The folder and everything alive in it go to the trash together."""
    if not policies.may_delete(user, folder):
        raise FilesError(
            _("Only who made this folder and the group's owners and admins can delete it."), 403
        )
    with transaction.atomic():
        folder = _lock_folder(folder)
        now = timezone.now()
        inside = Folder.objects.filter(
            group_id=folder.group_id, path__startswith=folder.path, deleted_at__isnull=True
        ).exclude(pk=folder.pk)
        file_ids = list(
            GroupFile.objects.filter(
                folder__in=Folder.objects.filter(
                    group_id=folder.group_id, path__startswith=folder.path
                ),
                deleted_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        inside.update(deleted_at=now, deleted_by=user, trashed_with=folder)
        GroupFile.objects.filter(pk__in=file_ids).update(
            deleted_at=now, deleted_by=user, trashed_with=folder
        )
        folder.deleted_at, folder.deleted_by, folder.trashed_with = now, user, None
        folder.save(update_fields=["deleted_at", "deleted_by", "trashed_with"])
        _reindex(file_ids)
    return folder


def trash(group):
    """What the trash shows: files and folders deleted on their own (not those taken along),
    newest first."""
    folders = (
        Folder.objects.filter(group=group, deleted_at__isnull=False, trashed_with__isnull=True)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    files = (
        GroupFile.objects.filter(group=group, deleted_at__isnull=False, trashed_with__isnull=True)
        .select_related("deleted_by", "folder")
        .order_by("-deleted_at")
    )
    return folders, files


def _require_restore(user, group):
    if not policies.may_restore(user, group):
        raise FilesError(_("Only the group's owners and admins can restore from the trash."), 403)


def _save_under_free_name(item, name: str, fields: list[str]) -> None:
    """Save ``item`` (a file or a folder) with ``fields`` under ``name``, or the first free
    "name (N)": each try in a savepoint, so that a name another request takes at this moment
    (the unique index on live names per folder) moves on to the next number instead of failing,
    as an upload does."""
    for attempt in range(1, MAX_SUFFIX + 1):
        candidate = name if attempt == 1 else _numbered(name, attempt)
        item.name, item.name_key = candidate, name_key(candidate)
        try:
            with transaction.atomic():
                item.save(update_fields=[*fields, "name", "name_key"])
            return
        except IntegrityError:
            continue
    raise _name_taken(name)


def _restore_place(group, folder_id) -> Folder:
    """The folder a restored item goes back into: its own, or the root when that one is gone."""
    folder = Folder.objects.select_for_update(of=("self",)).filter(pk=folder_id).first()
    if folder is None or folder.deleted_at is not None:
        return _lock_folder(root_folder(group))
    return folder


def restore_file(user, file: GroupFile) -> GroupFile:
    _require_restore(user, file.group)
    with transaction.atomic():
        file = (
            GroupFile.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=file.pk)
        )
        if file.deleted_at is None:
            return file
        if file.trashed_with_id is not None:
            raise FilesError(
                _("This file went to the trash with its folder: restore the folder."), 409
            )
        file.folder = _restore_place(file.group, file.folder_id)
        file.deleted_at = file.deleted_by = None
        _save_under_free_name(file, file.name, ["folder", "deleted_at", "deleted_by"])
        _reindex([file.pk])
    return file


def restore_folder(user, folder: Folder) -> Folder:
    _require_restore(user, folder.group)
    with transaction.atomic():
        folder = (
            Folder.objects.select_for_update(of=("self",)).select_related("group").get(pk=folder.pk)
        )
        if folder.deleted_at is None:
            return folder
        if folder.trashed_with_id is not None:
            raise FilesError(
                _("This folder went to the trash with the folder it is in: restore that one."),
                409,
            )
        place = _restore_place(folder.group, folder.parent_id)
        moved = place.pk != folder.parent_id  # its folder is gone: into the root
        Folder.objects.filter(trashed_with=folder).update(
            deleted_at=None, deleted_by=None, trashed_with=None
        )
        file_ids = list(GroupFile.objects.filter(trashed_with=folder).values_list("pk", flat=True))
        GroupFile.objects.filter(pk__in=file_ids).update(
            deleted_at=None, deleted_by=None, trashed_with=None
        )
        # Alive again and in its place in one save, so the name is free where it lands.
        folder.parent = place
        folder.deleted_at = folder.deleted_by = None
        _save_under_free_name(folder, folder.name, ["parent", "deleted_at", "deleted_by"])
        _reindex(file_ids)
        if moved:
            _rehang(folder, place)  # the subtree's paths, depths and reach
    return folder


def _rehang(folder: Folder, target: Folder) -> None:
    """Hang ``folder`` under ``target``: its subtree's paths and depths in one statement (the
    new prefix and the rest), then its reach again. A name taken in ``target`` is an
    IntegrityError from the first save."""
    old_path, new_path = folder.path, f"{target.path}{folder.pk}/"
    shift = target.depth + 1 - folder.depth
    folder.parent = target
    folder.save(update_fields=["parent"])
    Folder.objects.filter(group_id=folder.group_id, path__startswith=old_path).update(
        path=Concat(
            Value(new_path), Substr("path", len(old_path) + 1), output_field=Folder.path.field
        ),
        depth=F("depth") + shift,
    )
    folder.refresh_from_db()
    _spread_reach(folder)


def delete_from_trash(user, item) -> int:
    """Delete for good, now, a file or a folder (with everything in it) that is in the trash:
    the group's owners and admins free its space at once. Returns how many files went."""
    _require_restore(user, item.group)
    model = type(item)
    with transaction.atomic():
        found = (
            model.objects.select_for_update(of=("self",))
            .filter(pk=item.pk, deleted_at__isnull=False)
            .first()
        )
        if found is None:
            raise FilesError(_("That is no longer in the trash."), 404)
        if isinstance(found, GroupFile):
            trash_bin.delete_for_good(found)
            return 1
        inside = Folder.objects.filter(group_id=found.group_id, path__startswith=found.path)
        files = list(GroupFile.objects.filter(folder__in=inside))
        for file in files:
            trash_bin.delete_for_good(file)
        inside.delete()
        return len(files)


def delete_file(user, file: GroupFile) -> None:
    """Delete a file for good, with every version (a moderator's decision)."""
    if user is not None and not access.can_moderate(user, file):
        raise FilesError(_("Only moderators and the group's owners and admins can do this."), 403)
    with transaction.atomic():
        trash_bin.delete_for_good(file)


def hide_file(file: GroupFile) -> None:
    GroupFile.objects.filter(pk=file.pk).update(hidden_at=timezone.now())
    _reindex([file.pk])


def unhide_file(file: GroupFile) -> None:
    GroupFile.objects.filter(pk=file.pk).update(hidden_at=None)
    _reindex([file.pk])


# ---------------------------------------------------------------------------------------------
# Search


def _reindex(file_ids) -> None:
    search.reindex(list(file_ids))


def _reindex_subtree(folder: Folder) -> None:
    search.reindex_folder_subtree(folder)


# The background reader's work, for callers that read a file's words at once (the demo, tests).
read_text = tasks.store_text
