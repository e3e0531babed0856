"""The proxy part of `make bench`: page throughput with 1, 2 and 4 app processes behind nginx.

One run (from tests/perf/bench.py with BENCH_ONLY=proxy, or all parts):

1. PostgreSQL and Redis on 127.0.0.1 must answer and nginx must be installed; otherwise the part
   says why and is skipped (the services' URLs as in the chat and people parts);
2. a throw-away PostgreSQL database ``meent_proxy_<pid>``, migrated and loaded with the demo data
   (``load_demo``, as the pages part), and a session of the demo member (``--session``, below);
3. for each count N of BENCH_PROXY_PROCESSES (1, 2, 4): N app processes (``config.asgi``, started
   as `make demo` and production start them: tests/processes.server_command) on PostgreSQL and
   Redis (cache and channel layer, under a key prefix of the run's own), behind Debian's nginx
   running the shipped site file with one upstream line per process (tests/nginx.py);
4. through nginx, each page warmed up, then loaded for BENCH_SECONDS over BENCH_PROXY_CONNECTIONS
   (32) keep-alive connections by the load generator of the pages part (tests/perf/loadgen.py):
   the bare-view ceiling (``/bench/ceiling/``, a minimal template through the same stack), the
   home page and /groups/ anonymously, and a group's home as a member; with N=1 also the ceiling
   straight at the app process, to show what nginx costs;
5. a table per N and page: req/s, req/s per process, growth against N=1, the ratio to the
   ceiling at the same N, p50/p99, errors, the CPU of the app processes, nginx and the client, and
   how evenly nginx spread the requests (from its access log).

The machine's cores bound the growth: N processes cannot use more than its cores (the report says
how many there are), and nginx and the client share them. The app processes, nginx, the database
and the Redis keys under the run's prefix are always removed, also on Ctrl+C. The part fails
(exit 1) when a measured request failed.

Environment: BENCH_PROXY_PROCESSES ("1,2,4"), BENCH_PROXY_CONNECTIONS (32), BENCH_SECONDS (5),
BENCH_WARMUP_SECONDS (1), BENCH_TIMEOUT (10 s); the services' URLs as in the chat part
(BENCH_CHAT_REDIS_URL, BENCH_CHAT_POSTGRES_URL).
"""

import asyncio
import json
import os
import shutil
import sys

from tests.nginx import Nginx, NginxError

from .chatbench import base_environment, check_services, service_urls
from .harness import (
    BenchError,
    Servers,
    Skip,
    ThrowawayDatabase,
    env_number,
    fmt,
    fmt_pct,
    load_average,
    redis_cleanup,
    run_python,
)
from .loadgen import REQUEST_ERRORS, Connection, build_request, process_cpu_seconds, run_load
from .report import render_table

MEMBER_EMAIL = "bram.devries@minbzk.nl"  # a demo member of the group below (as the pages part)
GROUP_PATH = "/groups/open-source-overheid/"
CEILING = "ceiling"
PAGES = [
    # (name, path, signed in)
    (CEILING, "/bench/ceiling/", False),
    ("home", "/", False),
    ("groups", "/groups/", False),
    ("group home (member)", GROUP_PATH, True),
    # The start page of a signed-in person (activity/): what is new, unread counts.
    ("start page (member)", "/", True),
]
DIRECT_CEILING = "ceiling, no nginx"


def read_config(environ):
    raw = environ.get("BENCH_PROXY_PROCESSES", "1,2,4")
    try:
        counts = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as error:
        raise BenchError(f"BENCH_PROXY_PROCESSES={raw!r}: use e.g. 1,2,4") from error
    if not counts or any(not 1 <= count <= 16 for count in counts):
        raise BenchError(f"BENCH_PROXY_PROCESSES={raw!r}: counts from 1 to 16")
    return {
        "processes": counts,
        "connections": env_number(environ, "BENCH_PROXY_CONNECTIONS", 32, int, high=512),
        "seconds": env_number(environ, "BENCH_SECONDS", 5.0),
        "warmup_seconds": env_number(environ, "BENCH_WARMUP_SECONDS", 1.0),
        "timeout": env_number(environ, "BENCH_TIMEOUT", 10.0),
    }


# --- the member's session (a subprocess: python -m tests.perf.proxybench --session ...) -------


def make_session(out_path, email):
    """A signed-in session of ``email`` in the benchmark's database: its cookie, as JSON."""
    import django

    django.setup()

    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email, is_active=True))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    with open(out_path, "w") as out:
        json.dump({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value}, out)


# --- measuring -----------------------------------------------------------------------------------


async def check_page(port, path, headers, timeout):
    """The page must answer 200 through nginx before it is measured."""
    try:
        connection = await Connection.open(port, timeout)
        try:
            response = await connection.request(build_request(path, port, headers))
        finally:
            connection.close()
    except REQUEST_ERRORS as error:
        raise BenchError(f"GET {path} failed: {type(error).__name__}: {error}") from error
    if response.status != 200:
        hint = " (the member's session did not hold)" if headers else ""
        raise BenchError(f"GET {path} through nginx answered {response.status}{hint}")


def cpu_seconds(pids):
    """CPU seconds the processes used so far, together; None when one cannot be read."""
    values = [process_cpu_seconds(pid) for pid in pids]
    return None if any(value is None for value in values) else sum(values)


def cpu_percent(before, after, seconds):
    if before is None or after is None or not seconds:
        return None
    return round(100 * (after - before) / seconds, 1)


async def measure_page(port, path, headers, config, app_pids, nginx_pid):
    """One page under load: the loadgen summary, with the CPU of the app processes and nginx."""
    await asyncio.sleep(0.5)  # let the processes settle between runs
    app_before, nginx_before = cpu_seconds(app_pids), cpu_seconds([nginx_pid] if nginx_pid else [])
    result = await run_load(
        port,
        path,
        config["connections"],
        config["seconds"],
        timeout=config["timeout"],
        headers=headers,
    )
    summary = result.summary()
    summary["server_cpu_percent"] = cpu_percent(app_before, cpu_seconds(app_pids), result.seconds)
    summary["nginx_cpu_percent"] = (
        cpu_percent(nginx_before, cpu_seconds([nginx_pid]), result.seconds) if nginx_pid else None
    )
    summary["load_average_1m"] = load_average()
    return summary


def nginx_workers(master_pid):
    """nginx's worker processes (children of the master), which do the proxying."""
    found = []
    try:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master_pid:
                    found.append(int(entry))
    except OSError:
        return []
    return found


async def measure_count(count, nginx, servers, cookie, config, say):
    pages = [
        (name, path, {"Cookie": cookie} if signed_in else None) for name, path, signed_in in PAGES
    ]
    for _name, path, headers in pages:
        await check_page(nginx.port, path, headers, config["timeout"])
    for name, path, headers in pages:
        warmup = await run_load(
            nginx.port,
            path,
            4,
            config["warmup_seconds"],
            timeout=config["timeout"],
            headers=headers,
        )
        if warmup.errors:
            say(f"  warm-up {name}: {warmup.error_count} errors {dict(warmup.errors)}")
    workers = nginx_workers(nginx.process.pid)
    nginx_pid = workers[0] if len(workers) == 1 else None
    runs = []
    for name, path, headers in pages:
        spread_before = nginx.upstream_counts()
        summary = await measure_page(nginx.port, path, headers, config, servers.pids, nginx_pid)
        spread = nginx.upstream_counts() - spread_before
        runs.append(
            {"processes": count, "page": name, "via": "nginx", **summary, "spread": dict(spread)}
        )
        report_run(runs[-1], say)
    if count == 1:
        summary = await measure_page(
            servers.ports[0], "/bench/ceiling/", None, config, servers.pids, None
        )
        runs.append(
            {"processes": 1, "page": DIRECT_CEILING, "via": "direct", **summary, "spread": {}}
        )
        report_run(runs[-1], say)
    return runs


def report_run(run, say):
    say(
        f"  N={run['processes']} {run['page']:<20} {run['requests']:>6} req in "
        f"{run['seconds']:.1f} s  {run['rps']:>7.1f} req/s  p50 {fmt(run['p50_ms'])} ms  "
        f"p99 {fmt(run['p99_ms'])} ms  errors {run['errors']}  (cpu: app "
        f"{fmt_pct(run['server_cpu_percent'])}, nginx {fmt_pct(run['nginx_cpu_percent'])}, "
        f"client {fmt_pct(run['client_cpu_percent'])})"
    )
    if run["errors"]:
        say(f"      errors: {run['error_kinds']}")


def add_growth(runs):
    """Per run: req/s per process, growth against the same page with the fewest processes, and
    the ratio to the ceiling served the same way with the same processes."""
    fewest = min(run["processes"] for run in runs)
    base = {run["page"]: run["rps"] for run in runs if run["processes"] == fewest}
    ceilings = {run["processes"]: run["rps"] for run in runs if run["page"] == CEILING}
    for run in runs:
        run["rps_per_process"] = round(run["rps"] / run["processes"], 1)
        first = base.get(run["page"])
        run["growth"] = round(run["rps"] / first, 2) if first and run["via"] == "nginx" else None
        ceiling = ceilings.get(run["processes"])
        run["ratio_to_ceiling"] = (
            round(run["rps"] / ceiling, 3) if ceiling and run["via"] == "nginx" else None
        )
        total = sum(run["spread"].values())
        run["busiest_process_share"] = (
            round(max(run["spread"].values()) / total, 3) if total else None
        )


def results_table(runs):
    order = [name for name, _path, _signed_in in PAGES] + [DIRECT_CEILING]
    rows = []
    for run in sorted(runs, key=lambda r: (order.index(r["page"]), r["processes"])):
        share = run["busiest_process_share"]
        rows.append(
            [
                run["page"],
                run["processes"],
                f"{run['rps']:.1f}",
                f"{run['rps_per_process']:.1f}",
                "-" if run["growth"] is None else f"{run['growth']:.2f}x",
                "-" if run["ratio_to_ceiling"] is None else f"{run['ratio_to_ceiling']:.2f}",
                fmt(run["p50_ms"]),
                fmt(run["p99_ms"]),
                run["errors"],
                fmt_pct(run["server_cpu_percent"]),
                fmt_pct(run["nginx_cpu_percent"]),
                fmt_pct(run["client_cpu_percent"]),
                "-" if share is None else f"{100 * share:.0f}%",
            ]
        )
    headers = [
        "page",
        "N",
        "req/s",
        "per process",
        "vs N=1",
        "vs ceiling",
        "p50 ms",
        "p99 ms",
        "errors",
        "app cpu",
        "nginx cpu",
        "client cpu",
        "busiest",
    ]
    return render_table(rows, headers, ["<"] + [">"] * 12)


# --- the run -----------------------------------------------------------------------------------


def run(tmp, say, environ=None):
    """Run the proxy part: (results for the JSON file, exit status); status None when skipped."""
    environ = dict(os.environ if environ is None else environ)
    try:
        config = read_config(environ)
        if shutil.which("nginx") is None:
            raise Skip("nginx is not installed (apt-get install nginx)")
        redis_url, postgres_url = service_urls(environ)
        check_services(redis_url, postgres_url)
    except Skip as skip:
        say(f"bench: proxy part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None

    pid = os.getpid()
    database = ThrowawayDatabase(postgres_url, f"meent_proxy_{pid}")
    prefix = f"meent-proxy-{pid}"
    log_dir = tmp / "proxy"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = base_environment(environ, tmp, database.url, redis_url)
    env.update({"REDIS_PREFIX": prefix})
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    runs = []
    servers = nginx = None
    try:
        say(f"bench: proxy: throw-away database {database.name} on {database.where}")
        database.create()
        setup_log = log_dir / "setup.log"
        seconds = run_python(["manage.py", "migrate", "--noinput"], env, setup_log, 900)
        say(f"bench: proxy: migrate done ({seconds:.1f} s)")
        seconds = run_python(["manage.py", "load_demo", "--quiet-accounts"], env, setup_log, 900)
        say(f"bench: proxy: load_demo done ({seconds:.1f} s)")
        session_path = log_dir / "session.json"
        run_python(
            ["-m", "tests.perf.proxybench", "--session", str(session_path), MEMBER_EMAIL],
            env,
            setup_log,
            120,
        )
        session = json.loads(session_path.read_text())
        cookie = f"{session['name']}={session['value']}"
        say(
            f"bench: proxy: {config['seconds']:g} s per page over {config['connections']} "
            f"connections through nginx; {cores} CPU cores on this machine"
        )
        for count in config["processes"]:
            servers = Servers("config.asgi:application", env, count, log_dir, f"proxy-{count}")
            servers.wait_until_healthy()
            folder = log_dir / f"nginx-{count}"
            folder.mkdir()
            nginx = Nginx(folder, servers.ports, tmp)
            try:
                nginx.start()
            except NginxError as error:
                raise BenchError(str(error)) from error
            say(f"bench: proxy: {count} app process(es) behind nginx on 127.0.0.1:{nginx.port}")
            runs += asyncio.run(measure_count(count, nginx, servers, cookie, config, say))
            servers.check_alive()
            nginx.stop()
            servers.stop()
            servers = nginx = None
    finally:
        if nginx is not None:
            nginx.stop()
        if servers is not None:
            servers.stop()
        cleaned = [
            "nginx and the app processes stopped",
            redis_cleanup(redis_url, prefix),
            database.drop(),
        ]
        say(f"bench: proxy: {', '.join(filter(None, cleaned))}")

    add_growth(runs)
    errors = sum(run["errors"] for run in runs)
    results = {
        "settings": {
            "database": "PostgreSQL, throw-away database, demo data (load_demo)",
            "redis": "channel layer and cache, own key prefix",
            "settings_module": "tests.perf.settings",
            "server": "uvicorn (config/serve.py), N processes, 127.0.0.1",
            "proxy": "Debian's nginx, deploy/nginx/meent.conf (tests/nginx.py), 1 worker process",
            "client": "tests/perf/loadgen.py, asyncio HTTP/1.1 keep-alive, same machine",
            "connections": config["connections"],
            "seconds": config["seconds"],
            "warmup_seconds": config["warmup_seconds"],
            "processes": config["processes"],
            "cores": cores,
            "signed_in_member": MEMBER_EMAIL,
            "latency_of": "successful (200) responses; req/s counts them too",
        },
        "runs": runs,
        "errors": errors,
    }
    say("")
    say(
        f"Proxy: pages through nginx with {', '.join(map(str, config['processes']))} app "
        f"process(es), {config['connections']} connections, {config['seconds']:g} s each "
        f"(this machine has {cores} cores: processes beyond that share them):"
    )
    say(results_table(runs))
    say(
        "'vs N=1': req/s against the same page with the fewest processes; 'vs ceiling': against "
        "/bench/ceiling/ through nginx with as many processes; 'busiest': the share of the "
        "requests the busiest app process answered (nginx's access log)."
    )
    if errors:
        say(f"bench: proxy FAILED: {errors} request(s) errored")
        return results, 1
    return results, 0


def main():
    from .bench import main as bench_main

    return bench_main(only="proxy")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--session"]:
        make_session(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
