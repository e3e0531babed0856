from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports, privacy)

        activity.register()

        from meent.mentions import register

        from .models import Discussion, Reply

        register(Discussion, Reply)  # their mentions go when they are deleted
