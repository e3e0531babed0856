from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("People and organisations")

    def ready(self):
        from . import language, moderation, policies, search, signals  # noqa: F401

        language.connect_profile_language()
