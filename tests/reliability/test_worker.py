"""The task worker as production runs it (`manage.py run_worker`, meent/worker.py), in real
processes on PostgreSQL: tasks run with their id on every log line, a task that raises is retried
with pauses and then stays failed with its error, a task cut off by a killed worker runs again,
two workers never run the same task, and a worker started without its database says why and
starts working once it answers."""

import os
import signal

import pytest
from django_tasks_db.models import DBTaskResult

from tests.e2e.conftest import _test_database_url

from . import worker_tasks
from .proxy import proxied_url, wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def start_worker(start_worker):
    """Workers that beat twice a second, write JSON lines and leave the schedules alone."""

    def start(*arguments, **env):
        env = {"LOG_FORMAT": "json", "MEENT_WORKER_BEAT_SECONDS": "0.5", **env}
        return start_worker("--no-schedules", *arguments, **env)

    return start


def finished(result_id, timeout=30):
    def done():
        row = DBTaskResult.objects.get(pk=result_id)
        return row if row.status in ("SUCCESSFUL", "FAILED") else None

    return wait_for(done, timeout=timeout, message=f"task {result_id} to finish")


def test_a_task_runs_in_the_worker_with_its_id_on_every_log_line(start_worker, tmp_path):
    trace = tmp_path / "trace"
    result = worker_tasks.note.enqueue(str(trace), "hello")
    worker = start_worker()

    row = finished(result.id)

    assert row.status == "SUCCESSFUL", worker.log_text()
    assert row.return_value == "hello"
    assert worker_tasks.lines(trace) == [f"hello {worker.process.pid}"]  # not the test process
    task_lines = [line for line in worker.json_lines() if line["request_id"] == str(result.id)]
    messages = [line["message"] for line in task_lines]
    assert "noting hello" in messages, worker.log_text()
    assert any("state=SUCCESSFUL" in message for message in messages)


def test_a_failing_task_is_retried_with_pauses_then_stays_failed_with_its_error(
    start_worker, tmp_path
):
    trace = tmp_path / "trace"
    result = worker_tasks.always_fails.enqueue(str(trace))
    worker = start_worker(MEENT_TASK_ATTEMPTS="3", MEENT_TASK_RETRY_SECONDS="0.3")

    row = finished(result.id)

    assert row.status == "FAILED"
    assert worker_tasks.lines(trace) == ["attempt"] * 3  # three attempts, never more
    assert len(row.worker_ids) == 3
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "the mail server said no" in row.traceback
    messages = [line["message"] for line in worker.json_lines()]
    assert any("attempt 2 of 3 in" in message for message in messages), worker.log_text()
    assert any("attempt 3 of 3 in" in message for message in messages)
    assert any("failed for good after 3 attempts" in message for message in messages)


def test_a_task_cut_off_by_a_killed_worker_runs_again(start_worker, tmp_path):
    trace = tmp_path / "trace"
    result = worker_tasks.slow.enqueue(str(trace), 2)
    quick_to_notice = {"MEENT_WORKER_STALE_SECONDS": "2"}
    first = start_worker(**quick_to_notice)
    wait_for(lambda: "started" in worker_tasks.lines(trace), message="the slow task to start")

    os.killpg(first.process.pid, signal.SIGKILL)  # no goodbye: a crash, an OOM kill
    first.process.wait(timeout=10)
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    second = start_worker(**quick_to_notice)

    row = finished(result.id)
    assert row.status == "SUCCESSFUL", second.log_text()
    assert worker_tasks.lines(trace) == ["started", "started", "done"]
    assert len(row.worker_ids) == 2 and row.worker_ids[0] != row.worker_ids[1]
    messages = [line["message"] for line in second.json_lines()]
    assert any("which stopped; queued again (attempt 2 of 5)" in m for m in messages)


def test_two_workers_never_run_the_same_task(start_worker, tmp_path):
    trace = tmp_path / "trace"
    results = [worker_tasks.note.enqueue(str(trace), f"task-{n}") for n in range(40)]
    workers = [start_worker(), start_worker()]

    for result in results:
        finished(result.id)

    labels = [line.split()[0] for line in worker_tasks.lines(trace)]
    assert sorted(labels) == sorted(f"task-{n}" for n in range(40))  # each once
    pids = {line.split()[1] for line in worker_tasks.lines(trace)}
    assert pids <= {str(worker.process.pid) for worker in workers}
    assert all(
        len(row.worker_ids) == 1
        for row in DBTaskResult.objects.filter(pk__in=[r.id for r in results])
    )


def test_a_worker_started_without_its_database_says_why_and_starts_when_it_answers(
    start_worker, postgres_proxy, tmp_path
):
    postgres_proxy.cut()
    worker = start_worker(DATABASE_URL=proxied_url(_test_database_url(), postgres_proxy))
    wait_for(
        lambda: "cannot reach the database" in worker.log_text(),
        message="the worker to say it cannot reach the database",
    )
    assert worker.process.poll() is None  # it waits; it does not exit
    [line] = [m for m in worker.json_lines() if "cannot reach the database" in m["message"]]
    assert "Check DATABASE_URL" in line["message"]

    postgres_proxy.restore()
    trace = tmp_path / "trace"
    result = worker_tasks.note.enqueue(str(trace), "after")
    assert finished(result.id).status == "SUCCESSFUL", worker.log_text()
    assert "The database answers; the worker goes on." in worker.log_text()
    assert worker.log_text().count("cannot reach the database") == 1  # said once, not per try


def test_sigterm_finishes_the_running_task_first(start_worker, tmp_path):
    trace = tmp_path / "trace"
    result = worker_tasks.slow.enqueue(str(trace), 1.5)
    worker = start_worker()
    wait_for(lambda: "started" in worker_tasks.lines(trace), message="the slow task to start")

    worker.process.send_signal(signal.SIGTERM)

    assert worker.process.wait(timeout=20) == 0
    assert worker_tasks.lines(trace) == ["started", "done"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert "stopped after 1 tasks" in worker.log_text()
