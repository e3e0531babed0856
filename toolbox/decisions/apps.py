from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """Decision aids of the toolbox: a tree of questions that ends in advice."""

    name = "toolbox.decisions"
    label = "toolbox_decisions"
    verbose_name = _("Toolbox decision aids")
