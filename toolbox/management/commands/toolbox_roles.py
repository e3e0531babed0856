"""manage.py toolbox_roles: community managers edit every toolbox, moderators approve."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meent.progress import ProgressBar
from toolbox.models import ToolboxIndexPage
from toolbox.roles import ensure_toolbox_roles


class Command(BaseCommand):
    help = "Give community managers and moderators their rights on every toolbox (idempotent)."

    def handle(self, *args, **options):
        indexes = list(ToolboxIndexPage.objects.order_by("path"))
        if not indexes:
            raise CommandError(
                _("There is no toolbox yet: add a toolbox page under a home page in the admin.")
            )
        bar = ProgressBar(len(indexes), label="toolbox_roles", stream=self.stdout)
        for index in indexes:
            ensure_toolbox_roles(index)
            bar.advance(item=index.title)
        self.stdout.write(self.style.SUCCESS(_("The toolbox roles are in place.")))
