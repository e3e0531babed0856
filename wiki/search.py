"""Wiki pages in search (see search/registry.py)."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import WikiPage


@register
class WikiPageDocument(SearchDocument):
    model = WikiPage
    type_name = "wiki_page"
    type_label = _("Wiki pages")

    def get_queryset(self):
        return WikiPage.objects.select_related("group")

    def related_to(self, obj):
        if isinstance(obj, Group):
            return WikiPage.objects.filter(group_id=obj.pk)
        return None

    def should_index(self, page):
        return page.hidden_at is None

    def prepare_title(self, page):
        return page.title

    def prepare_body(self, page):
        return page.body

    def prepare_author_id(self, page):
        return page.created_by_id

    def prepare_date(self, page):
        return page.updated_at


@receiver(part_switched, dispatch_uid="wiki_search_part_switched")
def wiki_switched(sender, group, part, **kwargs):
    """The group's wiki switched off or on: its pages leave search or come back."""
    if part == "wiki":
        pages = WikiPage.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        queue_ids(WikiPageDocument.type_name, list(pages))
