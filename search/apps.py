from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import registry, signals

        # Every registered model's saves and deletions queue it for indexing, also those of
        # apps whose ready() runs after this one.
        registry.on_register(signals.connect)
