"""What every page inside a group needs for its header and tabs."""

from meent import access

from . import policies, services
from .models import JoinRequest, Membership


def group_page_context(user, group) -> dict:
    role = policies.role_in(user, group)
    if role is not None:
        services.mark_seen(user, group)
    can_manage = role in Membership.MANAGING_ROLES
    return {
        "group": group,
        "role": role,
        "is_member": role is not None,
        "can_manage": can_manage,
        "is_owner": role == Membership.Role.OWNER,
        "can_read": policies.can_read_content(user, group),
        "pending_count": (
            JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING).count()
            if can_manage and access.is_active_person(user)
            else 0
        ),
        "report_count": (
            # Reports about one's own content are never shown to oneself (moderation/views.py).
            group.reports.filter(status="open").exclude(author_id=user.pk).count()
            if can_manage and access.is_active_person(user)
            else 0
        ),
    }
