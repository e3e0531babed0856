from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groups")

    def ready(self):
        from meent import access

        from . import middleware, moderation, policies, privacy, search, signals  # noqa: F401  (registries)

        middleware.connect_signals()
        signals.connect()
        access.provide_group_roles(policies.group_roles_of)
