"""What reporting a wiki page means (moderation/targets.py)."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register

from .models import WikiPage


@register
class WikiPageTarget(Target):
    kind = Kind.WIKI_PAGE
    model_label = "wiki.WikiPage"

    def queryset(self):
        return super().queryset().select_related("group", "updated_by", "created_by")

    def subject(self, obj):
        return {"key": "wiki_page", "title": obj.title, "group": obj.group.name}

    def excerpt(self, obj):
        return plain_excerpt(obj.body)

    def author(self, obj):
        # The last person who changed it wrote what is there now.
        return obj.updated_by or obj.created_by

    def group(self, obj):
        return obj.group

    def delete(self, obj, moderator, reason):
        # Subpages move up to the deleted page's parent, so nothing else disappears.
        WikiPage.objects.filter(parent=obj).update(parent=obj.parent)
        obj.delete()
