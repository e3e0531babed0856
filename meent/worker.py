"""The task worker: django-tasks-db's worker, with what production needs beside it.

Requests queue their work (e-mails, search indexing, "download my data") in the database when
``TASK_BACKEND=database``; ``manage.py run_worker`` runs it, as many workers as one likes (each
task is claimed by one worker: PostgreSQL's ``SELECT ... FOR UPDATE SKIP LOCKED``). To
django-tasks-db's worker this adds:

- **Retries.** A task that raises runs again after a pause that doubles each time (30 s, 60 s,
  2 min ... at most an hour; ``MEENT_TASK_RETRY_SECONDS``) until ``MEENT_TASK_ATTEMPTS`` (5)
  attempts in all; then it stays failed with its error, for the staff in the admin. While it
  waits, its last error is there too. Never retried forever.
- **At least once.** Every worker beats (``WorkerBeat``) every ``MEENT_WORKER_BEAT_SECONDS`` from
  a thread of its own, also while a long task runs. A task still marked running on a worker that
  has not beaten for ``MEENT_WORKER_STALE_SECONDS`` was cut off (the worker was killed, its
  machine went away) and is queued again, counting as an attempt. So every task must be
  idempotent: running it twice does what running it once does.
- **Schedules.** The periodic jobs are declared in one place, ``settings.SCHEDULES``; the beat
  thread queues each once per period, however many workers run (``ScheduleRun``).
- **The database away.** A worker started without its database, or losing it, says so once, in
  plain words, and keeps trying; nothing is lost (a task it was running is queued again).
- **Logs.** While a task runs, every log line carries its id (the ``request_id`` field of
  ``LOG_FORMAT=json``, meent/requestid.py).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, connections, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as _DatabaseWorker
from django_tasks_db.models import DBTaskResult

from . import outages, requestid
from .models import ScheduleRun, WorkerBeat

logger = logging.getLogger("meent.worker")

# The longest pause between two attempts of a task.
MAX_RETRY_SECONDS = 3600


class WorkerLost(Exception):
    """Recorded on a task whose workers stopped while running it, attempt after attempt."""


def retry_delay(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: doubling from MEENT_TASK_RETRY_SECONDS,
    with a little jitter so that tasks that failed together do not all come back together."""
    base = settings.MEENT_TASK_RETRY_SECONDS * 2 ** (attempt - 1)
    return min(base, MAX_RETRY_SECONDS) * random.uniform(1.0, 1.2)  # noqa: S311 (not secret)


# ---------------------------------------------------------------------------------------------
# Schedules


@dataclass(frozen=True)
class Schedule:
    """A periodic job: ``task`` (a dotted path to a django-tasks task) is queued once per period
    of ``every`` seconds; periods start ``offset`` seconds after midnight UTC (a daily job at
    06:00 UTC: every=86400, offset=21600)."""

    name: str
    task: str
    every: int
    offset: int = 0

    def period(self, now: float) -> int:
        return int((now - self.offset) // self.every)

    def load(self) -> Task:
        found = import_string(self.task)
        if not isinstance(found, Task):
            raise TypeError(f"{self.task} is not a task (decorate it with @task())")
        return found


class ScheduleError(Exception):
    """settings.SCHEDULES names something that is not a task, or a period that makes no sense."""


def schedules() -> list[Schedule]:
    """settings.SCHEDULES, checked: every name once, every task importable, every period > 0."""
    found, names = [], set()
    for entry in settings.SCHEDULES:
        schedule = Schedule(**entry)
        if schedule.name in names:
            raise ScheduleError(f"Schedule {schedule.name!r} is declared twice.")
        if schedule.every <= 0 or not 0 <= schedule.offset < schedule.every:
            raise ScheduleError(
                f"Schedule {schedule.name!r}: 'every' must be positive and 'offset' between 0 "
                "and 'every'."
            )
        try:
            schedule.load()
        except (ImportError, TypeError) as error:
            raise ScheduleError(f"Schedule {schedule.name!r}: {error}") from error
        names.add(schedule.name)
        found.append(schedule)
    return found


def queue_due(now: float | None = None) -> list[str]:
    """Queue every schedule whose period has come and was not queued yet (by this worker or
    another); returns the names queued. The conditional update makes one worker the one."""
    now = time.time() if now is None else now
    queued = []
    for schedule in schedules():
        period = schedule.period(now)
        with transaction.atomic():
            moved = ScheduleRun.objects.filter(name=schedule.name, period__lt=period).update(
                period=period, queued_at=Now()
            )
            if not moved:
                try:
                    with transaction.atomic():
                        ScheduleRun.objects.create(
                            name=schedule.name, period=period, queued_at=timezone.now()
                        )
                except IntegrityError:  # there is a row: this period is queued already
                    continue
            result = schedule.load().enqueue()
            ScheduleRun.objects.filter(name=schedule.name).update(task_id=str(result.id))
        logger.info("Schedule %s: queued task %s (%s)", schedule.name, result.id, schedule.task)
        queued.append(schedule.name)
    return queued


# ---------------------------------------------------------------------------------------------
# Beats and tasks cut off


def beat(worker_id: str) -> None:
    """This worker is alive (the database's clock, the same for every worker)."""
    if WorkerBeat.objects.filter(pk=worker_id).update(beat_at=Now()):
        return
    try:
        with transaction.atomic():
            WorkerBeat.objects.create(
                worker_id=worker_id, host=socket.gethostname()[:255], pid=os.getpid(), beat_at=Now()
            )
    except IntegrityError:  # created meanwhile by this worker's other thread
        WorkerBeat.objects.filter(pk=worker_id).update(beat_at=Now())


def stopped(worker_id: str) -> None:
    """A worker that stops in good order says so: nothing of it runs any more."""
    WorkerBeat.objects.filter(pk=worker_id).delete()


def requeue_lost(*, worker_id: str | None = None) -> int:
    """Queue again the tasks marked running on a worker that stopped beating (or, with
    ``worker_id``, on that worker, which knows it runs nothing now). Returns how many."""
    stale = timedelta(seconds=settings.MEENT_WORKER_STALE_SECONDS)
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=Now() - stale).values_list("worker_id", flat=True)
    )
    count = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            last = task.worker_ids[-1] if task.worker_ids else None
            lost = last == worker_id if worker_id is not None else last not in alive
            if lost:
                _requeue_lost_task(task, last)
                count += 1
    return count


def _requeue_lost_task(task: DBTaskResult, worker_id: str | None) -> None:
    attempts = len(task.worker_ids)
    if attempts >= settings.MEENT_TASK_ATTEMPTS:
        task.set_failed(
            WorkerLost(f"The worker running it stopped, {attempts} times (last: {worker_id}).")
        )
        logger.error(
            "Task %s (%s) failed for good: its worker stopped while running it, %d times",
            task.id,
            task.task_path,
            attempts,
        )
        return
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.READY, started_at=None, run_after=Now()
    )
    logger.warning(
        "Task %s (%s) was running on worker %s, which stopped; queued again (attempt %d of %d)",
        task.id,
        task.task_path,
        worker_id,
        attempts + 1,
        settings.MEENT_TASK_ATTEMPTS,
    )


class Housekeeping(threading.Thread):
    """The worker's second thread: beats, queues lost tasks again and queues the schedules,
    every MEENT_WORKER_BEAT_SECONDS, also while the main thread runs a long task."""

    def __init__(self, worker_id: str, *, run_schedules: bool = True):
        super().__init__(name="meent-worker-housekeeping", daemon=True)
        self.worker_id = worker_id
        self.run_schedules = run_schedules
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.is_set():
                self.once()
                self.stopping.wait(settings.MEENT_WORKER_BEAT_SECONDS)
        finally:
            connection.close()

    def once(self):
        close_old_connections()
        try:
            beat(self.worker_id)
            requeue_lost()
            if self.run_schedules:
                queue_due()
        except Exception as error:
            if not outages.counted(error):
                logger.exception("The worker's housekeeping failed; it tries again")
            return
        outages.recovered(outages.DATABASE)

    def stop(self):
        self.stopping.set()
        self.join(timeout=settings.MEENT_WORKER_BEAT_SECONDS + 5)


# ---------------------------------------------------------------------------------------------
# The worker


class Worker(_DatabaseWorker):
    """django-tasks-db's worker, running each task under its id in the logs, and giving a task
    that raised another attempt later (``retry_delay``) until MEENT_TASK_ATTEMPTS: it is never
    marked failed in between, so whoever watches it sees it failed only for good."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        mark_failed = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            if not retry_later(db_task_result, error):
                mark_failed(error)

        db_task_result.set_failed = set_failed
        with requestid.bound(str(db_task_result.id)):
            super().run_task(db_task_result)


def retry_later(task: DBTaskResult, error: BaseException) -> bool:
    """Queue ``task`` again after a pause, with its error kept for the staff; False when it has
    had all its attempts. (A worker stopped twice mid-task raises SystemExit in it: retried too.)"""
    attempts = len(task.worker_ids)
    name = type(error).__name__
    if attempts >= settings.MEENT_TASK_ATTEMPTS:
        logger.error(
            "Task %s (%s) failed for good after %d attempts (%s); the admin shows its error",
            task.id,
            task.task_path,
            attempts,
            name,
        )
        return False
    delay = retry_delay(attempts)
    task.status = TaskResultStatus.READY
    task.run_after = timezone.now() + timedelta(seconds=delay)
    task.finished_at = None
    task.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    task.traceback = "".join(traceback.format_exception(error))
    task.save(
        update_fields=["status", "run_after", "finished_at", "exception_class_path", "traceback"]
    )
    logger.warning(
        "Task %s (%s) failed (%s); attempt %d of %d in %s s",
        task.id,
        task.task_path,
        name,
        attempts + 1,
        settings.MEENT_TASK_ATTEMPTS,
        round(delay, 1),
    )
    return True


def keep_connections() -> None:
    """The worker's loop closes "old" connections before and after every task; with the
    requests' CONN_MAX_AGE of 0 that is a new PostgreSQL connection per task (and per beat).
    A worker keeps them, health-checked before reuse (CONN_HEALTH_CHECKS), so a database that
    went away is noticed and reconnected to."""
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = None
        connections.settings[alias]["CONN_HEALTH_CHECKS"] = True


def wait_for_database() -> None:
    """Until the database answers: one clear line, then quiet tries with growing pauses."""
    pause = 1.0
    told = False
    while True:
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except outages.DATABASE_DOWN as error:
            connection.close()
            if not told:
                first_line = (str(error).strip().splitlines() or [""])[0][:200]
                logger.error(
                    "The worker cannot reach the database (%s: %s). Check DATABASE_URL and that "
                    "the database server runs; it tries again every few seconds.",
                    type(error).__name__,
                    first_line,
                )
                told = True
            time.sleep(pause)
            pause = min(pause * 2, 30.0)
            continue
        if told:
            logger.warning("The database answers; the worker goes on.")
        return
