from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = _("Files")

    def ready(self):
        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports, privacy)

        activity.register()
