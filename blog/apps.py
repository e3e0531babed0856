from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blogs")

    def ready(self):
        from meent.mentions import register

        from . import activity, moderation, policies, privacy, search  # noqa: F401  (access policy, search, reports)
        from .models import Comment, Post

        activity.register()
        register(Comment, Post)  # their mentions go when they are deleted
