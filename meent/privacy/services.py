"""Deleting a person's account ("delete my account").

Personal data goes; what they wrote in groups stays for the group and shows as by "former
member" (the author fields are SET_NULL). Private content (posts on their own blog, drafts, their
data exports) goes with them. A group in which they are the only owner gets its longest-standing
admin as owner, or is archived when it has no admin.

Chat messages stay too, also in direct conversations: they are half of someone else's
conversation. Staff accounts are refused (see ``refusal``): an operator removes the rights first.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Comment, Post
from chat.models import Message
from groups.models import Activity, Group, Membership
from meent import access, audit
from search.indexing import queue_ids
from wiki.models import WikiPage, WikiRevision

from .models import DataExport

ACTION = "meent.person.delete_account"


class DeletionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class GroupHandover:
    group: Group
    successor: Membership | None  # None: the group is archived

    @property
    def archived(self):
        return self.successor is None


@dataclass
class DeletionPlan:
    handovers: list[GroupHandover] = field(default_factory=list)
    posts_deleted: int = 0
    posts_kept: int = 0
    comments_kept: int = 0
    wiki_revisions_kept: int = 0
    chat_messages_kept: int = 0


def _private_posts(user):
    # Their own blog, and drafts in groups that nobody else has ever seen.
    return Post.objects.filter(author=user).filter(
        Q(group__isnull=True) | Q(published_at__isnull=True)
    )


def refusal(user) -> str | None:
    """Why this account cannot be deleted here, or None."""
    if user.is_staff or user.is_superuser:
        # An administrator's account holds rights over everyone's data: an operator takes them
        # away first (in the admin), so nobody locks the site out of its own administration.
        return _(
            "Your account has administrator rights. Ask an operator of Meent to remove them "
            "first; then you can delete your account here."
        )
    return None


def plan(user, *, lock=False) -> DeletionPlan:
    """What ``delete_account`` would do, for the confirmation page (and for itself)."""
    result = DeletionPlan()
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).select_related("group")
    for membership in owned:
        group = membership.group
        others = Membership.objects.filter(group=group).exclude(user=user)
        if lock:
            group = Group.objects.select_for_update().get(pk=group.pk)
        if others.filter(role=Membership.Role.OWNER).exists():
            continue
        successor = (
            others.filter(role=Membership.Role.ADMIN, user__is_active=True)
            .select_related("user")
            .order_by("joined_at", "pk")
            .first()
        )
        result.handovers.append(GroupHandover(group, successor))
    result.posts_deleted = _private_posts(user).count()
    result.posts_kept = Post.objects.filter(author=user).count() - result.posts_deleted
    result.comments_kept = (
        Comment.objects.filter(author=user).exclude(post__in=_private_posts(user)).count()
    )
    result.wiki_revisions_kept = WikiRevision.objects.filter(author=user).count()
    result.chat_messages_kept = Message.objects.filter(author=user).count()
    return result


def _delete_files(names_by_storage):
    for storage, name in names_by_storage:
        with contextlib.suppress(OSError):  # a missing file is already gone
            storage.delete(name)


def delete_account(user) -> DeletionPlan:
    """Delete ``user`` and their personal data, in one transaction. Raises DeletionRefused."""
    reason = refusal(user)
    if reason:
        raise DeletionRefused(reason)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        result = plan(user, lock=True)
        now = timezone.now()
        for handover in result.handovers:
            group = handover.group
            if handover.successor is not None:
                successor = handover.successor
                successor.role = Membership.Role.OWNER
                successor.save(update_fields=["role"])
                Activity.objects.create(
                    group=group, verb=Activity.Verb.OWNERSHIP, actor=None, subject=successor.user
                )
                access.forget_memberships(successor.user)
                transaction.on_commit(partial(_tell_new_owner, successor.user, group))
            else:
                group.is_archived = True
                group.archived_at = now
                group.save(update_fields=["is_archived", "archived_at"])
                Activity.objects.create(group=group, verb=Activity.Verb.ARCHIVED, actor=None)
            group.touch(now)

        files = []
        if user.avatar:
            files.append((user.avatar.storage, user.avatar.name))
        private = list(_private_posts(user))
        files += [(post.cover.storage, post.cover.name) for post in private if post.cover]
        exports = list(DataExport.objects.filter(user=user))
        # What stays but loses its author: the search index must hear of it (SET_NULL sends
        # no signals).
        kept = {
            "blog_post": list(
                Post.objects.filter(author=user)
                .exclude(pk__in=[p.pk for p in private])
                .values_list("pk", flat=True)
            ),
            "blog_comment": list(
                Comment.objects.filter(author=user)
                .exclude(post__in=private)
                .values_list("pk", flat=True)
            ),
            "wiki_page": list(
                WikiPage.objects.filter(Q(created_by=user) | Q(updated_by=user)).values_list(
                    "pk", flat=True
                )
            ),
            "chat_message": list(Message.objects.filter(author=user).values_list("pk", flat=True)),
        }

        # Logged while the person still exists, under their number, never their name.
        audit.record(user, ACTION, user, title=f"person {user.pk}")
        for post in private:
            post.delete()  # one by one: each leaves the search index (post_delete)
        for export in exports:
            transaction.on_commit(export.delete_file)
        user.delete()
        for type_name, ids in kept.items():
            queue_ids(type_name, ids)
        transaction.on_commit(partial(_delete_files, files))
    return result


def _tell_new_owner(person, group):
    from meent.notifications import Kind, notify

    notify(
        person,
        Kind.MEMBERSHIP,
        "groups.inherited_ownership",
        group.get_absolute_url(),
        params={"group": group.name},
        community=group,
    )
