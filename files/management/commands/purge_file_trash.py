from django.conf import settings
from django.core.management.base import BaseCommand

from files.trash import purge_trash


class Command(BaseCommand):
    help = (
        "Delete for good the files and folders that have been in a group's trash for "
        "MEENT_FILES_TRASH_DAYS days, with their stored versions. The worker runs it daily "
        "(settings.SCHEDULES)."
    )

    def handle(self, *args, **options):
        count = purge_trash()
        days = settings.MEENT_FILES_TRASH_DAYS
        self.stdout.write(f"Deleted {count} files that were in the trash for {days} days.")
