"""manage.py moderator_role: the Moderators group gets its rights in the admin."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from moderation.roles import ensure_moderator_role


class Command(BaseCommand):
    help = "Give the Moderators group its rights on people, organisations, groups and reports."

    def handle(self, *args, **options):
        group = ensure_moderator_role()
        self.stdout.write(
            self.style.SUCCESS(
                _("The role of %(group)s is in place: %(count)s permissions.")
                % {"group": group.name, "count": group.permissions.count()}
            )
        )
