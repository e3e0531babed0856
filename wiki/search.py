"""Wiki pages in search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from groups.models import Group
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
