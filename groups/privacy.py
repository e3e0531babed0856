"""A person's memberships, join requests and sent invitations (privacy/registry.py), and
what deleting their account does to the groups they own: a group in which they are the only
owner gets its longest-standing admin as owner, or is archived when it has no admin."""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meent import access
from privacy.registry import PrivacyPart, absolute, iso, register

from .models import Activity, Group, Invitation, JoinRequest, Membership


@dataclass
class GroupHandover:
    group: Group
    successor: Membership | None  # None: the group is archived

    @property
    def archived(self):
        return self.successor is None


def handovers(user, *, lock=False) -> list[GroupHandover]:
    """The groups of which ``user`` is the last owner, and who takes over (``lock``: while
    deleting, the groups are locked before deciding)."""
    result = []
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
        result.append(GroupHandover(group, successor))
    return result


def memberships(user, files):
    rows = Membership.objects.filter(user=user).select_related("group").order_by("joined_at")
    return [
        {
            "group": m.group.name,
            "role": m.role,
            "since": iso(m.joined_at),
            "link": absolute(m.group.get_absolute_url()),
        }
        for m in rows
    ]


def plan_handovers(user):
    lines = []
    for handover in handovers(user):
        if handover.successor is not None:
            lines.append(
                gettext(
                    "You are the last owner of %(group)s: %(person)s, its longest-standing "
                    "admin, becomes owner."
                )
                % {"group": handover.group.name, "person": handover.successor.user.display_name}
            )
        else:
            lines.append(
                gettext(
                    "You are the last owner of %(group)s and it has no admin: the group is "
                    "archived."
                )
                % {"group": handover.group.name}
            )
    return lines


def erase_handovers(user, erasure):
    for handover in handovers(user, lock=True):
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
            group.archived_at = erasure.now
            group.save(update_fields=["is_archived", "archived_at"])
            Activity.objects.create(group=group, verb=Activity.Verb.ARCHIVED, actor=None)
        group.touch(erasure.now)


def _tell_new_owner(person, group):
    from notifications import Kind, notify

    notify(
        person,
        Kind.MEMBERSHIP,
        "groups.inherited_ownership",
        group.get_absolute_url(),
        params={"group": group.name},
        community=group,
    )


def join_requests(user, files):
    rows = JoinRequest.objects.filter(user=user).select_related("group")
    return [
        {
            "group": r.group.name,
            "message": r.message,
            "status": r.status,
            "asked": iso(r.created_at),
            "decided": iso(r.decided_at),
            "reason": r.reason,
        }
        for r in rows
    ]


def invitations(user, files):
    rows = Invitation.objects.filter(invited_by=user).select_related("group")
    return [
        {
            "group": i.group.name,
            "email": i.email,
            "message": i.message,
            "sent": iso(i.created_at),
            "state": i.state,
        }
        for i in rows
    ]


register(
    PrivacyPart(
        "memberships",
        _("Group memberships"),
        20,
        export=memberships,
        held=lambda user: Membership.objects.filter(user=user),
        plan=plan_handovers,
        erase=erase_handovers,
    )
)
register(
    PrivacyPart(
        "join_requests",
        _("Requests to join groups"),
        30,
        export=join_requests,
        held=lambda user: JoinRequest.objects.filter(user=user),
    )
)
register(
    PrivacyPart(
        "invitations_sent",
        _("Invitations you sent"),
        40,
        export=invitations,
        held=lambda user: Invitation.objects.filter(invited_by=user),
    )
)
