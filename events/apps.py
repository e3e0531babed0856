from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports, privacy)

        activity.register()

        from meent.mentions import register

        from .models import Event

        register(Event)  # its mentions go when it is deleted
