"""The scaffolding every part of `make bench` shares (tests/perf/bench.py and its parts).

- errors: ``BenchError`` (a part could not run; the message says why) and ``Skip`` (a service a
  part needs is not there: the part is skipped, saying why);
- configuration: ``env_number`` reads a bounded number from the environment;
- services: the local PostgreSQL and Redis the parts use (``local_postgres_url``,
  ``local_redis_url``, ``check_postgres``, ``check_redis``), a throw-away database
  (``ThrowawayDatabase``) and the removal of a run's Redis keys (``clean_redis``,
  ``redis_cleanup``);
- processes: the environment of every process of a part (``environment``), a Python or
  ``manage.py`` command in a subprocess with its output in a log (``run_python``, ``manage``),
  server processes that answer /healthz and are always stopped (``Servers``);
- report: ``say``, figures (``fmt``, ``fmt_pct``) and the machine's load (``load_average``);
  the tables are tests/perf/report.py's.

Everything only talks to 127.0.0.1.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.processes import free_port, server_command, tail

from .loadgen import REQUEST_ERRORS, fetch

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SETTINGS_MODULE = "tests.perf.settings"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_SERVER = "redis://127.0.0.1:6379"
START_TIMEOUT = 60.0


class BenchError(Exception):
    """A part of the benchmark could not run; the message says why."""


class Skip(Exception):
    """A service a part needs is not there: the part is skipped, saying why."""


# --- configuration ---------------------------------------------------------------------------


def env_number(environ, name, default, kind=float, low=None, high=None):
    """``environ[name]`` as a positive ``kind`` within [low, high]; ``default`` when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError as error:
        raise BenchError(f"{name}={raw!r} is not a number") from error
    if value <= 0 or (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            bound = "above 0" if low is None else f"at least {low}"
            raise BenchError(f"{name}={raw!r} must be {bound}")
        raise BenchError(f"{name}={raw!r} is out of range ({low or 'above 0'} to {high})")
    return value


# --- services ---------------------------------------------------------------------------------


def with_database(url, name):
    """``url`` with its path (the database) replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def local_url(name, url, schemes):
    """``url`` if it is one of ``schemes`` on this machine; else the part is skipped."""
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise Skip(f"{name} {url!r} is not a {' or '.join(sorted(schemes))} URL")
    if parts.hostname not in LOCAL_HOSTS:
        raise Skip(f"{name} points at {parts.hostname!r}; the benchmark only talks to 127.0.0.1")
    return url


def local_postgres_url(environ, variable):
    """The PostgreSQL server's maintenance database, to create and drop databases on: the
    ``variable`` of the environment, else the server of DATABASE_URL when that is PostgreSQL,
    else postgres://postgres@127.0.0.1:5432/postgres."""
    url = environ.get(variable, "")
    if not url:
        database_url = environ.get("DATABASE_URL", "")
        if urlsplit(database_url).scheme in ("postgres", "postgresql"):
            url = with_database(database_url, "postgres")
        else:
            url = DEFAULT_POSTGRES_URL
    return local_url("the PostgreSQL URL", url, {"postgres", "postgresql"})


def local_redis_url(environ, variable, database):
    """The ``variable`` of the environment, else the server of REDIS_URL (or 127.0.0.1:6379) with
    a database of the benchmark's own: a test run's cache.clear() is a FLUSHDB (django-redis),
    which would wipe RedisChannelLayer's groups mid-run."""
    url = environ.get(variable, "")
    if not url:
        url = with_database(environ.get("REDIS_URL") or DEFAULT_REDIS_SERVER, database)
    return local_url("the Redis URL", url, {"redis"})


def postgres(url):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)


def check_postgres(url):
    """PostgreSQL at ``url`` answers, or the part is skipped."""
    try:
        import psycopg
    except ImportError as error:
        raise Skip(f"{error.name} is not installed (pip install -e .[dev])") from error
    try:
        with postgres(url) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Skip(f"PostgreSQL at {url} does not answer ({message})") from error


def check_redis(url):
    """Redis at ``url`` answers, or the part is skipped."""
    try:
        import redis
    except ImportError as error:
        raise Skip(f"{error.name} is not installed (pip install -e .[dev])") from error
    client = redis_client(url)
    try:
        client.ping()
    except redis.RedisError as error:
        raise Skip(f"Redis at {url} does not answer ({error})") from error
    finally:
        client.close()


class ThrowawayDatabase:
    """A PostgreSQL database of one run, created on the server of ``server_url`` and dropped
    afterwards (``drop`` says how that went, for the part's report)."""

    def __init__(self, server_url, name):
        self.server_url = server_url
        self.name = name
        self.url = with_database(server_url, name)
        self.created = False

    @property
    def where(self):
        return urlsplit(self.server_url).netloc

    def _drop(self, connection):
        from psycopg import sql

        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )

    def create(self):
        from psycopg import sql

        try:
            with postgres(self.server_url) as connection:
                # A database of this name can only be left over from a killed run with this pid.
                self._drop(connection)
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        except Exception as error:  # psycopg.Error: no permission, server gone, ...
            raise BenchError(f"could not create the database {self.name}: {error}") from error
        self.created = True

    def drop(self):
        """Drop the database if this run created it: what happened, or None."""
        if not self.created:
            return None
        try:
            with postgres(self.server_url) as connection:
                self._drop(connection)
        except Exception as error:  # noqa: BLE001 - report it; the rest must still be cleaned
            return f"database {self.name} NOT dropped ({error}): dropdb {self.name}"
        self.created = False
        return f"database {self.name} dropped"


def clean_redis(url, prefix):
    """Delete every key under the prefix (the channel layer's and the cache's); how many."""
    client = redis_client(url)
    deleted = 0
    try:
        batch = []
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    finally:
        client.close()
    return deleted


def redis_cleanup(url, prefix):
    """``clean_redis`` for the part's report: what it removed or why it could not, or None."""
    try:
        leftover = clean_redis(url, prefix)
    except Exception as error:  # noqa: BLE001 - report it; the rest must still be cleaned
        return f"Redis keys under {prefix} NOT removed ({error})"
    return f"{leftover} Redis key(s) under {prefix} removed" if leftover else None


# --- processes --------------------------------------------------------------------------------


def environment(environ, tmp, database_url, redis_url="", settings_module=SETTINGS_MODULE, **extra):
    """The environment of every process of a part: its database and Redis (none: empty rather
    than absent, so that a local .env cannot bring them back), no Elasticsearch, DEBUG off,
    uploads in ``tmp``; ``extra`` on top."""
    env = dict(environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "ELASTICSEARCH_URL": "",
            "DEBUG": "false",
            "MEDIA_ROOT": str(tmp / "media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def run_python(args, env, log_path, timeout=None):
    """``python ARGS`` in the repository, its output appended to ``log_path``; the seconds it
    took. A failure or a timeout is a BenchError with the log's end."""
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        try:
            completed = subprocess.run(
                [sys.executable, *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise BenchError(f"{' '.join(args)} took longer than {timeout} s") from error
    if completed.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed ({completed.returncode}):\n{tail(log_path)}")
    return time.perf_counter() - started


def manage(args, env, log_path, timeout=None):
    """``manage.py ARGS``, as ``run_python``."""
    return run_python(["manage.py", *args], env, log_path, timeout)


def wait_until_healthy(process, port, log_path, timeout=START_TIMEOUT):
    """Poll the server's /healthz until it answers 200; its JSON. BenchError if it exits or takes
    longer than ``timeout``."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        if process.poll() is not None:
            raise BenchError(f"the server exited with {process.returncode}:\n{tail(log_path)}")
        if time.monotonic() > deadline:
            raise BenchError(
                f"the server on port {port}: /healthz not 200 within {timeout:.0f} s ({last})"
            )
        try:
            status, body = asyncio.run(fetch(port, "/healthz", timeout=5.0))
        except REQUEST_ERRORS as error:
            last = f"{type(error).__name__}: {error}"
        else:
            if status == 200:
                return json.loads(body)
            last = f"HTTP {status}: {body[:300].decode(errors='replace')}"
        time.sleep(0.2)


class Servers:
    """``count`` server processes of one ASGI application on free ports of 127.0.0.1, each with
    its log in ``log_dir``; stop() always ends every one."""

    def __init__(self, app, env, count, log_dir, label):
        self.processes = []
        self.ports = []
        self.logs = []
        for number in range(1, count + 1):
            port = free_port()
            log_path = log_dir / f"server-{label}-{number}.log"
            log = open(log_path, "ab")  # noqa: SIM115 - the process keeps writing to it
            try:
                # Its own session: Ctrl+C reaches only us, and we stop the server ourselves, by its pid.
                process = subprocess.Popen(
                    server_command(port, app),
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            finally:
                log.close()
            self.processes.append(process)
            self.ports.append(port)
            self.logs.append(log_path)

    @property
    def pids(self):
        return [process.pid for process in self.processes]

    def wait_until_healthy(self, timeout=START_TIMEOUT):
        """Each process's /healthz JSON, once each answers 200."""
        return [
            wait_until_healthy(process, port, log_path, timeout)
            for process, port, log_path in zip(self.processes, self.ports, self.logs, strict=True)
        ]

    def check_alive(self):
        for process, log_path in zip(self.processes, self.logs, strict=True):
            if process.poll() is not None:
                raise BenchError(f"the server exited during the run:\n{tail(log_path)}")

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


# --- report -----------------------------------------------------------------------------------


def say(message):
    print(message, flush=True)


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_pct(value):
    return "?" if value is None else f"{value:.0f}%"


def load_average():
    """The machine's 1-minute load average, or None where the platform has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None
