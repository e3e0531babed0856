from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meent.progress import ProgressBar
from notifications.emails import send_digests


class Command(BaseCommand):
    help = (
        "E-mail each person one summary of their unread notifications of the kinds they want "
        "once a day. The worker runs it every morning (settings.SCHEDULES); running it again "
        "sends nothing new."
    )

    def handle(self, *args, **options):
        progress = None

        def advance(total):
            nonlocal progress
            if progress is None:
                progress = ProgressBar(total, label=_("Daily summaries"), stream=self.stdout)
            progress.advance()

        sent, items, failed = send_digests(on_person=advance)
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
