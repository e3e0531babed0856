from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "toolbox"
    verbose_name = _("Toolbox")

    def ready(self):
        from . import search  # noqa: F401  (register the toolbox pages in search)
        from .roles import translate_workflow_names

        # The approval workflow's names in the admin user's language.
        translate_workflow_names()
