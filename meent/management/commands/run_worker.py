"""manage.py run_worker: run queued tasks and the schedules (meent/worker.py says what it adds to
django-tasks-db's db_worker, whose options it takes)."""

import contextlib
import logging
from argparse import ArgumentTypeError

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_backend_name

from meent import outages, worker

logger = logging.getLogger("meent.worker")


def _database_backend(name):
    try:
        return valid_backend_name(name)
    except ArgumentTypeError as error:
        raise ArgumentTypeError(
            f"{error}: it runs each task in the request that queues it, so a worker has nothing "
            "to do. Set TASK_BACKEND=database."
        ) from error


class Command(DatabaseWorkerCommand):
    help = (
        "Run the tasks that requests queue (TASK_BACKEND=database) and the periodic jobs of "
        "settings.SCHEDULES: retries with backoff, tasks of a stopped worker run again. "
        "SIGTERM finishes the running task first. Run one or more."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Say what to do, not only that the backend is the wrong kind.
        parser._option_string_actions["--backend"].type = _database_backend
        parser.add_argument(
            "--no-schedules",
            action="store_false",
            dest="run_schedules",
            help="Do not queue the periodic jobs (another worker does).",
        )

    def handle(self, *, verbosity, reload, run_schedules=True, **options):
        if reload:
            # Reloading cuts a running task off; a worker that restarts runs it again anyway.
            logger.warning("run_worker does not reload on code changes; restart it instead.")
        try:
            worker.schedules()
        except worker.ScheduleError as error:
            raise CommandError(f"settings.SCHEDULES: {error}") from error
        self.configure_logging(verbosity)
        worker_id = options["worker_id"]
        runner = worker.Worker(
            queue_names=options["queue_name"].split(","),
            excluded_queue_names=[q for q in options["exclude_queues"].split(",") if q],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
        )
        # One long-lived process: keep its connections (health-checked before each use) rather
        # than opening one per task, which CONN_MAX_AGE=0 (right for requests) would do here.
        worker.keep_connections()
        worker.wait_for_database()
        # Beat before the first claim, so no other worker takes this one for gone.
        worker.beat(worker_id)
        housekeeping = worker.Housekeeping(worker_id, run_schedules=run_schedules)
        housekeeping.start()
        runner.configure_signals()
        logger.info("Worker %s started (schedules %s)", worker_id, "on" if run_schedules else "off")
        try:
            while True:
                try:
                    runner.run()
                    break
                except outages.DATABASE_DOWN:
                    worker.wait_for_database()
                    # What it was running when the database went is run again.
                    worker.requeue_lost(worker_id=worker_id)
                    if not runner.running:
                        break
        finally:
            housekeeping.stop()
            with contextlib.suppress(outages.DATABASE_DOWN):
                worker.stopped(worker_id)
            logger.info("Worker %s stopped after %d tasks", worker_id, runner._run_tasks)
