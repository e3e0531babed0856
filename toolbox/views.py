"""Admin views of the toolbox: the report of articles whose review is overdue."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from toolbox.models import ToolboxArticlePage


def may_see_overdue_reviews(user) -> bool:
    """Anyone who may change pages (so toolbox articles) in the Wagtail admin."""
    return PagePermissionPolicy().user_has_permission(user, "change")


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else ""


class OverdueReviewsView(ReportView):
    page_title = _("Overdue toolbox reviews")
    header_icon = "time"
    index_url_name = "toolbox_overdue_reviews"
    index_results_url_name = "toolbox_overdue_reviews_results"
    permission_required = "change"
    paginate_by = 50
    no_results_message = _("No toolbox article is due for review.")
    list_export = ["title", "last_reviewed", "review_due_on", "owner_name", "owner_team"]
    export_headings = {
        "title": _("Title"),
        "last_reviewed": _("Last reviewed"),
        "review_due_on": _("Review due"),
        "owner_name": _("Content owner"),
        "owner_team": _("Owner team"),
    }

    @cached_property
    def permission_policy(self):
        return PagePermissionPolicy()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Article"),
                get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
            ),
            Column(
                "last_reviewed",
                label=_("Last reviewed"),
                accessor=lambda page: _date(page.last_reviewed) or gettext("Never"),
            ),
            Column(
                "review_due_on", label=_("Review due"), accessor=lambda p: _date(p.review_due_on)
            ),
            Column("owner_name", label=_("Content owner")),
            Column("owner_team", label=_("Owner team")),
        ]

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            ToolboxArticlePage.objects.filter(pk__in=editable.values("pk"))
            .review_overdue(timezone.localdate())
            .defer("body")
            .select_related("content_owner")
            .order_by("review_due_on", "title")
        )

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            owner = page.content_owner
            page.owner_name = (getattr(owner, "display_name", None) or str(owner)) if owner else ""
        return object_list
