"""manage.py search_index rebuild | status | drain"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from meent.progress import ProgressBar
from search import registry
from search.backends import database_mirror, get_search_backend
from search.indexing import drain_outbox, prepare_entries
from search.models import OutboxItem

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Rebuild the search index, show its state, or index what the outbox holds."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "drain"])
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, action, batch_size, **options):
        if batch_size < 1:
            raise CommandError(_("The batch size must be at least 1."))
        getattr(self, action)(batch_size)

    def rebuild(self, batch_size):
        # What the outbox held before the rebuild is covered by it; later changes queue anew.
        covered = OutboxItem.objects.order_by("-pk").values_list("pk", flat=True).first()
        # The database index kept beside a search server (the fallback) first, then the server.
        for backend in filter(None, (database_mirror(), get_search_backend())):
            # Elasticsearch: new indices behind the write aliases, searches keep reading the old
            # ones until finish_rebuild swaps the read aliases at once. The database: rewritten
            # in place, stale entries removed at the end.
            backend.begin_rebuild()
            try:
                self._fill(backend, batch_size)
            except BaseException:
                backend.abort_rebuild()
                raise
            backend.finish_rebuild()
        if covered is not None:
            OutboxItem.objects.filter(pk__lte=covered).delete()
        self.stdout.write(self.style.SUCCESS(_("The search index has been rebuilt.")))

    def _fill(self, backend, batch_size):
        for document in registry.documents():
            # Only the keys here: prepare_entries loads the objects as the document needs them.
            queryset = document.get_queryset().order_by("pk").values_list("pk", flat=True)
            total = queryset.count()
            bar = ProgressBar(total, label=str(document.type_label), stream=self.stdout)
            last_pk = None
            while True:
                batch = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
                ids = list(batch[:batch_size])
                if not ids:
                    break
                last_pk = ids[-1]
                entries, _gone = prepare_entries(document, ids)
                backend.index(entries, rebuilding=True)
                bar.advance(len(ids))
            if total == 0:
                bar.advance(0)

    def status(self, batch_size):
        backend = get_search_backend()
        indexed = backend.count_by_type()
        waiting = dict(
            OutboxItem.objects.values_list("type").annotate(n=Count("pk")).values_list("type", "n")
        )
        header = (_("Type"), _("In the database"), _("In the index"), _("In the outbox"))
        rows = [
            (
                document.type_name,
                str(document.get_queryset().count()),
                str(indexed.get(document.type_name, 0)),
                str(waiting.get(document.type_name, 0)),
            )
            for document in registry.documents()
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        failing = OutboxItem.objects.filter(attempts__gt=0).order_by("-pk").first()
        if failing is not None:
            self.stdout.write(
                self.style.WARNING(
                    _("Indexing failed %(attempts)s time(s); last error: %(error)s")
                    % {"attempts": failing.attempts, "error": failing.last_error}
                )
            )

    def drain(self, batch_size):
        before = OutboxItem.objects.count()
        done = drain_outbox(batch_size=batch_size)
        self.stdout.write(
            _("Indexed %(done)s of %(total)s waiting changes.") % {"done": done, "total": before}
        )
        if done < before and OutboxItem.objects.filter(attempts__gt=0).exists():
            raise CommandError(_("The search backend did not accept every change; see status."))
