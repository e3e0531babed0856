"""The access policy's rules for discussions (see meent/access.py).

- A discussion and its replies are read by whoever may read the group's content
  (``groups.policies.content_labels`` / ``content_q``); nobody reads them while the group's
  discussions tab is off (nothing is deleted: switching it on brings them back).
- A discussion hidden by a moderator is seen by nobody, also not its author. A hidden reply is
  gone for everyone: the thread shows its place, never its text.
- Members of the group start discussions and reply, as they write blog posts in it; authors edit
  their own words; the group's owners and admins pin and close; moderators and the group's owners
  and admins hide (through moderation).
"""

from django.db.models import Q

from groups.policies import can_manage, content_labels, content_q, is_member
from meent import access

from .models import Discussion, Reply


def discussion_labels(discussion) -> frozenset[str]:
    if discussion.hidden_at is not None or not discussion.group.discussions_enabled:
        return frozenset()
    return content_labels(discussion.group)


def discussion_q(user, prefix="") -> Q:
    """Discussions ``user`` may read; ``prefix`` reaches them from another model
    ("discussion__")."""
    return (
        content_q(user, prefix=f"{prefix}group__")
        & Q(**{f"{prefix}group__discussions_enabled": True})
        & Q(**{f"{prefix}hidden_at__isnull": True})
    )


def may_write_in(user, group) -> bool:
    """Whether the person may start a discussion or reply in the group (as blog posts do)."""
    return (
        access.is_active_person(user)
        and group.discussions_enabled
        and not group.is_archived
        and is_member(user, group)
    )


def may_manage(user, group) -> bool:
    """Pin, unpin, close and reopen: the group's owners and admins."""
    return (
        access.is_active_person(user)
        and group.discussions_enabled
        and not group.is_archived
        and can_manage(user, group)
    )


@access.register(Discussion)
class DiscussionPolicy(access.Policy):
    def labels(self, discussion):
        return discussion_labels(discussion)

    def visible_q(self, user):
        return discussion_q(user)

    def can_edit(self, user, discussion):
        return discussion.author_id == user.pk and may_write_in(user, discussion.group)

    def can_moderate(self, user, discussion):
        return access.is_moderator(user) or can_manage(user, discussion.group)


@access.register(Reply)
class ReplyPolicy(access.Policy):
    def labels(self, reply):
        if reply.hidden_at is not None:
            return frozenset()
        return discussion_labels(reply.discussion)

    def visible_q(self, user):
        return discussion_q(user, prefix="discussion__") & Q(hidden_at__isnull=True)

    def can_edit(self, user, reply):
        return (
            reply.author_id == user.pk
            and reply.hidden_at is None
            and may_write_in(user, reply.discussion.group)
        )

    def can_moderate(self, user, reply):
        return DiscussionPolicy().can_moderate(user, reply.discussion)
