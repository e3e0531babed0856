from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from meent.audit import register_actions

from . import admin_urls
from .admin_views import may_moderate


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include(admin_urls, namespace="moderation_admin"))]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Reported content"),
        reverse("moderation_admin:queue"),
        icon_name="warning",
        order=250,
    )


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    details = {"item": _("Item"), "author": _("Author")}
    register_actions(
        actions,
        [
            ("meent.report.dismiss", _("Dismiss report"), _("Report dismissed"), details),
            ("meent.report.hide", _("Hide reported item"), _("Reported item hidden"), details),
            ("meent.report.delete", _("Delete reported item"), _("Reported item deleted"), details),
            ("meent.report.warn", _("Warn author"), _("Author warned"), details),
            ("meent.report.suspend", _("Suspend author"), _("Author suspended"), details),
            (
                "meent.comment.remove",
                _("Remove comment"),
                _("Comment removed"),
                {"author": _("Author")},
            ),
            (
                "meent.chat_message.delete",
                _("Delete someone's chat message"),
                _("Chat message deleted"),
                {"author": _("Author")},
            ),
            ("meent.wiki_page.delete", _("Delete wiki page"), _("Wiki page deleted"), {}),
            (
                "meent.report.escalate",
                _("Pass report to moderators"),
                _("Report passed to the moderators"),
                {"item": _("Item")},
            ),
        ],
    )
