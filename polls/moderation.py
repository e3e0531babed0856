"""What reporting a poll means (moderation/targets.py): hiding sets ``hidden_at`` through the
services (nobody sees it, search forgets it, its votes stay for an operator to bring it back);
deleting deletes it with its votes. The group's owners and admins handle it first."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class PollTarget(Target):
    kind = Kind.POLL
    model_label = "polls.Poll"

    def queryset(self):
        return super().queryset().select_related("author", "group")

    def subject(self, obj):
        return {"key": "poll", "title": obj.question, "group": obj.group.name}

    def excerpt(self, obj):
        options = " · ".join(obj.options.values_list("label", flat=True))
        return plain_excerpt(f"{obj.description} {options}")

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide_poll(obj)

    def delete(self, obj, moderator, reason):
        from . import services

        services.delete_poll(moderator, obj)
