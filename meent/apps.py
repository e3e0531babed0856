from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeentConfig(AppConfig):
    name = "meent"
    verbose_name = _("Meent platform")

    def ready(self):
        from meent import sites

        sites.connect_signals()
