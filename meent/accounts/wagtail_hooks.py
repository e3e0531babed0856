from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation


class OrganisationViewSet(SnippetViewSet):
    """Moderators manage organisations and the e-mail domains that place people in them."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug", "domains__domain"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("website"),
        InlinePanel("domains", label=_("E-mail domains"), heading=_("E-mail domains")),
    ]


register_snippet(OrganisationViewSet)
