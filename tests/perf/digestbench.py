"""The content digest part of `make bench`: one weekly run of the content digests for many people.

One run (from tests/perf/bench.py with BENCH_ONLY=digest, or all parts):

1. PostgreSQL on 127.0.0.1 must answer; otherwise the part says why and is skipped;
2. a throw-away database ``meent_digestbench_<pid>``, migrated;
3. in a worker process (``python -m tests.perf.digestbench --worker OUT.json``): BENCH_DIGEST_GROUPS
   (200) groups made through the services (each with its owner), BENCH_DIGEST_PEOPLE (10,000)
   people bulk-created, each a member of BENCH_DIGEST_GROUPS_EACH (3) groups, and in every group
   BENCH_DIGEST_POSTS (3) posts published by its owner through the services, each with a
   comment: the activity lines are recorded as in production;
4. ``activity.digest.send_digests("weekly")``, the function the command and the task call, for
   everyone who gets the weekly digest (the default; all but BENCH_DIGEST_MEMORY_PEOPLE),
   e-mails to Django's dummy backend (built, rendered, not delivered): wall time, time and SQL
   queries per person, and the process's largest resident size; then the same run again, which
   must send nothing (once per period);
5. the daily digests of the BENCH_DIGEST_MEMORY_PEOPLE (1,000) people who chose daily, under
   tracemalloc: the peak of Python's memory while they are sent (people are streamed: it must
   not grow with their number; tracing every allocation slows that run, so its time is not the
   one to quote).

The database is always dropped, also on Ctrl+C. The part fails (exit 1) when a digest failed,
one person got none, or the second run sent anything. How long: on the shared 2-core machine at
a load of 4 to 10, the default size took 16 minutes (migrate 2.5, the data 4, the weekly run 7 at
45 ms a person); a smaller BENCH_DIGEST_PEOPLE is quicker, in proportion.

Environment: BENCH_DIGEST_PEOPLE (10000), BENCH_DIGEST_GROUPS (200), BENCH_DIGEST_GROUPS_EACH (3),
BENCH_DIGEST_POSTS (3), BENCH_DIGEST_MEMORY_PEOPLE (1000),
BENCH_DIGEST_POSTGRES_URL (the server of DATABASE_URL when that is
PostgreSQL, else postgres://postgres@127.0.0.1:5432/postgres).
"""

import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from .harness import (
    BenchError,
    Skip,
    ThrowawayDatabase,
    check_postgres,
    env_number,
    environment,
    fmt,
    load_average,
    local_postgres_url,
    manage,
    run_python,
)
from .report import render_table


def read_config(environ):
    return {
        "people": env_number(environ, "BENCH_DIGEST_PEOPLE", 10_000, int, low=10, high=1_000_000),
        "groups": env_number(environ, "BENCH_DIGEST_GROUPS", 200, int, low=1, high=10_000),
        "groups_each": env_number(environ, "BENCH_DIGEST_GROUPS_EACH", 3, int, low=1, high=50),
        "posts": env_number(environ, "BENCH_DIGEST_POSTS", 3, int, low=1, high=100),
        "memory_people": env_number(
            environ, "BENCH_DIGEST_MEMORY_PEOPLE", 1_000, int, low=1, high=1_000_000
        ),
    }


def run(tmp, say, environ=None):
    """Run the digest part: (results for the JSON file, exit status); status None when skipped."""
    environ = dict(os.environ if environ is None else environ)
    try:
        url = local_postgres_url(environ, "BENCH_DIGEST_POSTGRES_URL")
        check_postgres(url)
    except Skip as skip:
        say(f"bench: digest part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None
    config = read_config(environ)
    if config["groups_each"] > config["groups"]:
        raise BenchError("BENCH_DIGEST_GROUPS_EACH must not be more than BENCH_DIGEST_GROUPS")
    if config["memory_people"] >= config["people"]:
        raise BenchError("BENCH_DIGEST_MEMORY_PEOPLE must be fewer than BENCH_DIGEST_PEOPLE")
    database = ThrowawayDatabase(url, f"meent_digestbench_{os.getpid()}")
    log_dir = tmp / "digest"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = environment(environ, tmp, database.url, LOG_LEVEL="WARNING")
    load_before = load_average()
    try:
        say(f"bench: digest: throw-away database {database.name} on {database.where}")
        database.create()
        seconds = manage(["migrate", "--noinput"], env, log_dir / "setup.log", 900)
        say(f"bench: digest: migrate done ({seconds:.1f} s)")
        say(
            f"bench: digest: {config['people']} people in {config['groups']} groups "
            f"({config['groups_each']} each), {config['posts']} posts with a comment per group"
        )
        out = log_dir / "digest.json"
        worker_env = {
            **env,
            **{f"BENCH_DIGEST_{key.upper()}": str(value) for key, value in config.items()},
        }
        seconds = run_python(
            ["-m", "tests.perf.digestbench", "--worker", str(out)],
            worker_env,
            log_dir / "worker.log",
            3600,
        )
        measured = json.loads(out.read_text())
        say(f"bench: digest: worker done ({seconds:.1f} s)")
    finally:
        dropped = database.drop()
        if dropped:
            say(f"bench: digest: {dropped}")

    results = {"settings": config, "load_average_1m_before": load_before, **measured}
    problems = problems_in(results)
    results["problems"] = problems
    say("")
    for line in report_lines(results):
        say(line)
    for problem in problems:
        say(f"bench: digest FAILED: {problem}")
    return results, 1 if problems else 0


def problems_in(results):
    first, second = results["runs"][:2]
    problems = []
    if first["failed"]:
        problems.append(f"{first['failed']} digests failed")
    weekly = results["data"]["people"] - results["settings"]["memory_people"]
    if first["sent"] != weekly:
        problems.append(f"{first['sent']} weekly digests for {weekly} people")
    if second["sent"]:
        problems.append(f"the second run sent {second['sent']} digests again")
    daily = results["runs"][2]
    if daily["failed"] or daily["sent"] != results["settings"]["memory_people"]:
        problems.append(f"daily: {daily['sent']} sent, {daily['failed']} failed")
    return problems


def report_lines(results):
    data = results["data"]
    rows = [
        [
            run["name"],
            run["people"],
            run["sent"],
            run["items"],
            fmt(run["seconds"], 1),
            fmt(run["ms_per_person"], 2),
            fmt(run["queries_per_person"], 2),
            fmt(run["peak_mb"], 1),
            fmt(run["max_rss_mb"], 0),
        ]
        for run in results["runs"]
    ]
    return [
        f"Content digest (PostgreSQL): {data['people']} people, {data['groups']} groups, "
        f"{data['memberships']} memberships, {data['lines']} activity lines "
        f"(made in {data['seconds']:.1f} s)",
        "",
        render_table(
            rows,
            [
                "run",
                "people",
                "sent",
                "items",
                "s",
                "ms/person",
                "queries/person",
                "tracemalloc peak MB",
                "max RSS MB",
            ],
            ["<", ">", ">", ">", ">", ">", ">", ">", ">"],
        ),
    ]


# --- in the benchmark's database (a subprocess) ---------------------------------------------------


def make_data(config, log):
    """Groups and posts through the services (their lines as in production), people and their
    memberships in bulk."""
    from django.contrib.auth import get_user_model

    from activity.models import DigestSetting, Entry
    from blog import services as blog_services
    from blog.services import PostInput, Publish
    from groups import services as group_services
    from groups.models import Group, Membership

    User = get_user_model()
    started = time.perf_counter()
    owners = User.objects.bulk_create(
        User(email=f"owner{n}@bench.example", first_name="Eigenaar", last_name=str(n))
        for n in range(config["groups"])
    )
    groups = []
    for n, owner in enumerate(owners):
        groups.append(
            group_services.create_group(owner, Group(name=f"Groep {n}", slug=f"groep-{n}"))
        )
    log(f"{len(groups)} groups")
    for group, owner in zip(groups, owners, strict=True):
        for number in range(config["posts"]):
            post = blog_services.save_post(
                owner,
                PostInput(
                    title=f"{group.name}: bericht {number}",
                    body="<p>Wat we deze week deden.</p>",
                    publish=Publish.NOW,
                ),
                group=group,
            )
            blog_services.add_comment(owner, post, "<p>Aanvulling</p>")
    log("posts and comments")
    people = User.objects.bulk_create(
        (
            User(email=f"person{n}@bench.example", first_name="Persoon", last_name=str(n))
            for n in range(config["people"])
        ),
        batch_size=1000,
    )
    memberships = [
        Membership(group=groups[(n * 7 + k) % len(groups)], user=person)
        for n, person in enumerate(people)
        for k in range(config["groups_each"])
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000, ignore_conflicts=True)
    # The last ones chose a daily digest: the run measured under tracemalloc.
    DigestSetting.objects.bulk_create(
        DigestSetting(user=person, frequency=DigestSetting.Frequency.DAILY)
        for person in people[-config["memory_people"] :]
    )
    log(f"{len(people)} people")
    return {
        "people": len(people),
        "owners": len(owners),
        "groups": len(groups),
        "memberships": Membership.objects.count(),
        "lines": Entry.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def measured_run(name, now, frequency="weekly", *, memory=False):
    """One run: time and queries; with ``memory``, under tracemalloc (its peak; tracing every
    allocation slows the run, so its time is not the one to quote)."""
    from django.db import connection

    from activity import digest

    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counting):
        result = digest.send_digests(frequency, now=now)
    seconds = time.perf_counter() - started
    peak = None
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    people = max(result.people, 1)
    return {
        "name": name,
        "people": result.people,
        "sent": result.sent,
        "items": result.items,
        "failed": result.failed,
        "seconds": seconds,
        "ms_per_person": seconds * 1000 / people,
        "queries": count[0],
        "queries_per_person": count[0] / people,
        "peak_mb": peak / 1e6 if peak is not None else None,
        # The process's largest resident size so far (Linux: kilobytes).
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker(out_path):
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    config = read_config(os.environ)

    def log(message):
        print(f"digestbench: {message}", flush=True)

    # Built and rendered as for real, delivered nowhere.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    data = make_data(config, log)
    # What autovacuum does soon after a bulk load: the planner's statistics (without them a
    # fresh database plans the access subqueries as if every table were empty).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Every person gets one (their groups have news); the owners none (only their own news).
    now = timezone.now() + timedelta(seconds=1)
    log("first run")
    first = measured_run("weekly digests", now)
    log("second run")
    second = measured_run("the same week again", now)
    log("daily run (tracemalloc)")
    daily = measured_run("daily digests, tracemalloc", now, "daily", memory=True)
    runs = [first, second, daily]
    with open(out_path, "w") as out:
        json.dump({"data": data, "runs": runs, "explain": explain(now)}, out, default=str)


def explain(now):
    """EXPLAIN (ANALYZE, BUFFERS) of one person's digest query (in the JSON, not printed)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection

    from activity import services

    person = get_user_model().objects.filter(email__startswith="person").order_by("pk").first()
    entries = services.news_entries(person, since=now - timedelta(days=7), digest=True)[:51]
    sql, params = entries.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def main():
    """``python -m tests.perf.digestbench`` runs the part alone (BENCH_ONLY=digest does too)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="meent-digestbench-") as tmp:
        try:
            _results, status = run(Path(tmp), lambda message: print(message, flush=True))
        except BenchError as error:
            print(f"bench: digest ERROR: {error}", flush=True)
            return 2
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
