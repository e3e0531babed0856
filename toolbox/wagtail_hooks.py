"""The toolbox in the Wagtail admin: topics as snippets, the overdue-reviews report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.search import SearchView as PageSearchView
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from meent import converters
from toolbox.models import ToolboxTopic
from toolbox.views import OverdueReviewsView, may_see_overdue_reviews


class ToolboxTopicViewSet(SnippetViewSet):
    model = ToolboxTopic
    pk_path_converter = converters.NAME  # ids in range only (meent/converters.py)
    icon = "tag"
    menu_label = _("Toolbox topics")
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    search_backend_name = None  # the database, through the ORM: a handful of topics
    ordering = ["name"]


register_snippet(ToolboxTopicViewSet)


@hooks.register("register_admin_urls")
def register_overdue_reviews_urls():
    return [
        path(
            "reports/toolbox-reviews/", OverdueReviewsView.as_view(), name="toolbox_overdue_reviews"
        ),
        path(
            "reports/toolbox-reviews/results/",
            OverdueReviewsView.as_view(results_only=True),
            name="toolbox_overdue_reviews_results",
        ),
    ]


class OverdueReviewsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_overdue_reviews(request.user)


@hooks.register("register_reports_menu_item")
def register_overdue_reviews_menu_item():
    return OverdueReviewsMenuItem(
        _("Overdue toolbox reviews"),
        reverse("toolbox_overdue_reviews"),
        name="toolbox-overdue-reviews",
        icon_name="time",
        order=1100,
    )


# Wagtail's page search is a listing without a model, so its results header named none: "1-2 of
# 2 None". The pages it lists are pages.
PageSearchView.verbose_name = Page._meta.verbose_name
PageSearchView.verbose_name_plural = Page._meta.verbose_name_plural

# Wagtail's own Dutch catalogue has this one without its spaces ("1-2van 2pagina's"). Named here so
# that it is in ours, which Django reads first (LOCALE_PATHS), with the spaces.
WAGTAIL_RESULT_COUNT = gettext_noop(
    "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"
)
