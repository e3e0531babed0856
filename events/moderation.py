"""What reporting an event means (moderation/targets.py): hiding sets ``hidden_at`` (nobody
sees it, search forgets it, its sign-ups stay for an operator to bring it back); deleting deletes
it with its sign-ups. The organiser is its author; a group's event is handled by the group's
owners and admins first."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class EventTarget(Target):
    kind = Kind.EVENT
    model_label = "events.Event"

    def queryset(self):
        return super().queryset().select_related("organiser", "group")

    def subject(self, obj):
        return {"key": "event", "title": obj.title}

    def excerpt(self, obj):
        return plain_excerpt(f"{obj.location} {obj.description}")

    def author(self, obj):
        return obj.organiser

    def group(self, obj):
        return obj.group
