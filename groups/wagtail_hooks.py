"""Moderators manage groups in the admin: list, filter, search and edit (not add or delete)."""

import django_filters
from django import forms
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.models import Site

from accounts.admin_views import ModeratorViewSet, WordsSearchMixin

from . import services
from .models import Group


class GroupFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(label=_("Community"), queryset=Site.objects.all())
    visibility = django_filters.ChoiceFilter(
        label=_("Visibility"),
        choices=Group.Visibility.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    is_archived = django_filters.BooleanFilter(label=_("Archived"), widget=BooleanRadioSelect)

    class Meta:
        model = Group
        fields = []


def community_name(group):
    site = group.site
    return (site.site_name or site.hostname) if site else ""


class GroupIndexView(WordsSearchMixin, generic.IndexView):
    def get_base_queryset(self):
        return Group.objects.select_related("site").annotate(member_count=Count("memberships"))

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("name", label=_("Name"), sort_key="name", get_url=self.get_edit_url),
            Column("community", label=_("Community"), accessor=community_name),
            Column("visibility", label=_("Visibility"), accessor="get_visibility_display"),
            NumberColumn("member_count", label=_("Members"), sort_key="member_count"),
            BooleanColumn("is_archived", label=_("Archived"), sort_key="is_archived"),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]


class GroupEditView(generic.EditView):
    def save_instance(self):
        # Archiving goes through the groups service: it sets archived_at with the flag and
        # records the activity, as when the owner archives on the site.
        group = self.form.instance
        archived = group.is_archived
        group.is_archived = self.form.initial.get("is_archived", archived)
        super().save_instance()
        updated = services.set_archived(group, self.request.user, archived)
        group.is_archived, group.archived_at = updated.is_archived, updated.archived_at
        return group


class GroupViewSet(ModeratorViewSet):
    model = Group
    name = "community_groups"
    url_prefix = "community-groups"
    icon = "group"
    menu_label = _("Groups")
    menu_order = 295
    index_view_class = GroupIndexView
    edit_view_class = GroupEditView
    filterset_class = GroupFilterSet
    search_fields = ["name", "description"]
    ordering = ["name"]
    list_per_page = 50
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("visibility"),
        FieldPanel("content_default"),
        FieldPanel("is_archived"),
    ]


@hooks.register("register_admin_viewset")
def register_group_viewset():
    return GroupViewSet()
