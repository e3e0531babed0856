from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self):
        from meent.mentions import register

        from . import moderation, policies, privacy, search, signals  # noqa: F401  (access, index, reports, hooks)
        from .models import Message

        register(Message)  # their mentions go when they are deleted
