from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import policies  # noqa: F401  (register the access policy for pages)
        from .models import FrontPagePermissionPolicy

        # Community managers edit and publish the front pages (home/roles.py).
        register_permission_policy(Page, FrontPagePermissionPolicy(Page))
