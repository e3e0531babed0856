"""What reporting a profile means (moderation/targets.py)."""

from django.utils import timezone

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class ProfileTarget(Target):
    kind = Kind.PROFILE
    model_label = "accounts.User"
    can_delete = False

    def queryset(self):
        return super().queryset().select_related("organisation")

    def subject(self, obj):
        return {"key": "profile", "person": obj.display_name}

    def excerpt(self, obj):
        return plain_excerpt("\n".join(part for part in (obj.job_title, obj.about) if part))

    def author(self, obj):
        return obj

    def is_hidden(self, obj):
        return obj.profile_hidden_at is not None

    def hide(self, obj, moderator, reason):
        obj.profile_hidden_at = timezone.now()
        obj.save(update_fields=["profile_hidden_at"])
