from django.core.management.base import BaseCommand

from meent.progress import ProgressBar
from privacy.models import DataExport


class Command(BaseCommand):
    help = (
        "Delete downloads of people's data that have expired (MEENT_DATA_EXPORT_DAYS), files too."
    )

    def handle(self, *args, **options):
        expired = list(DataExport.objects.expired())
        if not expired:
            self.stdout.write("No expired data exports.")
            return
        bar = ProgressBar(len(expired), "Purging data exports", stream=self.stdout)
        for export in expired:
            export.delete_file()
            export.delete()
            bar.advance()
        self.stdout.write(f"Deleted {len(expired)} expired data exports.")
