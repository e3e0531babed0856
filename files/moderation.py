"""What reporting a group file means (moderation/targets.py): hiding sets ``hidden_at`` through
the services (nobody sees it on any surface, search forgets it, its versions stay stored for an
operator to bring it back); deleting deletes it for good with every version. Who uploaded it is
its author; the group's owners and admins handle it first."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class FileTarget(Target):
    kind = Kind.FILE
    model_label = "files.GroupFile"

    def queryset(self):
        return super().queryset().select_related("uploaded_by", "group", "folder")

    def subject(self, obj):
        return {"key": "file", "name": obj.name, "group": obj.group.name}

    def excerpt(self, obj):
        return plain_excerpt(obj.description)

    def author(self, obj):
        return obj.uploaded_by

    def group(self, obj):
        return obj.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide_file(obj)

    def delete(self, obj, moderator, reason):
        from . import services

        services.delete_file(moderator, obj)
