from django.core.management.base import BaseCommand

from events.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the people signed up for events that start within 24 hours (once per "
        "occurrence: running it again reminds nobody twice). The worker runs it every 15 minutes "
        "(settings.SCHEDULES)."
    )

    def handle(self, *args, **options):
        told = send_reminders()
        self.stdout.write(f"Reminded {told} people and guests.")
