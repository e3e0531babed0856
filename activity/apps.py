from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = _("Activity")

    def ready(self):
        from . import group_kinds, privacy  # noqa: F401  (privacy registry)

        group_kinds.register()
