"""Group files in search (see search/registry.py): the name as the title; the description, the
tags and the words read from the document (``GroupFile.text``, filled in the background) as the
body, so a PDF is found by a word inside it and the snippet comes from its text; the group's name
as context. The date is the last change (a new version). A file in the trash, one hidden by a
moderator and every file of a group whose files tab is off are not in the index.

The services call ``reindex(file_ids)`` when a file's words change and
``reindex_folder_subtree(folder)`` when who may see a folder changes or it moves: the files
below it follow its reach (their labels come from their folder's)."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import GroupFile


@register
class FileDocument(SearchDocument):
    model = GroupFile
    type_name = "file"
    type_label = _("Files")

    def get_queryset(self):
        return GroupFile.objects.select_related("group", "folder", "uploaded_by").prefetch_related(
            "tags"
        )

    def related_to(self, obj):
        if isinstance(obj, Group):
            return GroupFile.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            # The uploader's organisation (the organisation filter).
            return GroupFile.objects.filter(uploaded_by_id=obj.pk)
        return None

    def should_index(self, file):
        return file.deleted_at is None and file.hidden_at is None and file.group.files_enabled

    def prepare_title(self, file):
        return file.name

    def prepare_body(self, file):
        tags = " ".join(tag.name for tag in file.tags.all())
        return f"{file.description}\n{tags}\n{file.text}"

    def prepare_context(self, file):
        # Where it is kept: found by its group's name, with the least weight.
        return file.group.name

    def prepare_organisation_id(self, file):
        return file.uploaded_by.organisation_id if file.uploaded_by_id else None

    def prepare_author_id(self, file):
        return file.uploaded_by_id

    def prepare_date(self, file):
        return file.updated_at


def reindex(file_ids) -> None:
    """Queue files for indexing (their words, name, tags or state changed); indexed after the
    commit, like every save."""
    queue_ids(FileDocument.type_name, list(file_ids))


def reindex_folder_subtree(folder) -> None:
    """Queue every file in ``folder`` and below (its reach changed, or it moved): a file's labels
    are its folder's. Files in the trash too: they leave the index if they were in it."""
    files = GroupFile.objects.filter(group_id=folder.group_id, folder__path__startswith=folder.path)
    reindex(files.values_list("pk", flat=True))


@receiver(part_switched, dispatch_uid="files_search_part_switched")
def files_switched(sender, group, part, **kwargs):
    """The group's files tab switched off or on: its files leave search or come back."""
    if part == "files":
        reindex(GroupFile.objects.filter(group_id=group.pk).values_list("pk", flat=True))
