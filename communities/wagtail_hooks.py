from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import may_manage_communities


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("communities/", include(urls, namespace="communities"))]


class CommunitiesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_communities(request.user)


@hooks.register("register_settings_menu_item")
def register_communities_menu_item():
    return CommunitiesMenuItem(
        _("Communities"), reverse("communities:index"), icon_name="site", order=601
    )
