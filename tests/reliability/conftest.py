"""Fixtures for the outage tests: the server on this run's test database, with services behind a
cuttable proxy (tests/reliability/proxy.py)."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation

from tests import processes
from tests.conftest import require_service
from tests.e2e.conftest import (
    ASYNC_UNSAFE,
    ROOT,
    AsgiServer,
    _ensure_home_page,
    _test_database_url,
    browser,  # noqa: F401 (the fixture: Chromium, for the chat's reconnecting status)
)

from .proxy import TcpProxy, target_of


def process_env(settings, tmp_path, **overrides):
    """The environment of a Meent process (server or worker) on this run's test database and
    Redis (the test settings), with ``overrides`` on top."""
    env = dict(os.environ)
    env.pop(ASYNC_UNSAFE, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL or "",
            "ELASTICSEARCH_URL": "",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
            **overrides,
        }
    )
    return env


@pytest.fixture
def start_server(transactional_db, settings, tmp_path):
    """``start_server(**env)``: the server serving config.asgi on this run's test database and Redis
    (the test settings), with ``env`` on top; stopped at the end of the test."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    _ensure_home_page()
    servers = []

    def start(**overrides):
        env = process_env(settings, tmp_path, **overrides)
        server = AsgiServer(env, tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


class WorkerProcess:
    """`manage.py run_worker` in a subprocess, its output in ``log``."""

    def __init__(self, env, log):
        self.env = env
        self.log = log
        self.process = None

    def start(self, *arguments):
        command = [sys.executable, "manage.py", "run_worker", "--no-startup-delay"]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [*command, "--interval", "0.2", *arguments],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def json_lines(self):
        return [json.loads(line) for line in self.log_text().splitlines() if line.startswith("{")]

    def stop(self):
        processes.stop(self.process)


@pytest.fixture
def start_worker(transactional_db, settings, tmp_path):
    """``start_worker(*arguments, **env)``: a task worker on this run's PostgreSQL test database;
    the test process queues into the same database (TASK_BACKEND=database on both sides)."""
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://… (the worker claims tasks with SKIP LOCKED row locks)",
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workers = []

    def start(*arguments, **overrides):
        env = process_env(settings, tmp_path, **{"TASK_BACKEND": "database", **overrides})
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker.start(*arguments)

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def postgres_proxy(transactional_db):
    """A proxy in front of the PostgreSQL server of this run's test database."""
    url = os.environ.get("DATABASE_URL", "")
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql" and url.startswith("postgres"),
        "set DATABASE_URL=postgres://… (the outage is simulated with a proxy in front of it)",
    )
    with TcpProxy(*target_of(url, 5432)) as proxy:
        yield proxy


@pytest.fixture
def redis_proxy():
    """A proxy in front of the Redis server of this run."""
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://…")
    with TcpProxy(*target_of(settings.REDIS_URL, 6379)) as proxy:
        yield proxy


@pytest.fixture
def redis_prefix():
    """A key prefix of the server's own, so that its keys never meet another run's."""
    return f"meent-rel-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def session_cookie(transactional_db):
    """``session_cookie(user)``: a signed-in session, as the cookie header's value."""

    def make(user):
        client = Client()
        client.force_login(user)
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    return make


@pytest.fixture
def t():
    """``t(text, language)``: what the app shows for ``text`` in ``language`` (the text itself
    while it is untranslated)."""

    def translate(text, language):
        with translation.override(language):
            return translation.gettext(text)

    return translate


@pytest.fixture
def member(transactional_db, session_cookie):
    """Anna, signed in, with the room of a group she owns: {"cookie", "room"}."""
    from chat import services as chat_services
    from tests.factories import GroupFactory, MembershipFactory, UserFactory

    anna = UserFactory(first_name="Anna", email="anna@voorbeeld.nl")
    group = GroupFactory(slug="kamer")
    MembershipFactory(group=group, user=anna, role="owner")
    return {"cookie": session_cookie(anna), "room": chat_services.room_for_group(group)}
