"""The access policy's rules for group files and folders (see meent/access.py).

- A folder and its files are seen by the group's members and, when the group is open for reading,
  by whoever the folder's ``reach`` names (everyone, or everyone signed in): never more than the
  group allows, never more than any folder above it (``Folder.reach``, kept by the services).
- Nobody sees anything of a group whose files tab is switched off, a file hidden by a moderator,
  or what is in the trash (the trash has its own page for the group's owners and admins).
- Members upload, make folders, rename, move, describe and add versions: the library is shared
  work, as the wiki is. A file is deleted (to the trash) by whoever uploaded it or by the group's
  owners and admins, who also restore it; a folder is deleted by who made it or by them. Who may
  see a folder is changed by who made it or by the owners and admins. Nothing changes in an
  archived group.
"""

from django.db.models import Q

from groups.models import Group
from groups.policies import can_manage, is_member
from meent import access

from .models import Folder, GroupFile, Reach

_REACH_LABELS = {Reach.PUBLIC: access.PUBLIC, Reach.LOGGED_IN: access.LOGGED_IN}


def reach_labels(group, reach: str) -> frozenset[str]:
    members = access.group_label(group.pk)
    if group.is_closed or reach not in _REACH_LABELS:
        return frozenset({members})
    return frozenset({members, _REACH_LABELS[reach]})


def folder_labels(folder) -> frozenset[str]:
    if folder.deleted_at is not None or not folder.group.files_enabled:
        return frozenset()
    return reach_labels(folder.group, folder.reach)


def file_labels(file) -> frozenset[str]:
    if file.deleted_at is not None or file.hidden_at is not None or not file.group.files_enabled:
        return frozenset()
    return reach_labels(file.group, file.folder.reach)


def reach_q(user, reach_field: str) -> Q:
    """Rows of a group's library that ``user`` may see, by the folder reach in ``reach_field``."""
    reaches = [Reach.PUBLIC]
    if access.is_active_person(user):
        reaches.append(Reach.LOGGED_IN)
    open_group = Q(
        group__visibility=Group.Visibility.LISTED,
        group__content_default=Group.ContentDefault.OPEN,
    )
    readable = Q(group_id__in=access.member_group_ids(user)) | (
        open_group & Q(**{f"{reach_field}__in": reaches})
    )
    return readable & Q(group__files_enabled=True, deleted_at__isnull=True)


def may_add(user, group) -> bool:
    """Upload files and make folders in the group."""
    return (
        access.is_active_person(user)
        and group.files_enabled
        and not group.is_archived
        and is_member(user, group)
    )


def may_delete(user, obj) -> bool:
    """Put a file or a folder in the trash (the root folder never)."""
    if not may_add(user, obj.group):
        return False
    if isinstance(obj, Folder) and obj.is_root:
        return False
    made_by = obj.created_by_id if isinstance(obj, Folder) else obj.uploaded_by_id
    return made_by == user.pk or can_manage(user, obj.group)


def may_restore(user, group) -> bool:
    """See the trash and bring things back from it."""
    return may_add(user, group) and can_manage(user, group)


def may_set_visibility(user, folder) -> bool:
    if folder.is_root or not may_add(user, folder.group):
        return False
    return folder.created_by_id == user.pk or can_manage(user, folder.group)


@access.register(Folder)
class FolderPolicy(access.Policy):
    def labels(self, folder):
        return folder_labels(folder)

    def visible_q(self, user):
        return reach_q(user, "reach")

    def can_edit(self, user, folder):
        return not folder.is_root and folder.deleted_at is None and may_add(user, folder.group)

    def can_moderate(self, user, folder):
        return access.is_moderator(user) or can_manage(user, folder.group)


@access.register(GroupFile)
class GroupFilePolicy(access.Policy):
    def labels(self, file):
        return file_labels(file)

    def visible_q(self, user):
        return reach_q(user, "folder__reach") & Q(hidden_at__isnull=True)

    def can_edit(self, user, file):
        return file.deleted_at is None and file.hidden_at is None and may_add(user, file.group)

    def can_moderate(self, user, file):
        return access.is_moderator(user) or can_manage(user, file.group)
