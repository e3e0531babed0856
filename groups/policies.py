"""The access policy's rules for groups and what lives in them (see meent/access.py).

A group's parts can be switched off (``wiki_enabled``, ``blog_enabled``, ``chat_enabled``,
``members_tab_enabled``). The switches are rules of the policy, not of the views: what lives in a
switched-off part has no labels at all (wiki, blog, chat: read by nobody, on any surface, and not
found in search), and with the members tab off, who is in the group (its memberships and its
activity) is seen only by its owners and admins, who manage the members. Nothing is deleted:
switching a part back on brings it all back.
"""

from django.db.models import Q

from meent import access

from .models import Activity, Group, Membership


def group_roles_of(user_id):
    """(group id, role) of every membership of a person: the access policy's source
    (meent.access.group_roles), one query."""
    return Membership.objects.filter(user_id=user_id).values_list("group_id", "role")


def role_in(user, group) -> str | None:
    return access.group_roles(user).get(group.pk)


def is_member(user, group) -> bool:
    return role_in(user, group) is not None


def can_manage(user, group) -> bool:
    """Owners and admins manage members and settings."""
    return role_in(user, group) in Membership.MANAGING_ROLES


def is_owner(user, group) -> bool:
    return role_in(user, group) == Membership.Role.OWNER


def managed_group_ids(user) -> frozenset[int]:
    """The groups a person owns or administers (from the roles cached on the user object)."""
    return frozenset(
        group_id
        for group_id, role in access.group_roles(user).items()
        if role in Membership.MANAGING_ROLES
    )


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


# ---------------------------------------------------------------------------------------------
# The members tab: who is in a group


def manager_labels(group) -> frozenset[str]:
    """The labels of the group's owners and admins (one query, cached on the group object)."""
    cached = getattr(group, "_meent_manager_labels", None)
    if cached is None:
        user_ids = Membership.objects.filter(
            group_id=group.pk, role__in=Membership.MANAGING_ROLES
        ).values_list("user_id", flat=True)
        cached = frozenset(access.user_label(user_id) for user_id in user_ids)
        group._meent_manager_labels = cached
    return cached


def member_list_labels(group) -> frozenset[str]:
    """Who may see who is in a group: whoever reads its content; with the members tab off, only
    its owners and admins, who manage the members."""
    if not group.members_tab_enabled:
        return manager_labels(group)
    return content_labels(group)


def members_tab_q(user, prefix="group__") -> Q:
    """Rows about who is in a group, as far as the members tab goes: every group's with the tab
    on, and the groups the person manages (the tab off shows the members to managers only)."""
    return Q(**{f"{prefix}members_tab_enabled": True}) | Q(
        **{f"{prefix}pk__in": managed_group_ids(user)}
    )


def shows_members(user, group) -> bool:
    """Whether the members tab of the group is there for the person (the link, the organisations
    taking part). Reading the list needs the group's content as well: ``may_list_members``."""
    return group.members_tab_enabled or can_manage(user, group)


def may_list_members(user, group) -> bool:
    return bool(access.labels_for_user(user) & member_list_labels(group))


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
    """Every activity names a person in the group (who joined, left, changed a role, edited):
    it follows the members tab."""

    def labels(self, activity):
        return member_list_labels(activity.group)

    def visible_q(self, user):
        return content_q(user) & members_tab_q(user)


@access.register(Membership)
class MembershipPolicy(access.Policy):
    """Who is in a group is part of the group's content, and behind its members tab."""

    def labels(self, membership):
        return member_list_labels(membership.group)

    def visible_q(self, user):
        return content_q(user) & members_tab_q(user)

    def can_edit(self, user, membership):
        return can_manage(user, membership.group)
