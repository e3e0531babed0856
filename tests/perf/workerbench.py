"""The worker part of `make bench`: what one task worker (`manage.py run_worker`) gets through.

One run (from tests/perf/bench.py with BENCH_ONLY=worker, or all parts):

1. PostgreSQL and Redis on 127.0.0.1 must answer; otherwise the part says why and is skipped (the
   services' URLs as in the chat and people parts);
2. a throw-away PostgreSQL database ``meent_worker_<pid>``, migrated; every process of the part
   has TASK_BACKEND=database (the app queues its tasks in the database, django-tasks-db);
3. start-up: `run_worker --batch` on an empty queue (it starts, finds nothing and exits): what
   every figure below measured from outside includes once;
4. no-op tasks: BENCH_WORKER_TASKS (2000) of ``tests.perf.tasks.noop`` queued, then one
   `run_worker --batch --no-schedules` drains them; tasks/s from outside (the command's time) and
   inside (from the first task started to the last finished, DBTaskResult's timestamps);
5. search indexing: BENCH_WORKER_CONTENT (200) wiki pages and blog posts written through the
   services (each change an outbox item and, after its commit, a drain task, as in a request);
   then one `run_worker --batch` drains them: outbox items indexed/s and tasks/s, and the outbox
   must be empty afterwards;
6. queue latency under load: the people part (tests/perf/peoplebench.py) for
   BENCH_WORKER_PEOPLE_SECONDS (30; BENCH_PEOPLE_SECONDS when set), its server on
   TASK_BACKEND=database (so comments' notification e-mails and the search indexing go through
   the worker), one worker beside it (`run_worker` as production runs it, its default poll
   interval of 1 s, without the schedules) and, while the people walk, no-op tasks queued at a
   steady BENCH_WORKER_RATE (20) per second: queued -> started p50/p99 of those, and of every
   kind of task queued meanwhile; the people figures as in the people part.

The worker, the processes queueing, the databases and the Redis keys under the run's prefix are
always removed, also on Ctrl+C. The part fails (exit 1) when a task failed, the outbox was not
emptied, or the people part had an error.

Environment: BENCH_WORKER_TASKS (2000), BENCH_WORKER_CONTENT (200), BENCH_WORKER_RATE (20),
BENCH_WORKER_PEOPLE_SECONDS (30), the people part's BENCH_PEOPLE*, the services' URLs as in the
chat part (BENCH_CHAT_REDIS_URL, BENCH_CHAT_POSTGRES_URL).
"""

import json
import math
import os
import signal
import subprocess
import sys
import time

from tests import processes

from .chatbench import base_environment, check_services, service_urls
from .harness import (
    ROOT,
    BenchError,
    Skip,
    ThrowawayDatabase,
    env_number,
    fmt,
    postgres,
    redis_cleanup,
    run_python,
)
from .loadgen import process_cpu_seconds
from .report import render_table

NOOP = "tests.perf.tasks.noop"
DRAIN = "search.indexing.drain_outbox_task"
# Per task: its path, status, queued -> started seconds, started and finished (epoch seconds),
# of the tasks queued between two moments (epoch seconds).
TASKS_QUERY = (
    "SELECT task_path, status, extract(epoch FROM started_at - enqueued_at), "
    "extract(epoch FROM started_at), extract(epoch FROM finished_at) "
    "FROM django_tasks_database_dbtaskresult "
    "WHERE enqueued_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)"
)
WAITING_QUERY = (
    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
)
FAR_FUTURE = 4_102_444_800  # 2100-01-01
WORKER = ["manage.py", "run_worker", "--no-startup-delay", "--no-schedules"]
SETTLE_TIMEOUT = 120.0  # the most the worker may take to empty the queue after the load


def read_config(environ):
    return {
        "tasks": env_number(environ, "BENCH_WORKER_TASKS", 2000, int, high=100_000),
        "content": env_number(environ, "BENCH_WORKER_CONTENT", 200, int, low=2, high=10_000),
        "rate": env_number(environ, "BENCH_WORKER_RATE", 20.0, high=1000),
        "people_seconds": environ.get("BENCH_PEOPLE_SECONDS")
        or str(env_number(environ, "BENCH_WORKER_PEOPLE_SECONDS", 30.0, high=600)),
    }


def percentile(values, percent):
    """Nearest-rank percentile (as tests/perf/loadgen.py), or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def latency_summary(seconds):
    """p50/p99/max of latencies in seconds, as milliseconds."""

    def ms(value):
        return None if value is None else round(value * 1000, 1)

    return {
        "count": len(seconds),
        "p50_ms": ms(percentile(seconds, 50)),
        "p99_ms": ms(percentile(seconds, 99)),
        "max_ms": ms(max(seconds) if seconds else None),
    }


# --- in the benchmark's database (subprocesses: python -m tests.perf.workerbench --...) --------


def enqueue_noop(out_path, count):
    """Queue ``count`` no-op tasks, one by one as the app queues them; how long that took."""
    import django

    django.setup()
    from .tasks import noop

    started = time.perf_counter()
    for _ in range(count):
        noop.enqueue()
    with open(out_path, "w") as out:
        json.dump({"queued": count, "seconds": round(time.perf_counter() - started, 3)}, out)


def write_content(out_path, count):
    """A member writes ``count`` wiki pages and blog posts in a group, each change in its own
    transaction, as requests do: each queues an outbox item and, after its commit, a drain."""
    import django

    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Page, Site

    from blog import services as blog
    from home.models import HomePage
    from search.models import OutboxItem
    from tests.factories import GroupFactory, MembershipFactory, UserFactory
    from wiki import services as wiki

    site = Site.objects.select_related("root_page").get(is_default_site=True)
    if not isinstance(site.root_page.specific, HomePage):
        home = HomePage(title="Meent", slug="meent-home", introduction="Samenwerken.")
        Page.get_first_root_node().add_child(instance=home)
        site.root_page = home
        site.save()
    author = UserFactory(email="schrijver@workerbench.nl")
    group = GroupFactory(name="Worker bench", slug="worker-bench")
    MembershipFactory(group=group, user=author, role="owner")
    DBTaskResult.objects.all().delete()  # only what the writing queues is measured
    OutboxItem.objects.all().delete()
    paragraph = "<p>Afspraken over het archief, het overleg en de handleiding van de groep.</p>"
    started = time.perf_counter()
    for n in range(count):
        if n % 2 == 0:
            wiki.create_page(author, group, title=f"Pagina {n}", body=paragraph * 6)
        else:
            blog.save_post(
                author,
                blog.PostInput(
                    title=f"Verslag {n}",
                    summary="Wat we afspraken.",
                    body=paragraph * 6,
                    tags="overleg",
                    publish=blog.Publish.NOW,
                ),
                group=group,
            )
    seconds = time.perf_counter() - started
    queued = dict(DBTaskResult.objects.values_list("task_path").annotate(n=Count("id")).order_by())
    with open(out_path, "w") as out:
        json.dump(
            {
                "written": count,
                "seconds": round(seconds, 3),
                "outbox_items": OutboxItem.objects.count(),
                "tasks_queued": queued,
            },
            out,
        )


def enqueue_steadily(rate, go_path):
    """Once ``go_path`` exists (Django is set up before, which takes a while), queue a no-op task
    every 1/``rate`` s (on a fixed schedule, not drifting) until SIGTERM."""
    import django

    django.setup()
    from .tasks import noop

    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    while not os.path.exists(go_path) and not stopping:
        time.sleep(0.01)
    started = time.monotonic()
    sent = 0
    while not stopping:
        noop.enqueue()
        sent += 1
        pause = started + sent / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    print(f"queued {sent} tasks in {time.monotonic() - started:.1f} s", flush=True)


# --- figures from the database ------------------------------------------------------------------


def task_figures(database_url, since=None, until=None):
    """Per task path: count, statuses, first start, last finish, queued -> started latencies."""
    with postgres(database_url) as connection:
        rows = connection.execute(
            TASKS_QUERY, (0 if since is None else since, FAR_FUTURE if until is None else until)
        ).fetchall()
    figures = {}
    for path, status, waited, started, finished in rows:
        entry = figures.setdefault(path, {"statuses": {}, "waits": [], "starts": [], "ends": []})
        entry["statuses"][status] = entry["statuses"].get(status, 0) + 1
        if waited is not None:
            entry["waits"].append(float(waited))
            entry["starts"].append(float(started))
        if finished is not None:
            entry["ends"].append(float(finished))
    return figures


def span(entries):
    """Seconds from the first task started to the last one finished, over ``entries``."""
    starts = [value for entry in entries for value in entry["starts"]]
    ends = [value for entry in entries for value in entry["ends"]]
    return (max(ends) - min(starts)) if starts and ends else None


def failed(figures):
    return sum(
        count
        for entry in figures.values()
        for status, count in entry["statuses"].items()
        if status != "SUCCESSFUL"
    )


def scalar(database_url, sql):
    with postgres(database_url) as connection:
        return connection.execute(sql).fetchone()[0]


# --- the parts ----------------------------------------------------------------------------------


def drain(env, log_path):
    """`run_worker --batch`: the seconds it took to start, run everything queued and exit."""
    return run_python([*WORKER, "--batch"], env, log_path, 1800)


def measure_noop(env, database_url, log_dir, config):
    out = log_dir / "noop.json"
    run_python(
        ["-m", "tests.perf.workerbench", "--noop", str(out), str(config["tasks"])],
        env,
        log_dir / "setup.log",
        900,
    )
    queued = json.loads(out.read_text())
    wall = drain(env, log_dir / "worker-noop.log")
    figures = task_figures(database_url)
    noop = figures.get(NOOP, {"statuses": {}, "waits": [], "starts": [], "ends": []})
    done = noop["statuses"].get("SUCCESSFUL", 0)
    inside = span([noop])
    return {
        "queued": queued["queued"],
        "queue_seconds": queued["seconds"],
        "queued_per_second": round(queued["queued"] / queued["seconds"], 1)
        if queued["seconds"]
        else None,
        "done": done,
        "failed": failed(figures),
        "wall_seconds": round(wall, 2),
        "tasks_per_second_wall": round(done / wall, 1) if wall else None,
        "run_seconds": None if inside is None else round(inside, 2),
        "tasks_per_second": round(done / inside, 1) if inside else None,
    }


def measure_indexing(env, database_url, log_dir, config):
    out = log_dir / "content.json"
    run_python(
        ["-m", "tests.perf.workerbench", "--content", str(out), str(config["content"])],
        env,
        log_dir / "setup.log",
        900,
    )
    written = json.loads(out.read_text())
    wall = drain(env, log_dir / "worker-indexing.log")
    figures = task_figures(database_url)
    tasks = sum(sum(entry["statuses"].values()) for entry in figures.values())
    inside = span(figures.values())
    left = scalar(database_url, "SELECT count(*) FROM search_outboxitem")
    entries = scalar(database_url, "SELECT count(*) FROM search_searchentry")
    items = written["outbox_items"]
    return {
        "written": written["written"],
        "write_seconds": written["seconds"],
        "outbox_items": items,
        "tasks_queued": written["tasks_queued"],
        "tasks": tasks,
        "failed": failed(figures),
        "outbox_left": left,
        "search_entries": entries,
        "wall_seconds": round(wall, 2),
        "run_seconds": None if inside is None else round(inside, 2),
        "items_per_second": round(items / inside, 1) if inside else None,
        "tasks_per_second": round(tasks / inside, 1) if inside else None,
        "tasks_per_second_wall": round(tasks / wall, 1) if wall else None,
    }


class WorkerAlongside:
    """Beside the people part: one worker, and no-op tasks queued steadily while people walk."""

    def __init__(self, env, database_url, log_dir, rate):
        self.env = env
        self.database_url = database_url
        self.log_dir = log_dir
        self.rate = rate
        self.worker = self.enqueuer = None
        self.walk_started = self.walk_ended = None
        self.worker_cpu = None
        self.go = log_dir / "enqueue.go"

    def _popen(self, args, log_name):
        with open(self.log_dir / log_name, "ab") as log:
            return subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl+C reaches the benchmark only; we stop them by pid
            )

    def start(self):
        # As production runs it (its default poll interval), without the periodic jobs.
        self.worker = self._popen(
            ["manage.py", "run_worker", "--no-schedules"], "worker-people.log"
        )
        deadline = time.monotonic() + 60
        while not scalar(self.database_url, "SELECT count(*) FROM meent_workerbeat"):
            if self.worker.poll() is not None:
                raise BenchError(
                    f"the worker exited with {self.worker.returncode}:\n"
                    f"{processes.tail(self.log_dir / 'worker-people.log')}"
                )
            if time.monotonic() > deadline:
                raise BenchError("the worker did not start beating within 60 s")
            time.sleep(0.2)
        # Ready before the people walk (a Django process takes seconds to start), queueing
        # only once they do.
        self.enqueuer = self._popen(
            ["-m", "tests.perf.workerbench", "--steady", str(self.rate), str(self.go)],
            "enqueuer.log",
        )

    def walking(self):
        self.walk_started = time.time()
        self.worker_cpu = process_cpu_seconds(self.worker.pid)
        self.go.touch()

    def finish(self):
        self.walk_ended = time.time()
        cpu_after = process_cpu_seconds(self.worker.pid)
        self.enqueuer.send_signal(signal.SIGTERM)
        try:
            self.enqueuer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.enqueuer.kill()
        # What was queued during the walk is run before the figures are read.
        backlog_at_end = self.waiting()
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while self.waiting() and time.monotonic() < deadline:
            time.sleep(0.5)
        figures = task_figures(self.database_url, self.walk_started, self.walk_ended)
        walk = self.walk_ended - self.walk_started
        kinds = {
            path: {
                "queued": sum(entry["statuses"].values()),
                "statuses": entry["statuses"],
                **latency_summary(entry["waits"]),
            }
            for path, entry in sorted(figures.items())
        }
        every = [wait for entry in figures.values() for wait in entry["waits"]]
        noop = figures.get(NOOP, {"waits": [], "statuses": {}})
        return {
            "rate": self.rate,
            "walk_seconds": round(walk, 1),
            "noop_queued": sum(noop["statuses"].values()),
            "noop_queued_per_second": round(sum(noop["statuses"].values()) / walk, 1),
            "noop_latency": latency_summary(noop["waits"]),
            "all_latency": latency_summary(every),
            "by_task": kinds,
            "backlog_at_end": backlog_at_end,
            "left_unstarted": self.waiting(),
            "failed": failed(figures),
            "worker_cpu_percent": (
                round(100 * (cpu_after - self.worker_cpu) / walk, 1)
                if cpu_after is not None and self.worker_cpu is not None and walk
                else None
            ),
        }

    def waiting(self):
        return scalar(self.database_url, WAITING_QUERY)

    def stop(self):
        processes.stop(self.enqueuer)
        processes.stop(self.worker)


def measure_latency(environ, tmp, config, say):
    from . import peoplebench

    people_environ = {**environ, "BENCH_PEOPLE_SECONDS": config["people_seconds"]}
    return peoplebench.run(
        tmp,
        say,
        people_environ,
        server_env={"TASK_BACKEND": "database"},
        alongside=lambda env, database_url, log_dir: WorkerAlongside(
            env, database_url, log_dir, config["rate"]
        ),
    )


# --- the run -----------------------------------------------------------------------------------


def run(tmp, say, environ=None):
    """Run the worker part: (results for the JSON file, exit status); status None when skipped."""
    environ = dict(os.environ if environ is None else environ)
    try:
        config = read_config(environ)
        redis_url, postgres_url = service_urls(environ)
        check_services(redis_url, postgres_url)
    except Skip as skip:
        say(f"bench: worker part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None

    pid = os.getpid()
    database = ThrowawayDatabase(postgres_url, f"meent_worker_{pid}")
    prefix = f"meent-worker-{pid}"
    log_dir = tmp / "worker"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = base_environment(environ, tmp, database.url, redis_url)
    env.update({"REDIS_PREFIX": prefix, "TASK_BACKEND": "database"})
    try:
        say(f"bench: worker: throw-away database {database.name} on {database.where}")
        database.create()
        seconds = run_python(["manage.py", "migrate", "--noinput"], env, log_dir / "setup.log", 900)
        say(f"bench: worker: migrate done ({seconds:.1f} s)")
        startup = drain(env, log_dir / "worker-empty.log")
        say(f"bench: worker: run_worker --batch on an empty queue: {startup:.2f} s")
        noop = measure_noop(env, database.url, log_dir, config)
        say(
            f"bench: worker: {noop['done']} no-op tasks: {fmt(noop['tasks_per_second'])} tasks/s "
            f"({noop['run_seconds']} s from the first start to the last finish; "
            f"{noop['wall_seconds']} s with the start-up)"
        )
        indexing = measure_indexing(env, database.url, log_dir, config)
        say(
            f"bench: worker: {indexing['outbox_items']} outbox items in {indexing['tasks']} "
            f"tasks: {fmt(indexing['items_per_second'])} items/s, "
            f"{fmt(indexing['tasks_per_second'])} tasks/s"
        )
    finally:
        cleaned = [redis_cleanup(redis_url, prefix), database.drop()]
        say(f"bench: worker: {', '.join(filter(None, cleaned)) or 'cleaned up'}")

    say("")
    say(
        f"bench: worker: queue latency under the people part's load "
        f"({config['people_seconds']} s, no-op tasks at {config['rate']:g}/s)"
    )
    people, people_status = measure_latency(environ, tmp, config, say)
    latency = people.get("alongside")

    results = {
        "settings": {
            "database": "PostgreSQL, throw-away database",
            "task_backend": "database (django-tasks-db), one worker: manage.py run_worker",
            "worker": " ".join(WORKER[1:]) + " (--batch for the throughput)",
            "latency_worker": "manage.py run_worker --no-schedules (poll interval 1 s, the default)",
            "tasks": config["tasks"],
            "content": config["content"],
            "rate": config["rate"],
            "people_seconds": float(config["people_seconds"]),
        },
        "startup_seconds": round(startup, 2),
        "noop": noop,
        "indexing": indexing,
        "latency": latency,
        "people": {
            key: people.get(key)
            for key in ("rps", "requests", "errors", "error_kinds", "exactly_once_holds", "skipped")
            if key in people
        },
    }
    say("")
    say(report(results))
    problems = []
    if noop["failed"] or indexing["failed"]:
        problems.append(f"{noop['failed'] + indexing['failed']} task(s) failed")
    if indexing["outbox_left"]:
        problems.append(f"{indexing['outbox_left']} outbox item(s) left")
    if latency and (latency["failed"] or latency["left_unstarted"]):
        problems.append("tasks failed or left under load")
    if people_status:
        problems.append("the people part failed")
    if problems:
        say(f"bench: worker FAILED: {'; '.join(problems)}")
        return results, 1
    return results, 0


def report(results):
    noop, indexing, latency = results["noop"], results["indexing"], results["latency"]
    lines = [
        f"Worker: one `run_worker`, PostgreSQL; start-up {results['startup_seconds']:.2f} s "
        "(run_worker --batch on an empty queue)",
    ]
    rows = [
        [
            "no-op",
            noop["done"],
            fmt(noop["tasks_per_second"]),
            "-",
            fmt(noop["tasks_per_second_wall"]),
            noop["failed"],
        ],
        [
            f"search indexing ({indexing['outbox_items']} outbox items)",
            indexing["tasks"],
            fmt(indexing["tasks_per_second"]),
            fmt(indexing["items_per_second"]),
            fmt(indexing["tasks_per_second_wall"]),
            indexing["failed"],
        ],
    ]
    lines.append(
        render_table(
            rows,
            ["tasks", "count", "tasks/s", "items/s", "tasks/s with start-up", "failed"],
            ["<", ">", ">", ">", ">", ">"],
        )
    )
    if not latency:
        people = results["people"]
        lines.append(
            f"Queue latency: not measured ({people.get('skipped') or 'the people part failed'})"
        )
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"Queue latency (queued -> started) while {results['people'].get('rps')} req/s of people "
        f"browse and comment ({latency['walk_seconds']} s; worker CPU "
        f"{fmt(latency['worker_cpu_percent'], 0)}%; backlog when the walk ended: "
        f"{latency['backlog_at_end']}):"
    )
    rows = [
        [path, kind["queued"], fmt(kind["p50_ms"]), fmt(kind["p99_ms"]), fmt(kind["max_ms"])]
        for path, kind in latency["by_task"].items()
    ]
    every = latency["all_latency"]
    rows.append(
        ["(all)", every["count"], fmt(every["p50_ms"]), fmt(every["p99_ms"]), fmt(every["max_ms"])]
    )
    lines.append(
        render_table(
            rows, ["task", "queued", "p50 ms", "p99 ms", "max ms"], ["<", ">", ">", ">", ">"]
        )
    )
    return "\n".join(lines)


def main():
    from .bench import main as bench_main

    return bench_main(only="worker")


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["--noop"]:
        enqueue_noop(sys.argv[2], int(sys.argv[3]))
    elif command == ["--content"]:
        write_content(sys.argv[2], int(sys.argv[3]))
    elif command == ["--steady"]:
        enqueue_steadily(float(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(main())
