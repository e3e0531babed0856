"""Who edits the front pages: community managers edit and publish every community's front page
(``home.edit_front_page``, read by ``HomePagePermissionTester`` in home/models.py), and nothing
below it that Wagtail's page permissions would otherwise hand down with it (the toolbox keeps its
approval workflow, toolbox/roles.py). ``load_demo`` calls ``ensure_front_page_role``; an
administrator can give the right to any group in Settings › Groups ("Front pages")."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission


def front_page_permission():
    return Permission.objects.get(content_type__app_label="home", codename="edit_front_page")


def ensure_front_page_role() -> Group:
    managers, _ = Group.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    managers.permissions.add(
        front_page_permission(),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return managers
