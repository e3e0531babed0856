from django.core.management.base import BaseCommand

from meent.progress import ProgressBar
from privacy.tasks import purge_expired_exports


class Command(BaseCommand):
    help = (
        "Delete downloads of people's data that have expired (MEENT_DATA_EXPORT_DAYS), files too. "
        "The worker runs it every hour (settings.SCHEDULES)."
    )

    def handle(self, *args, **options):
        bar = None

        def advance(total):
            nonlocal bar
            if bar is None:
                bar = ProgressBar(total, "Purging data exports", stream=self.stdout)
            bar.advance()

        count = purge_expired_exports(on_export=advance)
        if not count:
            self.stdout.write("No expired data exports.")
            return
        self.stdout.write(f"Deleted {count} expired data exports.")
