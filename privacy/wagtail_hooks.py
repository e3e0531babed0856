from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from meent.audit import register_actions

from .services import ACTION


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    register_actions(actions, [(ACTION, _("Delete account"), _("Account deleted"))])
