"""The front pages' right in the admin's group editor (Settings › Groups)."""

from django.contrib.auth.models import Permission
from wagtail import hooks


@hooks.register("register_permissions")
def register_front_page_permission():
    return Permission.objects.filter(content_type__app_label="home", codename="edit_front_page")
