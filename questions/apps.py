from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions")

    def ready(self):
        from meent.mentions import register

        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports, privacy)
        from .models import Answer, Question

        activity.register()
        register(Answer, Question)  # their mentions go when they are deleted
