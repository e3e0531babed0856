from django.conf import settings
from django.core.management.base import BaseCommand

from events.privacy import purge_guests


class Command(BaseCommand):
    help = (
        "Delete guests' sign-ups (name and e-mail address) MEENT_EVENT_GUEST_DAYS days after "
        "their event ended. The worker runs it daily (settings.SCHEDULES)."
    )

    def handle(self, *args, **options):
        count = purge_guests()
        days = settings.MEENT_EVENT_GUEST_DAYS
        self.stdout.write(f"Deleted {count} guest sign-ups of events that ended {days} days ago.")
