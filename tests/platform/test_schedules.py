"""The periodic jobs (settings.SCHEDULES, queued by the worker: meent/worker.py): each declared job
is a real task, each period's job is queued once however often (and by however many workers) the
schedules are looked at, and a declaration that cannot work stops the worker with a clear error.
The worker itself, in real processes, is tested in tests/reliability/test_worker.py."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from meent import worker
from meent.models import ScheduleRun

# 2026-12-07 10:00:00 UTC
NOON_ISH = 1796637600.0


def test_every_declared_schedule_is_a_task_and_named_once():
    declared = worker.schedules()
    assert {schedule.name for schedule in declared} >= {
        "scheduled-posts",
        "search-outbox",
        "notification-digests",
        "purge-data-exports",
        "purge-submissions",
        "purge-audit-log",
        "purge-task-results",
    }
    assert len({schedule.name for schedule in declared}) == len(settings.SCHEDULES)


@pytest.mark.django_db
def test_each_period_is_queued_once_and_the_next_period_again():
    # The tests' backend runs a task as it is queued: every job really runs here.
    first = worker.queue_due(NOON_ISH)
    assert sorted(first) == sorted(entry["name"] for entry in settings.SCHEDULES)
    assert ScheduleRun.objects.exclude(task_id="").count() == len(first)

    assert worker.queue_due(NOON_ISH + 1) == []  # the same periods: nothing again

    later = worker.queue_due(NOON_ISH + 5 * 60)
    assert sorted(later) == ["poll-closings", "scheduled-posts", "search-outbox"]  # every 5 min


@pytest.mark.django_db
def test_a_period_another_worker_queued_is_not_queued_again():
    digests = next(s for s in worker.schedules() if s.name == "notification-digests")
    ScheduleRun.objects.create(
        name=digests.name, period=digests.period(NOON_ISH), queued_at="2026-12-07T06:00Z"
    )

    assert "notification-digests" not in worker.queue_due(NOON_ISH)


@pytest.mark.django_db
def test_a_daily_job_waits_for_its_hour():
    digests = next(s for s in worker.schedules() if s.name == "notification-digests")
    before_six = 1796623200.0 - 1  # 2026-12-07 05:59:59 UTC
    assert digests.period(before_six) + 1 == digests.period(before_six + 1)


@pytest.mark.parametrize(
    ("declared", "says"),
    [
        (
            [{"name": "a", "task": "meent.tasks.purge_submissions", "every": 60}] * 2,
            "declared twice",
        ),
        ([{"name": "a", "task": "meent.worker.beat", "every": 60}], "is not a task"),
        ([{"name": "a", "task": "meent.no_such_module.job", "every": 60}], "No module"),
        ([{"name": "a", "task": "meent.tasks.purge_submissions", "every": 0}], "positive"),
        (
            [{"name": "a", "task": "meent.tasks.purge_submissions", "every": 60, "offset": 60}],
            "between 0",
        ),
    ],
)
def test_a_declaration_that_cannot_work_stops_the_worker_with_a_reason(settings, declared, says):
    settings.SCHEDULES = declared
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(CommandError, match=says):
        call_command("run_worker", "--no-startup-delay")


def test_the_worker_refuses_a_backend_that_runs_tasks_in_the_request(settings):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")

    with pytest.raises(CommandError, match="TASK_BACKEND=database"):
        call_command("run_worker")


@pytest.mark.django_db
def test_the_daily_purge_forgets_workers_gone_for_a_day(settings):
    from datetime import timedelta

    from django.utils import timezone

    from meent import tasks
    from meent.models import WorkerBeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="gone", beat_at=now - timedelta(days=1, minutes=1))
    WorkerBeat.objects.create(worker_id="alive", beat_at=now)

    tasks.purge_task_results.call()

    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]
