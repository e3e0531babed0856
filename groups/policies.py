"""The access policy's rules for groups and what lives in them (see meent/access.py)."""

from django.db.models import Q

from meent import access

from .models import Activity, Group, Membership


def role_in(user, group) -> str | None:
    return access.group_roles(user).get(group.pk)


def is_member(user, group) -> bool:
    return role_in(user, group) is not None


def can_manage(user, group) -> bool:
    """Owners and admins manage members and settings."""
    return role_in(user, group) in Membership.MANAGING_ROLES


def is_owner(user, group) -> bool:
    return role_in(user, group) == Membership.Role.OWNER


def content_labels(group) -> frozenset[str]:
    """Who may read what lives in a group, before any narrower choice of the content itself."""
    if group.is_closed:
        return frozenset({access.group_label(group.pk)})
    return frozenset({access.PUBLIC})


def can_read_content(user, group) -> bool:
    return bool(access.labels_for_user(user) & content_labels(group))


def content_q(user, prefix="group__") -> Q:
    """Rows whose group's content the person may read."""
    open_for_reading = Q(
        **{
            f"{prefix}visibility": Group.Visibility.LISTED,
            f"{prefix}content_default": Group.ContentDefault.OPEN,
        }
    )
    return open_for_reading | Q(**{f"{prefix}pk__in": access.member_group_ids(user)})


@access.register(Group)
class GroupPolicy(access.Policy):
    def labels(self, group):
        if group.is_hidden:
            return frozenset({access.group_label(group.pk)})
        return frozenset({access.PUBLIC})

    def visible_q(self, user):
        return Q(visibility=Group.Visibility.LISTED) | Q(pk__in=access.member_group_ids(user))

    def can_edit(self, user, group):
        return can_manage(user, group)


@access.register(Activity)
class ActivityPolicy(access.Policy):
    def labels(self, activity):
        return content_labels(activity.group)

    def visible_q(self, user):
        return content_q(user)


@access.register(Membership)
class MembershipPolicy(access.Policy):
    """Who is in a group is part of the group's content."""

    def labels(self, membership):
        return content_labels(membership.group)

    def visible_q(self, user):
        return content_q(user)

    def can_edit(self, user, membership):
        return can_manage(user, membership.group)
