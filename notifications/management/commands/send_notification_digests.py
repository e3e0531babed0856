import logging

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meent.progress import ProgressBar
from notifications.emails import send_digest
from notifications.models import Notification

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "E-mail each person one summary of their unread notifications of the kinds they want "
        "once a day. Run it daily; running it again sends nothing new."
    )

    def handle(self, *args, **options):
        due = Notification.objects.due_for_digest().values("recipient_id")
        people = get_user_model().objects.filter(pk__in=due).order_by("pk")
        progress = ProgressBar(people.count(), label=_("Daily summaries"), stream=self.stdout)
        sent = items = failed = 0
        for person in people.iterator():
            try:
                count = send_digest(person)
            except Exception:
                # One unreachable mailbox must not hold up everyone else's summary; the
                # notifications stay unmarked, so the next run tries again.
                logger.exception("Sending the daily summary to person %s failed.", person.pk)
                failed += 1
            else:
                if count:
                    sent += 1
                    items += count
            progress.advance()
        summary = _("Daily summaries sent: %(sent)d, with %(items)d notifications in all.") % {
            "sent": sent,
            "items": items,
        }
        if failed:
            summary += " " + _("%(failed)d could not be sent; the next run tries again.") % {
                "failed": failed
            }
            self.stdout.write(self.style.WARNING(summary))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
