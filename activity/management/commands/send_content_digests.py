from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.digest import send_digests
from meent.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "E-mail each person who chose it their content digest: the new posts, wiki pages and "
        "comments in their groups and from the people they follow, since their last one. The "
        "worker runs it every morning (daily) and on Monday morning (weekly; settings.SCHEDULES); "
        "running it again in the same period sends nobody a second copy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=["daily", "weekly"],
            default="weekly",
            help="Whose digests to send: the people who chose daily or weekly (default: weekly).",
        )
        parser.add_argument(
            "--now",
            help=(
                "Send as if it were this moment (ISO 8601, e.g. 2026-12-07T06:15:00+00:00; "
                "without a zone: UTC). Default: now."
            ),
        )

    def handle(self, *args, frequency, now=None, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(
                    _("--now %(value)s is not an ISO 8601 moment (2026-12-07T06:15:00+00:00).")
                    % {"value": now}
                ) from error
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=UTC)
        progress = None

        def advance(total):
            nonlocal progress
            if progress is None:
                progress = ProgressBar(total, label=_("Content digests"), stream=self.stdout)
            progress.advance()

        result = send_digests(frequency, now=moment, on_person=advance)
        summary = _(
            "Content digests sent: %(sent)d of %(people)d people, with %(items)d items in all."
        ) % {"sent": result.sent, "people": result.people, "items": result.items}
        if result.failed:
            summary += " " + _("%(failed)d could not be sent; the next run tries again.") % {
                "failed": result.failed
            }
            self.stdout.write(self.style.WARNING(summary))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
