"""manage.py purge_submissions: forget form submission keys older than a week."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meent.idempotency import KEEP_DAYS, purge


class Command(BaseCommand):
    help = (
        "Forget the submission keys of forms (which stop a form posted twice from making two "
        f"things) older than {KEEP_DAYS} days, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS, help="Keep this many days.")

    def handle(self, *args, days=KEEP_DAYS, **options):
        if days < 1:
            raise CommandError(_("Keep at least one day."))
        deleted = purge(days)
        self.stdout.write(
            self.style.SUCCESS(f"{deleted} submission keys older than {days} days deleted.")
        )
