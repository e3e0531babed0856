from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = _("Wiki")

    def ready(self):
        from meent.mentions import register

        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports)
        from .models import WikiPage

        activity.register()
        register(WikiPage)  # their mentions go when they are deleted
