"""GET /metrics: Prometheus's scrape of this process (meent/metrics.py), with the task queue.

Protected by a bearer token, ``METRICS_TOKEN``: unset, the endpoint is off (404, as an address
that is not there); a missing or
wrong token is a 401 with ``WWW-Authenticate: Bearer``. Never a session: a scraper has none, and
a page must not reveal the numbers to whoever is signed in. The proxy refuses /metrics
(deploy/nginx/meent.conf): Prometheus scrapes the app processes directly (README, "Metrics").

The task queue lives here, in the wiring, because it reads django-tasks-db's table: the core
imports no app. It is read at scrape time, in one query, for every configured backend that is
django-tasks-db's ``DatabaseBackend`` (none: no query, no queue metrics).
"""

import hmac

from django.conf import settings
from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus, task_backends
from prometheus_client.core import GaugeMetricFamily

from meent import outages
from meent.metrics import exposition

READABLE = "meent_task_queue_readable"
READABLE_HELP = "1 when this scrape read the task queue, 0 when its database did not answer."


class TaskQueueCollector:
    """``meent_task_queue_length{queue}`` (tasks ready to run), ``meent_task_queue_oldest_seconds
    {queue}`` (how long the oldest of them has been ready: since it was queued, or since the time
    it was queued to run after), ``meent_task_queue_running{queue}`` and ``meent_task_queue_failed
    {queue}`` (failed tasks still kept: purge_task_results removes them after
    MEENT_TASK_RESULT_DAYS). ``meent_task_queue_readable`` is 0 while the database is down: the
    scrape still answers, with the HTTP and WebSocket numbers of the outage."""

    def collect(self):
        from django_tasks_db.backend import DatabaseBackend

        backends = [b for b in task_backends.all() if isinstance(b, DatabaseBackend)]
        if not backends:
            return
        length = GaugeMetricFamily(
            "meent_task_queue_length", "Tasks ready to run, waiting for a worker.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "meent_task_queue_oldest_seconds",
            "How long the oldest task ready to run has waited (0: none waits).",
            labels=["queue"],
        )
        running = GaugeMetricFamily(
            "meent_task_queue_running", "Tasks a worker is running now.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "meent_task_queue_failed", "Failed tasks still kept in the database.", labels=["queue"]
        )
        now = timezone.now()
        try:
            counts = self._counts(backends, now)
        except Exception as error:
            if not outages.counted(error):
                raise
            # The database is down: the scrape still answers with the process's own numbers
            # (what an outage looks like from here), and says the queue could not be read.
            yield GaugeMetricFamily(READABLE, READABLE_HELP, value=0)
            return
        yield GaugeMetricFamily(READABLE, READABLE_HELP, value=1)
        for queue, row in sorted(counts.items()):
            length.add_metric([queue], row["ready"])
            waiting_since = row["waiting_since"]
            age = (now - waiting_since).total_seconds() if waiting_since else 0.0
            oldest.add_metric([queue], max(age, 0.0))
            running.add_metric([queue], row["running"])
            failed.add_metric([queue], row["failed"])
        yield from (length, oldest, running, failed)

    @staticmethod
    def _counts(backends, now):
        """{queue: counts and the oldest ready task's start of waiting}: one query."""
        from django_tasks_db.models import DBTaskResult, get_date_max

        never = get_date_max()  # run_after of a task queued to run at once
        ready = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
        rows = (
            DBTaskResult.objects.filter(backend_name__in=[b.alias for b in backends])
            .values("queue_name")
            .order_by()
            .annotate(
                ready=Count("pk", filter=ready),
                running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
                failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
                waiting_since=Min(
                    Case(
                        When(run_after=never, then=F("enqueued_at")),
                        default=Greatest("enqueued_at", "run_after"),
                    ),
                    filter=ready,
                ),
            )
        )
        empty = {"ready": 0, "running": 0, "failed": 0, "waiting_since": None}
        # Every configured queue, also while it is empty (a series that vanishes alerts nobody).
        counts = {queue: dict(empty) for backend in backends for queue in backend.queues}
        for row in rows:
            counts[row.pop("queue_name")] = row
        return counts


QUEUE_COLLECTOR = TaskQueueCollector()


def _bearer_token(request):
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@require_safe
@never_cache
def metrics(request):
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404  # off: as any address that is not there
    given = _bearer_token(request)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        response = HttpResponse(
            _("Send the metrics token as a bearer token (Authorization: Bearer …)."),
            status=401,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = exposition(request.headers.get("Accept", ""), extra=[QUEUE_COLLECTOR])
    return HttpResponse(body, content_type=content_type)
