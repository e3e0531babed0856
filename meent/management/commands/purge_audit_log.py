"""manage.py purge_audit_log: delete audit log entries older than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meent import audit
from meent.progress import ProgressBar

BATCH_SIZE = 1000


class Command(BaseCommand):
    help = (
        "Delete the audit log (Wagtail's log of pages and other objects) older than "
        "MEENT_AUDIT_RETENTION_DAYS days, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of MEENT_AUDIT_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, days=None, dry_run=False, batch_size=BATCH_SIZE, **options):
        days = settings.MEENT_AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(_("Keep at least one day."))
        if batch_size < 1:
            raise CommandError(_("The batch size must be at least 1."))
        counts = {model: entries.count() for model, entries in audit.older_than(days).items()}
        total = sum(counts.values())
        if dry_run:
            for model, count in counts.items():
                self.stdout.write(f"{model._meta.verbose_name_plural}: {count}")
            self.stdout.write(
                _("%(count)s entries older than %(days)s days would be deleted.")
                % {"count": total, "days": days}
            )
            return
        bar = ProgressBar(total, label="purge_audit_log", stream=self.stdout)
        deleted = audit.purge(
            days,
            batch_size,
            on_batch=lambda count, model: bar.advance(count, item=model._meta.model_name),
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s audit log entries older than %(days)s days deleted.")
                % {"count": deleted, "days": days}
            )
        )
