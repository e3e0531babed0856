from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PubliccodeConfig(AppConfig):
    """The publiccode.yml tool of the toolbox: a generator and a validator."""

    name = "toolbox.publiccode"
    label = "toolbox_publiccode"
    verbose_name = _("Toolbox publiccode.yml tool")
