"""What a person uploaded to group file libraries (privacy/registry.py).

"Download my data" lists every file the person uploaded a version of, with the versions they
uploaded (name, date, size, type) and those versions' bytes in the ZIP under ``files/group-files/``
(read in chunks by the export, whatever their size). The file's current name, its folder and its
link are the group's, not the person's: they are named only while the person may still see the
file, as events and blog comments do; the group's name and what they uploaded themselves are
always there.

Deleting the account leaves the files and the versions they uploaded with the group, without
their name as uploader (the foreign keys are SET_NULL): a library is shared work that others
built on, like wiki revisions, and a group's documents must not vanish because one member left.
Whoever wants their uploads gone deletes them first (to the trash, purged after
MEENT_FILES_TRASH_DAYS), as the plan says. The search index hears of it (author and organisation
filters): SET_NULL sends no signals.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register

from .models import FileVersion, Folder, GroupFile
from .search import reindex


def _folder_paths(files) -> dict[int, str]:
    """The folder path ("Beleid/2026") of each file's folder, in one query for all of them."""
    ids = set()
    for file in files:
        ids.update(file.folder.ancestor_ids())
        ids.add(file.folder_id)
    names = dict(Folder.objects.filter(pk__in=ids).values_list("pk", "name"))
    paths = {}
    for file in files:
        parts = [*file.folder.ancestor_ids(), file.folder_id]
        paths[file.folder_id] = "/".join(names.get(pk) or "" for pk in parts).strip("/")
    return paths


def uploads(user, files):
    versions = list(
        FileVersion.objects.filter(uploaded_by=user)
        .select_related("file__group", "file__folder")
        .order_by("file_id", "number")
    )
    by_file: dict[int, list] = {}
    for version in versions:
        by_file.setdefault(version.file_id, []).append(version)
    group_files = [rows[0].file for rows in by_file.values()]
    visible = set(
        GroupFile.objects.visible_to(user)
        .filter(pk__in=by_file.keys())
        .values_list("pk", flat=True)
    )
    paths = _folder_paths([f for f in group_files if f.pk in visible])
    return [
        {
            "group": file.group.name,
            # The file as the group keeps it now: only while the person may see it.
            "name": file.name if file.pk in visible else None,
            "folder": paths.get(file.folder_id) if file.pk in visible else None,
            "link": absolute(file.get_absolute_url()) if file.pk in visible else None,
            "added_by_you": file.uploaded_by_id == user.pk,
            "versions": [
                {
                    "number": v.number,
                    "name": v.name,
                    "uploaded": iso(v.created_at),
                    "size": v.size,
                    "content_type": v.content_type,
                    "file": files.add(f"group-files/{file.pk}-{v.number}", v.stored, v.name),
                }
                for v in by_file[file.pk]
            ],
        }
        for file in group_files
    ]


def _files_with_uploads(user):
    return GroupFile.objects.filter(versions__uploaded_by=user).distinct()


def plan_uploads(user):
    count = _files_with_uploads(user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s file you uploaded to a group stays in the group's library, without "
            "your name; delete it first if it should go.",
            "%(counter)s files you uploaded to groups stay in the groups' libraries, without "
            "your name; delete them first if they should go.",
            count,
        )
        % {"counter": count}
    ]


def erase_uploads(user, erasure):
    # They lose their uploader (SET_NULL sends no signals): the search index's author and
    # organisation filters must hear of it.
    reindex(GroupFile.objects.filter(uploaded_by=user).values_list("pk", flat=True))


register(
    PrivacyPart(
        "group_files",
        _("Group files you uploaded"),
        92,
        export=uploads,
        held=lambda user: FileVersion.objects.filter(uploaded_by=user),
        plan=plan_uploads,
        erase=erase_uploads,
    )
)
