from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeentConfig(AppConfig):
    name = "meent"
    verbose_name = _("Meent platform")

    def ready(self):
        # Importing converters registers <id:…> before any URL pattern is built.
        from meent import converters, sites  # noqa: F401

        sites.connect_signals()
