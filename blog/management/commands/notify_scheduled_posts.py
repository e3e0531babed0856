from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post
from blog.services import notify_post_mentions
from meent.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Tell the people mentioned in scheduled posts that have appeared since the last run. "
        "Run it every few minutes (e.g. from cron); running it again tells nobody twice."
    )

    def handle(self, *args, **options):
        due = list(
            Post.objects.filter(
                published_at__lte=timezone.now(), mentions_notified_at__isnull=True
            ).values_list("pk", flat=True)
        )
        progress = ProgressBar(len(due), label=_("Scheduled posts"), stream=self.stdout)
        told = 0
        for pk in due:
            told += notify_post_mentions(pk)
            progress.advance()
        self.stdout.write(
            _("Posts handled: %(posts)d; people told: %(told)d.")
            % {"posts": len(due), "told": told}
        )
