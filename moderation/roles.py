"""The moderators' role: what the "Moderators" group may do in the admin (idempotent).

Run by ``manage.py moderator_role`` and by ``load_demo``. The toolbox rights (approving and
publishing) come from toolbox/roles.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

# (app label, model, actions). Site history shows a log entry to whoever has a permission on its
# content type, so "view" on people, groups and reports also opens their audit entries.
MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access"]),
    ("accounts", "user", ["view", "change"]),
    ("accounts", "organisation", ["add", "change", "delete", "view"]),
    ("accounts", "organisationdomain", ["add", "change", "delete", "view"]),
    ("groups", "group", ["view", "change"]),
    ("moderation", "report", ["view", "change"]),
    # No admin of their own: "view" only opens their audit entries (moderators removing a
    # comment, deleting a wiki page or someone's chat message).
    ("blog", "comment", ["view"]),
    ("wiki", "wikipage", ["view"]),
    ("chat", "message", ["view"]),
]


def _codenames():
    for app_label, model, actions in MODERATOR_PERMISSIONS:
        for action in actions:
            yield app_label, f"{action}_{model}"


@transaction.atomic
def ensure_moderator_role() -> Group:
    moderators, _created = Group.objects.get_or_create(name=settings.MEENT_MODERATORS_GROUP)
    wanted = list(_codenames())
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(wanted):
        found = {(p.content_type.app_label, p.codename) for p in permissions}
        missing = ", ".join(f"{a}.{c}" for a, c in wanted if (a, c) not in found)
        raise LookupError(f"Permissions missing (run migrate first): {missing}")
    moderators.permissions.add(*permissions)
    return moderators
