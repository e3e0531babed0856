"""manage.py purge_audit_log: delete audit log entries older than the retention period."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, PageLogEntry

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
        cutoff = timezone.now() - timedelta(days=days)
        models = [ModelLogEntry, PageLogEntry]
        counts = {model: model.objects.filter(timestamp__lt=cutoff).count() for model in models}
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
        deleted = 0
        for model in models:
            while True:
                # Oldest first, one batch per statement: short transactions, no huge IN list.
                ids = list(
                    model.objects.filter(timestamp__lt=cutoff)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:batch_size]
                )
                if not ids:
                    break
                count, _details = model.objects.filter(pk__in=ids).delete()
                deleted += count
                bar.advance(len(ids), item=model._meta.model_name)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s audit log entries older than %(days)s days deleted.")
                % {"count": deleted, "days": days}
            )
        )
