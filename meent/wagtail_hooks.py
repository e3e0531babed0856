"""The platform core in Wagtail's admin: the virus scanner's state on the home page (for the
operators) and the audit log's entry for an infected upload."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from meent import virusscan
from meent.audit import register_actions


class VirusScanningPanel(Component):
    """Whether uploads are scanned and, when they are, whether clamd answers: for superusers, who
    run the platform; nobody else can act on it."""

    name = "virus_scanning"
    template_name = "meent/admin/virus_scanning_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        return {"scanner": virusscan.status()}

    def render_html(self, parent_context=None):
        if not parent_context["request"].user.is_superuser:
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_virus_scanning_panel(request, panels):
    panels.append(VirusScanningPanel())


@hooks.register("register_log_actions")
def register_upload_actions(actions):
    register_actions(
        actions,
        [
            (
                "meent.upload.infected",
                _("Refuse an infected upload"),
                _("Upload refused: it contains a virus"),
                {"signature": _("Virus"), "what": _("Uploaded to"), "name": _("File name")},
            )
        ],
    )
