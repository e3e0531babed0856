from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blogs")

    def ready(self):
        from meent.mentions import register

        from . import policies, search  # noqa: F401  (register the access policy, search)
        from .models import Comment, Post

        register(Comment, Post)  # their mentions go when they are deleted
