"""What reporting a blog post or a comment means (moderation/targets.py)."""

from django.utils import timezone

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class PostTarget(Target):
    kind = Kind.POST
    model_label = "blog.Post"

    def queryset(self):
        return super().queryset().select_related("author", "group")

    def subject(self, obj):
        return {"key": "post", "title": obj.title}

    def excerpt(self, obj):
        return plain_excerpt(f"{obj.summary} {obj.body}")

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.group


@register
class CommentTarget(Target):
    kind = Kind.COMMENT
    model_label = "blog.Comment"

    def queryset(self):
        return super().queryset().select_related("author", "post", "post__group")

    def subject(self, obj):
        return {"key": "comment", "title": obj.post.title}

    def excerpt(self, obj):
        return plain_excerpt(obj.body)

    def url(self, obj):
        return f"{obj.post.get_absolute_url()}#comment-{obj.pk}"

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.post.group

    def is_hidden(self, obj):
        return obj.is_removed

    def hide(self, obj, moderator, reason):
        # The comment's tombstone says a moderator removed it; replies keep their context.
        obj.removed_at = timezone.now()
        obj.removed_by = moderator
        obj.removal_reason = reason[:300]
        obj.save(update_fields=["removed_at", "removed_by", "removal_reason"])

    def delete(self, obj, moderator, reason):
        # A tombstone stays for the replies; the words are gone.
        obj.body = ""
        obj.removed_at = obj.removed_at or timezone.now()
        obj.removed_by = moderator
        obj.removal_reason = reason[:300]
        obj.save(update_fields=["body", "removed_at", "removed_by", "removal_reason"])
