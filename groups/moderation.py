"""What reporting a group means (moderation/targets.py)."""

from django.utils import timezone

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register

from .models import Membership


@register
class GroupTarget(Target):
    kind = Kind.GROUP
    model_label = "groups.Group"

    def subject(self, obj):
        return {"key": "group", "name": obj.name}

    def excerpt(self, obj):
        return plain_excerpt(obj.description)

    def author(self, obj):
        owner = (
            Membership.objects.filter(group=obj, role=Membership.Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return owner.user if owner else obj.created_by

    def is_hidden(self, obj):
        return obj.is_archived and obj.is_hidden

    def hide(self, obj, moderator, reason):
        # Out of sight for everyone but its members, and read-only while it is looked into.
        obj.visibility = obj.Visibility.HIDDEN
        obj.is_archived = True
        obj.archived_at = obj.archived_at or timezone.now()
        obj.save(update_fields=["visibility", "is_archived", "archived_at"])
