"""The access policy's rules for polls (see meent/access.py).

- A poll is seen by whoever may read its group's content (the group's rule); nobody sees the polls
  of a group whose Polls tab is switched off (switching it back on brings them back), nor a poll
  hidden by a moderator, also not its author.
- Polls are made by the group's members, as blog posts in a group are; nothing is made in an
  archived group. The author edits and closes their poll; the group's owners and admins close it
  too. Moderators (and the group's owners and admins) hide and delete.
- Members vote, not everyone who may read: a poll asks the group, and an open group's readers are
  anyone signed in, whose votes would drown the group's. One may change one's vote until the end.
- The results: with "after voting", to those who voted, and to everyone who may see the poll once
  it closed; with "after closing", to nobody before the end (not the author either). One function
  (``may_see_results``) answers for the page, the JSON and the export alike.
- Who voted what (a named poll only): the group's owners and admins, when they may see the
  results (``may_see_voters``).
"""

from django.db.models import Q

from groups.policies import can_manage, content_labels, content_q, is_member
from meent import access

from .models import Poll


def poll_labels(poll) -> frozenset[str]:
    if poll.hidden_at is not None or not poll.group.polls_enabled:
        return frozenset()
    return content_labels(poll.group)


def poll_q(user, prefix="") -> Q:
    """Polls ``user`` may see; ``prefix`` reaches polls from another model ("poll__")."""
    return (
        content_q(user, prefix=f"{prefix}group__")
        & Q(**{f"{prefix}group__polls_enabled": True})
        & Q(**{f"{prefix}hidden_at__isnull": True})
    )


def may_create_in(user, group) -> bool:
    return (
        access.is_active_person(user)
        and group.polls_enabled
        and not group.is_archived
        and is_member(user, group)
    )


def may_vote(user, poll, now=None) -> bool:
    """Whether the person may vote (or change their vote) now."""
    return (
        access.is_active_person(user)
        and access.can_view(user, poll)
        and not poll.group.is_archived
        and is_member(user, poll.group)
        and poll.is_open(now)
    )


def may_see_results(user, poll, *, voted: bool, now=None) -> bool:
    """Whether the person sees the counts; ``voted``: whether they have a ballot in the poll."""
    if not access.can_view(user, poll):
        return False
    if not poll.is_open(now):
        return True
    return poll.results == Poll.Results.AFTER_VOTE and voted


def may_see_voters(user, poll, *, voted: bool, now=None) -> bool:
    """Whether the person sees who voted what: a named poll's results, for its group's owners
    and admins."""
    return (
        not poll.anonymous
        and can_manage(user, poll.group)
        and may_see_results(user, poll, voted=voted, now=now)
    )


def may_close(user, poll, now=None) -> bool:
    if not poll.is_open(now) or poll.group.is_archived or not access.can_view(user, poll):
        return False
    return access.can_edit(user, poll) or can_manage(user, poll.group)


@access.register(Poll)
class PollPolicy(access.Policy):
    def labels(self, poll):
        return poll_labels(poll)

    def visible_q(self, user):
        return poll_q(user)

    def can_edit(self, user, poll):
        return poll.author_id == user.pk and may_create_in(user, poll.group)

    def can_moderate(self, user, poll):
        return access.is_moderator(user) or can_manage(user, poll.group)
