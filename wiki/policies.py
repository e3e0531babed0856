"""The access policy's rules for wiki pages and their files (see meent/access.py).

A page is readable by the group's members, and, when the group is open for reading, by whoever the
page's own visibility names. Who may edit: members, or only owners and admins when the page says
so; nobody while the group is archived. A page hidden by a moderator, and every page and file
of a group whose wiki is switched off, is read by nobody (nothing is deleted: switching the wiki
back on brings them back).
"""

from django.db.models import Q

from groups.models import Group, Membership
from groups.policies import can_manage, content_labels, content_q, role_in
from meent import access

from .models import WikiAttachment, WikiPage

_PAGE_LABELS = {
    WikiPage.Visibility.PUBLIC: access.PUBLIC,
    WikiPage.Visibility.LOGGED_IN: access.LOGGED_IN,
}


def page_labels(page) -> frozenset[str]:
    if page.hidden_at is not None or not page.group.wiki_enabled:
        return frozenset()
    members = access.group_label(page.group_id)
    if page.group.is_closed or page.visibility not in _PAGE_LABELS:
        return frozenset({members})
    return frozenset({members, _PAGE_LABELS[page.visibility]})


def may_create_pages(user, group) -> bool:
    return group.wiki_enabled and not group.is_archived and role_in(user, group) is not None


@access.register(WikiPage)
class WikiPagePolicy(access.Policy):
    def labels(self, page):
        return page_labels(page)

    def visible_q(self, user):
        open_visibilities = [WikiPage.Visibility.PUBLIC]
        if access.is_active_person(user):
            open_visibilities.append(WikiPage.Visibility.LOGGED_IN)
        open_group = Q(
            group__visibility=Group.Visibility.LISTED,
            group__content_default=Group.ContentDefault.OPEN,
        )
        readable = Q(group_id__in=access.member_group_ids(user)) | (
            open_group & Q(visibility__in=open_visibilities)
        )
        # A page hidden by a moderator, or in a group whose wiki is off, is read by nobody.
        return readable & Q(hidden_at__isnull=True, group__wiki_enabled=True)

    def can_edit(self, user, page):
        if page.group.is_archived or not page.group.wiki_enabled:
            return False
        role = role_in(user, page.group)
        if role is None:
            return False
        return page.edit_policy == WikiPage.EditPolicy.MEMBERS or role in Membership.MANAGING_ROLES

    def can_moderate(self, user, page):
        return access.is_moderator(user) or can_manage(user, page.group)


@access.register(WikiAttachment)
class WikiAttachmentPolicy(access.Policy):
    def labels(self, attachment):
        if not attachment.group.wiki_enabled:
            return frozenset()
        return content_labels(attachment.group)

    def visible_q(self, user):
        return content_q(user) & Q(group__wiki_enabled=True)
