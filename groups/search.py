"""Groups in search (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from search.registry import SearchDocument, register

from .models import Group


@register
class GroupDocument(SearchDocument):
    model = Group
    type_name = "group"
    type_label = _("Groups")
    # A group's content follows its visibility and reading rule; its address follows the slug.
    # Its community too: its content is found in that community's search.
    related_fields = ("visibility", "content_default", "slug", "site_id")

    def prepare_title(self, group):
        return group.name

    def prepare_body(self, group):
        return group.description

    def prepare_group_id(self, group):
        return group.pk

    def prepare_site_id(self, group):
        return group.site_id

    def prepare_author_id(self, group):
        return group.created_by_id

    def prepare_date(self, group):
        return group.created_at
