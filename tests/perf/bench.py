"""`make bench`: requests/second, p50/p99 latency and SQL queries per page, under load.

One run:

1. a throw-away SQLite database in a temporary directory, migrated and loaded with the demo data;
2. the SQL queries of each page counted in this process (Django's test client), anonymous and
   signed in as a demo member;
3. the server started on a free port of 127.0.0.1 with that database, exactly as `make demo` runs it;
4. each page warmed up, then loaded for BENCH_SECONDS with 8 and with 32 keep-alive connections
   by our own asyncio client (tests/perf/loadgen.py);
5. a table, with each page's requests/second against the ceiling (`/bench/ceiling/`, a bare view
   rendering a minimal template through the same stack) at the same concurrency;
6. the chat part (tests/perf/chatbench.py): real WebSocket clients against the server on the Redis
   channel layer and PostgreSQL, Meent's consumer against a bare Channels consumer, for both
   Redis channel layers; skipped, saying why, when PostgreSQL or Redis on 127.0.0.1 is not there;
7. the search part (tests/perf/searchbench.py): the database search backend on a throw-away
   PostgreSQL database with 100,000 bulk-created documents: `search_index rebuild` documents/second,
   p50/p95/p99 of one- and two-word queries for a member of 20 groups and for an anonymous
   visitor, and the update latency of one save; skipped, saying why, when PostgreSQL on 127.0.0.1
   is not there;
8. the people part (tests/perf/peoplebench.py): BENCH_PEOPLE (50) people sign in through
   allauth's form and browse and comment for BENCH_PEOPLE_SECONDS (60) against the server on a
   throw-away PostgreSQL database and Redis: throughput, p50/p99 per kind (browse, post), errors
   (target 0) and whether every comment posted is stored exactly once; skipped, saying why, when
   PostgreSQL or Redis on 127.0.0.1 is not there;
9. the proxy part (tests/perf/proxybench.py): 1, 2 and 4 app processes behind nginx running the
   shipped site file, on PostgreSQL and Redis with the demo data: req/s (also per process and
   against 1 process), p50/p99 of the home page, /groups/ and a group's home as a member, against
   the bare-view ceiling served the same way; skipped, saying why, without nginx, PostgreSQL or
   Redis;
10. the worker part (tests/perf/workerbench.py): one task worker's no-op tasks/s and search
   indexing tasks/s (`run_worker --batch` draining what was queued) and the queue latency
   (queued -> started p50/p99) of tasks queued at a steady rate while the people part's load runs
   on TASK_BACKEND=database; skipped, saying why, without PostgreSQL or Redis;
11. the digest part (tests/perf/digestbench.py): one weekly run of the content digests for
   10,000 people in 200 groups on a throw-away PostgreSQL database: time and SQL queries per
   person, peak memory (tracemalloc), and a second run that must send nothing; skipped, saying
   why, without PostgreSQL;
12. the files part (tests/perf/filesbench.py): documents' text read for search as the file
   library reads it: PDF pages/s, documents/s of each kind, and what hostile documents cost;
12a. the filesserve part (tests/perf/filesservebench.py): a 50 MB upload and download through
   the real server with its memory measured (flat: streamed), and a folder of 5,000 files listed
   (requests/s and SQL queries, the same as for 10 files);
13. everything written to bench-results/<UTC timestamp>.json and bench-results/latest.json (the
   chat figures under "chat", the search figures under "search", the people figures under
   "people", the proxy's under "proxy", the worker's under "worker", the digest's under
   "digest", the files part's under "files", the filesserve part's under "filesserve").

The server is always stopped and the temporary directory removed, also on Ctrl+C. The command exits
non-zero when any measured request failed (a socket error or a status other than 200) or the chat
consumer lost a message, or the people part had an error or a comment not stored exactly once, or
a proxied request failed, or a task failed, or a content digest failed or went twice; a page
below the goal, or chat or search figures off target, are only marked. BENCH_ONLY=http, chat,
search, people, proxy, worker, digest, files or filesserve runs one part.

Environment: BENCH_SECONDS (5), BENCH_CONNECTIONS ("8,32"), BENCH_WARMUP_SECONDS (1),
BENCH_MAX_REQUESTS (per run, 1000000), BENCH_TIMEOUT (per request, 10 s), BENCH_SETTINGS_MODULE
(tests.perf.settings), BENCH_VERBOSE=1 to print each page's SQL, BENCH_ONLY (http, chat, search,
people, proxy, worker, digest, files, filesserve; all when unset). The chat part's own settings (BENCH_CHAT_*) are listed in
tests/perf/chatbench.py, the search part's (BENCH_SEARCH_*) in tests/perf/searchbench.py, the
people part's (BENCH_PEOPLE*) in tests/perf/peoplebench.py, the proxy part's (BENCH_PROXY_*) in
tests/perf/proxybench.py, the worker part's (BENCH_WORKER_*) in tests/perf/workerbench.py, the
digest part's (BENCH_DIGEST_*) in tests/perf/digestbench.py.
"""

import asyncio
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from importlib import metadata
from pathlib import Path

from .harness import (
    BenchError,
    Servers,
    env_number,
    environment,
    fmt,
    fmt_pct,
    load_average,
    manage,
    say,
)
from .loadgen import REQUEST_ERRORS, fetch, run_load
from .report import render_table

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench-results"
GOAL_RATIO = 0.25
CEILING = "ceiling"

# Demo people (see demo/content/people.yaml): whose profile is measured, and the
# member who signs in for the query counts. Both are ordinary members, not staff.
PROFILE_EMAIL = "anna.jansen@minbzk.nl"
MEMBER_EMAIL = "bram.devries@minbzk.nl"
# A public demo wiki page with a table, headings and [[links]] is measured; its group's owner
# saves another page 200 times (so the page measured keeps its size).
WIKI_GROUP = "open-source-overheid"
WIKI_PAGE = "publiceren-op-github-of-gitlab"
WIKI_SAVED_PAGE = "welkom/werkafspraken"
WIKI_EDITOR_EMAIL = "anna.jansen@minbzk.nl"
# A public demo post with comments and likes.
BLOG_POST = "waarom-wij-onze-code-openbaar-maken"


PARTS = ["http", "chat", "search", "people", "proxy", "worker", "digest", "files", "filesserve"]


def read_config(only=None):
    raw_connections = os.environ.get("BENCH_CONNECTIONS", "8,32")
    try:
        connections = [int(part) for part in raw_connections.split(",") if part.strip()]
    except ValueError as error:
        raise BenchError(f"BENCH_CONNECTIONS={raw_connections!r}: use e.g. 8,32") from error
    if not connections or any(not 1 <= count <= 1024 for count in connections):
        raise BenchError(f"BENCH_CONNECTIONS={raw_connections!r}: counts from 1 to 1024")
    only = only or os.environ.get("BENCH_ONLY", "").strip().lower()
    if only and only not in PARTS:
        raise BenchError(
            f"BENCH_ONLY={only!r}: use {', '.join(PARTS)} (or leave it unset for all of them)"
        )
    return {
        "parts": [only] if only else list(PARTS),
        "seconds": env_number(os.environ, "BENCH_SECONDS", 5.0),
        "warmup_seconds": env_number(os.environ, "BENCH_WARMUP_SECONDS", 1.0),
        "connections": connections,
        "max_requests": env_number(os.environ, "BENCH_MAX_REQUESTS", 1_000_000, int),
        "timeout": env_number(os.environ, "BENCH_TIMEOUT", 10.0),
        "settings_module": os.environ.get("BENCH_SETTINGS_MODULE", "tests.perf.settings"),
        "verbose": os.environ.get("BENCH_VERBOSE", "") not in ("", "0", "false"),
    }


def bench_environment(tmp, settings_module):
    """The environment of every process of the run: the temporary database and nothing else."""
    return environment(
        os.environ,
        tmp,
        f"sqlite:///{tmp / 'bench.sqlite3'}",
        settings_module=settings_module,
        MEENT_BENCHMARK_VIEWS="true",
    )


def demo_people(db_path):
    """User ids of the profile's person and of the member who signs in, from the SQLite file."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        ids = dict(
            db.execute(
                "SELECT email, id FROM accounts_user WHERE email IN (?, ?) AND is_active",
                (PROFILE_EMAIL, MEMBER_EMAIL),
            ).fetchall()
        )
    missing = {PROFILE_EMAIL, MEMBER_EMAIL} - ids.keys()
    if missing:
        raise BenchError(f"load_demo did not create {', '.join(sorted(missing))}")
    return ids


def page_hint(name, status):
    if name == CEILING and status == 404:
        return " (settings.MEENT_BENCHMARK_VIEWS must be true for /bench/ceiling/)"
    return ""


async def check_pages(port, pages):
    """Every page must answer 200 before it is measured."""
    for name, path in pages:
        try:
            status, _body = await fetch(port, path)
        except REQUEST_ERRORS as error:
            raise BenchError(f"GET {path} failed: {type(error).__name__}: {error}") from error
        if status != 200:
            raise BenchError(f"GET {path} answered {status}{page_hint(name, status)}")


async def measure(port, server_pid, pages, config):
    await check_pages(port, pages)
    for name, path in pages:
        warmup = await run_load(
            port,
            path,
            min(config["connections"]),
            config["warmup_seconds"],
            timeout=config["timeout"],
        )
        say(
            f"  warm-up  {name:<8} {warmup.ok:>6} requests in {warmup.seconds:.1f} s"
            + (f", {warmup.error_count} errors {dict(warmup.errors)}" if warmup.errors else "")
        )

    runs = []
    total = len(config["connections"]) * len(pages)
    for connections in config["connections"]:
        for name, path in pages:
            await asyncio.sleep(0.5)  # let the server settle between runs
            result = await run_load(
                port,
                path,
                connections,
                config["seconds"],
                max_requests=config["max_requests"],
                timeout=config["timeout"],
                server_pid=server_pid,
            )
            summary = {"page": name, **result.summary(), "load_average_1m": load_average()}
            runs.append(summary)
            say(
                f"  [{len(runs)}/{total}] {name:<8} c={connections:<3} "
                f"{summary['requests']:>6} req in {summary['seconds']:.1f} s  "
                f"{summary['rps']:>7.1f} req/s  p50 {fmt(summary['p50_ms'])} ms  "
                f"p99 {fmt(summary['p99_ms'])} ms  errors {summary['errors']}  "
                f"(cpu: server {fmt_pct(summary['server_cpu_percent'])}, "
                f"client {fmt_pct(summary['client_cpu_percent'])})"
            )
            if summary["errors"]:
                say(f"      errors: {summary['error_kinds']}")
    return runs


def warn_if_busy():
    """Other work on the machine competes with the server for the CPU: say so before measuring."""
    load = load_average()
    cores = machine_info()["nproc"] or os.cpu_count() or 1
    if load is not None and load > cores / 2:
        say(
            f"bench: NOTE the machine is busy (load average {load:.1f} on {cores} cores): "
            "the figures will be lower and noisier than on an idle machine"
        )
    return load


def add_ratios(runs):
    ceilings = {run["connections"]: run["rps"] for run in runs if run["page"] == CEILING}
    for run in runs:
        ceiling = ceilings.get(run["connections"])
        run["ratio_to_ceiling"] = round(run["rps"] / ceiling, 3) if ceiling else None
        run["below_goal"] = run["ratio_to_ceiling"] is not None and (
            run["ratio_to_ceiling"] < GOAL_RATIO
        )


def results_table(runs, page_order):
    rows = []
    for run in sorted(runs, key=lambda r: (page_order.index(r["page"]), r["connections"])):
        ratio = run["ratio_to_ceiling"]
        rows.append(
            [
                run["page"],
                run["path"],
                run["connections"],
                f"{run['rps']:.1f}",
                fmt(run["p50_ms"]),
                fmt(run["p99_ms"]),
                run["errors"],
                "-" if ratio is None else f"{ratio:.2f}",
                f"BELOW GOAL (< {GOAL_RATIO})" if run["below_goal"] else "",
            ]
        )
    headers = ["page", "path", "conns", "req/s", "p50 ms", "p99 ms", "errors", "vs ceiling", ""]
    return render_table(rows, headers, ["<", "<", ">", ">", ">", ">", ">", ">", "<"])


def queries_table(queries):
    rows = [
        [name, by_user["anonymous"]["queries"], by_user["signed_in"]["queries"]]
        for name, by_user in queries.items()
    ]
    return render_table(rows, ["page", "anonymous", "signed in"], ["<", ">", ">"])


def machine_info():
    info = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    return info


def versions():
    found = {}
    for package in (
        "django",
        "wagtail",
        "uvicorn",
        "channels",
        "channels-redis",
        "redis",
        "websockets",
        "uvloop",
        "httptools",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def git_info():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=10
        ).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "-s"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def write_results(results):
    RESULTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    path = RESULTS_DIR / f"{results['timestamp']}.json"
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


def run_http(config, tmp):
    """The pages part: (its results for the JSON file, exit status)."""
    env = bench_environment(tmp, config["settings_module"])
    setup_log = tmp / "setup.log"

    say(f"bench: temporary database in {tmp}")
    seconds = manage(["migrate", "--noinput"], env, setup_log)
    say(f"bench: migrate done ({seconds:.1f} s)")
    seconds = manage(["load_demo", "--quiet-accounts"], env, setup_log)
    say(f"bench: load_demo done ({seconds:.1f} s)")

    people = demo_people(tmp / "bench.sqlite3")
    pages = [
        (CEILING, "/bench/ceiling/"),
        ("home", "/"),
        ("profile", f"/people/{people[PROFILE_EMAIL]}/"),
        ("groups", "/groups/"),
        ("group home", "/groups/open-source-overheid/"),
        ("wiki page", f"/groups/{WIKI_GROUP}/wiki/{WIKI_PAGE}/"),
        ("blog", "/blog/"),
        ("blog post", f"/blog/{BLOG_POST}/"),
    ]

    # In this process, with the same settings and database as the server.
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from .queries import PageError, count_queries
    from .toolboxbench import seed as seed_toolbox

    say("bench: toolbox: an article of 40 blocks and 200 articles in the index")
    pages += list(seed_toolbox().items())
    from .eventsbench import EVENTS, REPEATING
    from .eventsbench import seed as seed_events

    say(f"bench: events: {EVENTS} events, every {REPEATING}th a weekly series, in the agenda")
    pages += list(seed_events().items())
    page_order = [name for name, _ in pages]

    say(f"bench: counting SQL queries per page (signed in as {MEMBER_EMAIL})")
    try:
        queries = count_queries(pages, MEMBER_EMAIL)
    except PageError as error:
        raise BenchError(f"{error}{page_hint(error.name, error.status)}") from error
    for line in queries_table(queries).splitlines():
        say(f"  {line}")
    from .wikibench import measure_saves

    say(f"bench: wiki save path ({WIKI_EDITOR_EMAIL} saves {WIKI_GROUP}/{WIKI_SAVED_PAGE})")
    wiki_saves = measure_saves(WIKI_GROUP, WIKI_SAVED_PAGE, WIKI_EDITOR_EMAIL)
    say(
        f"  {wiki_saves['saves']} saves: {wiki_saves['saves_per_second']} saves/s, "
        f"p50 {wiki_saves['p50_ms']} ms, p99 {wiki_saves['p99_ms']} ms, "
        f"{wiki_saves['queries_per_save']} queries per save"
    )
    if config["verbose"]:
        for name, by_user in queries.items():
            for who, counted in by_user.items():
                say(f"  -- {name} ({who}):")
                for sql in counted["sql"]:
                    say(f"     {sql}")

    server = Servers("config.asgi:application", env, 1, tmp, "pages")
    port = server.ports[0]
    say(f"bench: starting the server on 127.0.0.1:{port}")
    try:
        (health,) = server.wait_until_healthy()
        say(f"bench: /healthz answered {health.get('status')}; warming up")
        say(
            f"bench: {config['seconds']:g} s per run, connections "
            f"{', '.join(map(str, config['connections']))}"
        )
        runs = asyncio.run(measure(port, server.pids[0], pages, config))
        server.check_alive()
    finally:
        server.stop()
        say("bench: the server stopped")

    add_ratios(runs)
    errors = sum(run["errors"] for run in runs)
    results = {
        "settings": {
            "settings_module": config["settings_module"],
            "DEBUG": False,
            "database": "SQLite, temporary file, demo data (load_demo)",
            "redis": False,
            "elasticsearch": False,
            "server": "uvicorn (config/serve.py), one process, 127.0.0.1",
            "client": "tests/perf/loadgen.py, asyncio HTTP/1.1 keep-alive, same machine",
            "seconds": config["seconds"],
            "warmup_seconds": config["warmup_seconds"],
            "connections": config["connections"],
            "max_requests_per_run": config["max_requests"],
            "request_timeout": config["timeout"],
            "goal_ratio_to_ceiling": GOAL_RATIO,
            "signed_in_member": MEMBER_EMAIL,
            "profile_of": PROFILE_EMAIL,
            "latency_of": "successful (200) responses; req/s counts them too",
        },
        "pages": runs,
        "queries": queries,
        "wiki_saves": wiki_saves,
        "errors": errors,
        "below_goal": [
            {"page": run["page"], "connections": run["connections"]}
            for run in runs
            if run["below_goal"]
        ],
    }

    say("")
    say(results_table(runs, page_order))
    say("")
    say("SQL queries per request (warm):")
    say(queries_table(queries))
    if errors:
        say(f"bench: FAILED, {errors} request(s) errored")
        return results, 1
    return results, 0


def run_chat(tmp, environ):
    """The chat part: (its results for the JSON file, exit status; None when it was skipped)."""
    try:
        from . import chatbench
    except ImportError as error:  # websockets is a development dependency
        say(f"bench: chat part SKIPPED: {error.name} is not installed (pip install -e .[dev])")
        return {"skipped": f"{error.name} is not installed"}, None
    say("")
    say("bench: chat part")
    try:
        return chatbench.run(tmp, say, environ)
    except BenchError as error:
        say(f"bench: chat ERROR: {error}")
        return {"error": str(error)}, 2
    except Exception as error:  # a bug in the chat part must not lose the pages' figures
        traceback.print_exc()
        say(f"bench: chat ERROR (unexpected): {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}, 2


def run_search(tmp, environ):
    """The search part: (its results for the JSON file, exit status; None when it was skipped)."""
    from . import searchbench

    say("")
    say("bench: search part")
    try:
        return searchbench.run(tmp, say, environ)
    except BenchError as error:
        say(f"bench: search ERROR: {error}")
        return {"error": str(error)}, 2
    except Exception as error:  # a bug in the search part must not lose the other figures
        traceback.print_exc()
        say(f"bench: search ERROR (unexpected): {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}, 2


def run_people(tmp, environ):
    """The people part: (its results for the JSON file, exit status; None when it was skipped)."""
    try:
        from . import peoplebench
    except ImportError as error:  # websockets (through chatbench) is a development dependency
        say(f"bench: people part SKIPPED: {error.name} is not installed (pip install -e .[dev])")
        return {"skipped": f"{error.name} is not installed"}, None
    say("")
    say("bench: people part")
    try:
        return peoplebench.run(tmp, say, environ)
    except BenchError as error:
        say(f"bench: people ERROR: {error}")
        return {"error": str(error)}, 2
    except Exception as error:  # a bug in the people part must not lose the other figures
        traceback.print_exc()
        say(f"bench: people ERROR (unexpected): {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}, 2


def run_part(name, tmp, environ):
    """The proxy, worker or digest part (tests/perf/<name>bench.py): (its results for the JSON file, exit
    status; None when it was skipped)."""
    import importlib

    say("")
    say(f"bench: {name} part")
    try:
        module = importlib.import_module(f".{name}bench", __package__)
        return module.run(tmp, say, environ)
    except ImportError as error:  # websockets, psycopg: development dependencies
        say(f"bench: {name} part SKIPPED: {error.name} is not installed (pip install -e .[dev])")
        return {"skipped": f"{error.name} is not installed"}, None
    except BenchError as error:
        say(f"bench: {name} ERROR: {error}")
        return {"error": str(error)}, 2
    except Exception as error:  # a bug in one part must not lose the other figures
        traceback.print_exc()
        say(f"bench: {name} ERROR (unexpected): {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}, 2


# What a part's results hold when it measured something.
MEASURED = {
    "proxy": "runs",
    "worker": "noop",
    "digest": "runs",
    "files": "documents",
    "filesserve": "list",
}


def run(config, tmp):
    started_at = datetime.datetime.now(datetime.UTC)
    git = git_info()  # before the run: another hand may commit while it measures
    environ = dict(os.environ)  # as it was: the pages part changes os.environ for Django
    load_before = warn_if_busy()
    results = {
        "timestamp": started_at.strftime("%Y%m%dT%H%M%SZ"),
        "started_at": started_at.isoformat(),
        "machine": {**machine_info(), "load_average_1m_before": load_before},
        "versions": versions(),
        "git": git,
        "parts": config["parts"],
    }
    statuses = []
    if "http" in config["parts"]:
        http_results, status = run_http(config, tmp)
        results.update(http_results)
        statuses.append(status)
    if "chat" in config["parts"]:
        results["chat"], status = run_chat(tmp, environ)
        if config["parts"] == ["chat"] and "runs" not in results["chat"]:
            say("bench: nothing measured, no results written")
            return status or 2  # asked for the chat part alone, and it could not run
        statuses.append(status or 0)
    if "search" in config["parts"]:
        results["search"], status = run_search(tmp, environ)
        if config["parts"] == ["search"] and "latency" not in results["search"]:
            say("bench: nothing measured, no results written")
            return status or 2  # asked for the search part alone, and it could not run
        statuses.append(status or 0)
    if "people" in config["parts"]:
        results["people"], status = run_people(tmp, environ)
        if config["parts"] == ["people"] and "requests" not in results["people"]:
            say("bench: nothing measured, no results written")
            return status or 2  # asked for the people part alone, and it could not run
        statuses.append(status or 0)
    for name, measured in MEASURED.items():
        if name in config["parts"]:
            results[name], status = run_part(name, tmp, environ)
            if config["parts"] == [name] and measured not in results[name]:
                say("bench: nothing measured, no results written")
                return status or 2  # asked for this part alone, and it could not run
            statuses.append(status or 0)
    path = write_results(results)
    say("")
    say(f"bench: results in {path.relative_to(ROOT)} and bench-results/latest.json")
    return max(statuses, default=0)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(only=None):
    """`make bench`; ``only`` names one part (as BENCH_ONLY does)."""
    signal.signal(signal.SIGTERM, _terminate)
    tmp = None
    try:
        config = read_config(only)
        tmp = Path(tempfile.mkdtemp(prefix="meent-bench-"))
        return run(config, tmp)
    except BenchError as error:
        say(f"bench: ERROR: {error}")
        return 2
    except KeyboardInterrupt:
        say("\nbench: interrupted")
        return 130
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
