"""Files: every group's document library, with folders, versions, a trash and full-text search.

A group has one root folder (made when it is first needed) and folders in it to any depth. A
folder's ``path`` holds the ids from the root down to itself (``/3/17/42/``), so a subtree is one
``startswith`` query (moving, trashing, a folder's ZIP) and "move into your own subfolder" is a
string test. Who may see a folder is its own choice or its parent's (``visibility``); ``reach`` is
the narrowest choice on the way down from the root, kept on every folder when a folder is moved or
its choice changes, so a list asks one column. A file follows its folder's reach, and never more
than its group allows (files/policies.py).

A file is a name in a folder with versions: ``current`` is the newest one unless an older one
was restored. A stored version never changes: its address stays valid. Deleting puts a file or
folder in the trash (``deleted_at``); a folder takes everything in it along (``trashed_with``),
so restoring the folder brings back exactly that. The trash is emptied after
``MEENT_FILES_TRASH_DAYS`` by a scheduled task; only then do the stored files leave.
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet
from meent.files import PrivateFileField

# Long enough for any real file name (most file systems stop at 255 bytes); longer is refused.
NAME_MAX = 200


def name_key(name: str) -> str:
    """Two names that a person would call the same (``Plan.pdf``, ``plan.PDF``, a composed and a
    decomposed ``é``) have one key; a folder holds each key once."""
    return unicodedata.normalize("NFC", name).casefold()


class Reach(models.TextChoices):
    """Who may see a folder and its files, before the group's own rule (files/policies.py)."""

    MEMBERS = "members", _("Members of the group")
    LOGGED_IN = "logged_in", _("Everyone who is signed in")
    PUBLIC = "public", _("Everyone, also without signing in")


# From narrow to wide: a folder's reach is the narrowest on the way down.
REACH_ORDER = [Reach.MEMBERS, Reach.LOGGED_IN, Reach.PUBLIC]


def narrowest(*reaches: str) -> str:
    return min(reaches, key=REACH_ORDER.index)


class FolderQuerySet(AccessQuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def in_subtree(self, folder):
        """The folder and everything under it."""
        return self.filter(group_id=folder.group_id, path__startswith=folder.path)


class Folder(models.Model):
    INHERIT = "inherit"
    VISIBILITY_CHOICES = [(INHERIT, _("As the folder it is in")), *Reach.choices]

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="folders")
    # None: the group's root folder, which has no name and is never deleted.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    name_key = models.CharField(max_length=NAME_MAX, blank=True, editable=False)
    path = models.CharField(max_length=2000, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=VISIBILITY_CHOICES, default=INHERIT
    )
    reach = models.CharField(max_length=20, choices=Reach.choices, default=Reach.PUBLIC)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The folder whose deletion took this one along (None: deleted on its own, or not deleted).
    trashed_with = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["name_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(parent__isnull=True), name="files_one_root"
            ),
            models.UniqueConstraint(
                fields=["parent", "name_key"],
                condition=Q(deleted_at__isnull=True),
                name="files_folder_name_once",
            ),
        ]
        indexes = [models.Index(fields=["group", "path"], name="files_folder_path")]

    def __str__(self):
        return self.name or "/"

    def get_absolute_url(self):
        if self.is_root:
            return reverse("files:library", args=[self.group.slug])
        return reverse("files:folder", args=[self.group.slug, self.pk])

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    def ancestor_ids(self) -> list[int]:
        """The ids from the root down to the parent (from ``path``: no query)."""
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class FileQuerySet(AccessQuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class GroupFile(models.Model):
    class TextStatus(models.TextChoices):
        """How far reading the text for search got (files/extract.py)."""

        PENDING = "pending", _("waiting to be read")
        DONE = "done", _("read")
        EMPTY = "empty", _("no text found")
        UNSUPPORTED = "unsupported", _("not a document with text")
        REFUSED = "refused", _("not read (encrypted or too large inside)")
        FAILED = "failed", _("could not be read")
        TIMEOUT = "timeout", _("took too long to read")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="files")
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    name_key = models.CharField(max_length=NAME_MAX, editable=False)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    current = models.ForeignKey(
        "FileVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Of the current version, kept here so a folder's list needs no join.
    size = models.BigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    # The highest version number given out (a new version takes the next under a row lock).
    last_number = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    trashed_with = models.ForeignKey(
        Folder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The current version's words, for search (files/extract.py, in the background).
    text = models.TextField(blank=True)
    text_status = models.CharField(
        max_length=20, choices=TextStatus.choices, default=TextStatus.PENDING
    )

    objects = FileQuerySet.as_manager()

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["name_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "name_key"],
                condition=Q(deleted_at__isnull=True),
                name="files_file_name_once",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("files:file", args=[self.group.slug, self.pk])

    @property
    def extension(self) -> str:
        return self.name.rpartition(".")[2].lower() if "." in self.name else ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def download_url(self):
        """Always the current version."""
        return reverse("files:download", args=[self.group.slug, self.pk, self.name])


class FileTag(models.Model):
    file = models.ForeignKey(GroupFile, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=50)
    slug = models.SlugField(max_length=60, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["file", "slug"], name="files_tag_once"),
        ]
        indexes = [models.Index(fields=["slug"], name="files_tag_slug")]

    def __str__(self):
        return self.name


class FileVersion(models.Model):
    file = models.ForeignKey(GroupFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stored = PrivateFileField(folder="files")
    # The file's name when this version was uploaded: its download keeps that name.
    name = models.CharField(max_length=NAME_MAX)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="files_version_once"),
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"

    def download_url(self):
        """This version, for good: the address never changes."""
        return reverse(
            "files:version", args=[self.file.group.slug, self.file_id, self.number, self.name]
        )
