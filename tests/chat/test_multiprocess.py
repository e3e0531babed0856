"""Chat across several server processes on the Redis channel layer, as production runs it.

Two real server processes (each on its own free port of 127.0.0.1) share the local Redis and the
PostgreSQL test database; real WebSocket clients (the ``websockets`` package) sign in with a real
session cookie. The data each test creates is committed (transactional tests), so the server
processes see it.

The server processes run ``config.settings.test`` through a two-line wrapper (written to a
temporary directory) that puts this run's unique REDIS_PREFIX on the channel layer and the cache:
``config.settings.test`` itself fixes both prefixes to "meent-test", so concurrent runs against one
Redis would otherwise hear each other's rooms.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; skips without them (fails under CI=true).
"""

import asyncio
import contextlib
import json
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from websockets.asyncio.client import connect as ws_connect

from chat import services
from tests import processes as servers
from tests.conftest import require_service
from tests.factories import GroupFactory, MembershipFactory, UserFactory

# The marker makes pytest-django create the test database (before the module's server processes
# start) and commit what each test writes; pytest-django only creates databases for marked tests.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for a server process to answer /healthz
FRAME_TIMEOUT = 5  # seconds for any one expected frame
SCENARIO_TIMEOUT = 60  # seconds for a whole test's WebSocket conversation

SETTINGS_WRAPPER = '''"""config.settings.test with this run's REDIS_PREFIX (written by test_multiprocess)."""
import os
from config.settings.test import *  # noqa: F401,F403
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ["REDIS_PREFIX"]  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = os.environ["REDIS_PREFIX"]  # noqa: F405
'''


def database_url(db):
    """A URL for the (test) database that this process uses."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(db['NAME'], safe='')}"


def wait_for_server(process, port, log_path):
    try:
        servers.wait_until_healthy(
            process, f"http://127.0.0.1:{port}/healthz", log_path, START_TIMEOUT
        )
    except servers.NotHealthy as error:
        pytest.fail(str(error))


def flush_redis_prefix(redis_url, prefix):
    """Delete what the run left in Redis under its prefix (pub/sub itself leaves nothing)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        # Channel-layer keys start with the prefix, django-redis cache keys with "<prefix>:".
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)
    finally:
        client.close()


@pytest.fixture(scope="module")
def servers_started(tmp_path_factory):
    """Two server processes on Redis and the PostgreSQL test database: their ports."""
    database = settings.DATABASES["default"]
    require_service(
        "PostgreSQL and Redis",
        database["ENGINE"] == "django.db.backends.postgresql" and bool(settings.REDIS_URL),
        "set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
    )
    # The test database exists by now (django_db_setup is session-scoped), under its test name.
    tmp = tmp_path_factory.mktemp("multiprocess")
    (tmp / "meent_multiprocess_settings.py").write_text(SETTINGS_WRAPPER)
    assert database["NAME"].startswith("test_"), f"not the test database: {database['NAME']}"
    prefix = f"meent-mp-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meent_multiprocess_settings",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(tmp), str(ROOT), os.environ.get("PYTHONPATH")])
        ),
        "DATABASE_URL": database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "REDIS_PREFIX": prefix,
        "ELASTICSEARCH_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    processes, ports = [], []
    try:
        for index in range(2):
            port = servers.free_port()
            log_path = tmp / f"server-{index + 1}.log"
            with open(log_path, "ab") as log:
                processes.append(
                    subprocess.Popen(
                        servers.server_command(port),
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            ports.append(port)
        for process, port, index in zip(processes, ports, range(2), strict=True):
            wait_for_server(process, port, tmp / f"server-{index + 1}.log")
        yield ports
        for index, process in enumerate(processes):
            assert process.poll() is None, (
                f"the server {index + 1} died during the tests:\n{servers.tail(tmp / f'server-{index + 1}.log')}"
            )
    finally:
        for process in processes:
            servers.stop(process)
        with contextlib.suppress(Exception):
            flush_redis_prefix(settings.REDIS_URL, prefix)


@pytest.fixture
def world(transactional_db):
    """A group room with two members, each with a real signed-in session (committed)."""
    group = GroupFactory(slug="over-processen")
    alice = UserFactory(email="alice.mp@voorbeeld.nl")
    bob = UserFactory(email="bob.mp@voorbeeld.nl")
    MembershipFactory(group=group, user=alice, role="owner")
    MembershipFactory(group=group, user=bob)
    room = services.room_for_group(group)
    sessions = {}
    for name, user in (("alice", alice), ("bob", bob)):
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"room": room.pk, "sessions": sessions}


# --- WebSocket helpers (asyncio, every wait bounded) ------------------------------------------


async def connect(port, session_key):
    return await ws_connect(
        f"ws://127.0.0.1:{port}/ws/chat/",
        additional_headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}",
            "Origin": f"http://127.0.0.1:{port}",
        },
        open_timeout=FRAME_TIMEOUT,
        close_timeout=2,
    )


async def next_frame(ws, timeout=FRAME_TIMEOUT):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def frame_of(ws, kind, timeout=FRAME_TIMEOUT, **match):
    """The next frame of this type (and these message fields); the skipped ones are returned too."""
    skipped = []
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise AssertionError(f"no {kind} frame {match or ''} within {timeout} s; saw {skipped}")
        try:
            frame = await next_frame(ws, left)
        except TimeoutError:
            continue  # the deadline check above reports it
        if frame.get("type") == kind and all(
            frame.get("message", {}).get(key) == value for key, value in match.items()
        ):
            return frame, skipped
        skipped.append(frame)


async def subscribe(ws, room, after=0):
    await ws.send(json.dumps({"type": "subscribe", "room": room, "after": after}))
    frame, skipped = await frame_of(ws, "subscribed")
    assert frame["room"] == room and not skipped, skipped
    return frame


async def send(ws, room, client_id, body):
    await ws.send(json.dumps({"type": "send", "room": room, "client_id": client_id, "body": body}))
    while True:
        frame = await next_frame(ws)
        assert frame["type"] != "error", frame
        if frame["type"] == "ack" and frame["client_id"] == client_id:
            return frame["seq"]


async def nothing_more(ws, seconds=0.5):
    try:
        frame = await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected frame: {frame}")


# --- the tests ---------------------------------------------------------------------------------


def test_two_processes_share_a_room_and_reconnect_catches_up(servers_started, world):
    first, second = servers_started
    room, sessions = world["room"], world["sessions"]

    async def scenario():
        a = await connect(first, sessions["alice"])
        b = await connect(second, sessions["bob"])
        try:
            await subscribe(a, room)
            await subscribe(b, room)

            # A (process 1) sends; B (process 2) receives it.
            seq = await send(a, room, "a1", "hallo vanuit proces 1")
            assert seq == 1
            frame, skipped = await frame_of(b, "message")
            assert not skipped and frame["message"]["seq"] == 1
            assert frame["message"]["body"] == "hallo vanuit proces 1"

            # And the other way round.
            seq = await send(b, room, "b1", "hallo vanuit proces 2")
            assert seq == 2
            frame, skipped = await frame_of(a, "message", seq=2)
            # A saw its own message (seq 1) come back first, once, and nothing else.
            assert [s["message"]["seq"] for s in skipped] == [1]
            assert frame["message"]["body"] == "hallo vanuit proces 2"
            frame, skipped = await frame_of(b, "message", seq=2)  # B's own, echoed
            assert not skipped
            last_seen_by_b = frame["message"]["seq"]
            await nothing_more(a, 0.3)
            await nothing_more(b, 0.3)

            # B goes away; A sends five; B comes back on the OTHER process and catches up.
            await b.close()
            sent = [await send(a, room, f"a-missed-{n}", f"gemist {n}") for n in range(5)]
            assert sent == [3, 4, 5, 6, 7]
            b = await connect(first, sessions["bob"])
            await subscribe(b, room, after=last_seen_by_b)
            caught_up = [(await frame_of(b, "message"))[0]["message"] for _ in range(5)]
            assert [m["seq"] for m in caught_up] == sent
            assert [m["body"] for m in caught_up] == [f"gemist {n}" for n in range(5)]
            await nothing_more(b)

            # Live delivery continues on the new connection, across processes again.
            seq = await send(b, room, "b2", "weer terug")
            frame, _ = await frame_of(a, "message", seq=seq)
            assert frame["message"]["body"] == "weer terug"
        finally:
            await a.close()
            await b.close()

    asyncio.run(asyncio.wait_for(scenario(), SCENARIO_TIMEOUT))


def test_idle_connections_keep_receiving_through_the_server_on_redis(servers_started, world):
    """redis-py 8 defaults to socket_timeout=5 s: an idle layer connection must not be dropped."""
    first, second = servers_started
    room, sessions = world["room"], world["sessions"]

    async def scenario():
        a = await connect(first, sessions["alice"])
        b = await connect(second, sessions["bob"])
        try:
            await subscribe(a, room)
            await subscribe(b, room)
            await asyncio.sleep(7)
            seq = await send(a, room, "idle", "nog daar?")
            frame, skipped = await frame_of(b, "message", seq=seq)
            assert not skipped and frame["message"]["body"] == "nog daar?"
            frame, _ = await frame_of(a, "message", seq=seq)
        finally:
            await a.close()
            await b.close()

    asyncio.run(asyncio.wait_for(scenario(), SCENARIO_TIMEOUT))
