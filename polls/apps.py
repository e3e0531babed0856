from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("Polls")

    def ready(self):
        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports, privacy)

        activity.register()
