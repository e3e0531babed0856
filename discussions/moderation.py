"""What reporting a discussion or a reply means (moderation/targets.py): hiding sets
``hidden_at`` through the services (a hidden discussion is seen by nobody and search forgets it;
a hidden reply's place in the thread says it was hidden, its text is shown nowhere); deleting
deletes it for good (a discussion with its replies). The group's owners and admins handle them
first."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class DiscussionTarget(Target):
    kind = Kind.DISCUSSION
    model_label = "discussions.Discussion"

    def queryset(self):
        return super().queryset().select_related("author", "group")

    def subject(self, obj):
        return {"key": "discussion", "title": obj.title, "group": obj.group.name}

    def excerpt(self, obj):
        return plain_excerpt(obj.body)

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide(obj)

    def delete(self, obj, moderator, reason):
        from . import services

        services.delete(obj)


@register
class ReplyTarget(Target):
    kind = Kind.DISCUSSION_REPLY
    model_label = "discussions.Reply"

    def queryset(self):
        return super().queryset().select_related("author", "discussion__group")

    def subject(self, obj):
        return {"key": "discussion_reply", "title": obj.discussion.title}

    def excerpt(self, obj):
        return plain_excerpt(obj.body)

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.discussion.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide_reply(obj)

    def delete(self, obj, moderator, reason):
        from . import services

        services.delete_reply(obj)
