from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from meent import converters
from meent.audit import register_actions

from .admin_views import (
    MergeOrganisationView,
    ModeratorViewSet,
    OrganisationEditView,
    OrganisationSignInView,
    PeopleFilterSet,
    PeopleIndexView,
    PersonEditView,
)
from .models import Organisation, User


class OrganisationViewSet(SnippetViewSet):
    """Moderators manage organisations and the e-mail domains that place people in them."""

    model = Organisation
    pk_path_converter = converters.NAME  # ids in range only (meent/converters.py)
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug", "domains__domain"]
    edit_view_class = OrganisationEditView
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("website"),
        InlinePanel("domains", label=_("E-mail domains"), heading=_("E-mail domains")),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("merge/<id:pk>/", MergeOrganisationView.as_view(), name="merge"),
            path("sign-in/<id:pk>/", OrganisationSignInView.as_view(), name="sign_in"),
        ]


register_snippet(OrganisationViewSet)


class PeopleViewSet(ModeratorViewSet):
    model = User
    name = "people"
    icon = "user"
    menu_label = _("People")
    menu_order = 290
    index_view_class = PeopleIndexView
    edit_view_class = PersonEditView
    filterset_class = PeopleFilterSet
    search_fields = ["first_name", "last_name", "email", "job_title"]
    ordering = ["first_name", "last_name", "email"]
    list_per_page = 50
    panels = [
        FieldPanel("first_name"),
        FieldPanel("last_name"),
        FieldPanel("job_title"),
        FieldPanel("organisation"),
        FieldPanel("is_active"),
    ]


people_viewset = PeopleViewSet()


@hooks.register("register_admin_viewset")
def register_people_viewset():
    return people_viewset


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    register_actions(
        actions,
        [
            ("meent.person.suspend", _("Suspend"), _("Suspended"), {"until": _("Until")}),
            ("meent.person.unsuspend", _("Lift suspension"), _("Suspension lifted")),
            (
                "meent.organisation.sign_in",
                _("Organisation sign-in"),
                _("Changed the organisation's sign-in"),
                {
                    "issuer": _("Issuer"),
                    "client_id": _("Client ID"),
                    "enabled": _("Enabled"),
                    "required": _("Required for its domains"),
                },
            ),
            (
                "meent.organisation.merge",
                _("Merge organisations"),
                _("Merged an organisation into this one"),
                {"merged": _("Merged"), "people": _("People"), "domains": _("E-mail domains")},
            ),
        ],
    )


# Site history's CSV and XLSX exports list what happened but not why: add the message, which
# carries the reason and details of our actions (meent/audit.py).
if "message" not in LogEntriesView.list_export:
    LogEntriesView.list_export = [*LogEntriesView.list_export, "message"]
    LogEntriesView.export_headings = {**LogEntriesView.export_headings, "message": _("Message")}
