from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from meent import converters

from .models import ProfileField


class ProfileFieldViewSet(SnippetViewSet):
    """The operator's profile fields, per community: what people can tell about themselves."""

    model = ProfileField
    pk_path_converter = converters.NAME  # ids in range only (meent/converters.py)
    icon = "form"
    menu_label = _("Profile fields")
    menu_order = 295
    add_to_admin_menu = True
    list_display = ["label_nl", "label_en", "key", "kind", "visibility", "searchable", "site"]
    list_filter = ["site", "kind", "visibility"]
    search_fields = ["key", "label_nl", "label_en"]
    search_backend_name = None  # the database, through the ORM: a handful of fields
    ordering = ["site", "order", "pk"]
    panels = [
        FieldPanel("site"),
        FieldPanel("key"),
        FieldRowPanel([FieldPanel("label_nl"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("help_nl"), FieldPanel("help_en")]),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("choices"), FieldPanel("max_length")],
            heading=_("What it holds"),
        ),
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("searchable"), FieldPanel("order")],
            heading=_("Who sees it and where"),
        ),
    ]


register_snippet(ProfileFieldViewSet)
