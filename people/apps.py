from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    label = "people"
    verbose_name = _("People directory and profile fields")

    def ready(self):
        from . import policies, privacy, profile  # noqa: F401  (registries)

        profile.connect()
