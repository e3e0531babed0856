from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blogs")

    def ready(self):
        from . import policies  # noqa: F401  (registers the access policy)
