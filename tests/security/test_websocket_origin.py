"""The chat WebSocket refuses other sites: cross-site WebSocket hijacking.

A browser sends the session cookie with a WebSocket handshake to our host from any page, and
WebSockets have no CSRF token: the Origin header is the only thing that says which site opened the
connection. config/asgi.py wraps the WebSocket side in ``SameOriginWebsocketValidator``
(meent/security.py), whose policy is:

* the Origin's scheme, host and port must equal the handshake's own origin: its Host header (on
  an allowed host), its scheme (``wss`` or, behind a proxy, SECURE_PROXY_SSL_HEADER) and port;
  or be one of CSRF_TRUSTED_ORIGINS. Channels' AllowedHostsOriginValidator, used before, compared
  host names only, so a page on another port of the same host passed (found by an outside probe);
* a handshake WITHOUT an Origin header is refused. Browsers always send Origin on WebSocket
  handshakes, so this only turns away non-browser clients that do not set one.

The tests assert that policy on the full ASGI application (Channels' communicator, with a real
session cookie) and once more against a live the server with a real WebSocket client.
"""

import asyncio
import json
import os
import subprocess
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus

from chat import services
from config.asgi import application
from meent.security import websocket_origin_allowed
from tests import processes
from tests.factories import GroupFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
OWN_ORIGIN = "http://localhost"
FOREIGN_ORIGINS = [
    "https://evil.example",
    "http://localhost.evil.example",  # our host as a prefix of theirs
    "http://evil-localhost",
    "http://127.0.0.2",
    "null",  # a sandboxed iframe or a file: page
    "http://localhost:8101",  # our host on another port (another program on the machine)
    "https://localhost",  # our host with another scheme
    "http://localhost:99999",  # not a port at all
    "ws://localhost",
]


@pytest.fixture
def member_room(transactional_db):
    group = GroupFactory(slug="origin-kamer")
    member = UserFactory(email="lid@meent.nl")
    MembershipFactory(group=group, user=member)
    room = services.room_for_group(group)
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"room": room, "member": member, "session": session}


async def handshake(session, origin, host="localhost", extra=()):
    headers = [
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()),
        (b"host", host.encode()),
        *extra,
    ]
    if origin is not None:
        headers.append((b"origin", origin.encode("latin1")))
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


# ---------------------------------------------------------------------------------------------
# The policy itself


def scope(origin, host="localhost", scheme="ws", extra=()):
    headers = [(b"host", host.encode()), *extra]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


def test_the_origin_must_be_the_handshakes_own_scheme_host_and_port(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", ".oost.example"]
    allowed = websocket_origin_allowed
    assert allowed(scope("http://localhost"))
    assert allowed(scope("http://localhost:80"))
    assert allowed(scope("http://127.0.0.1:8100", host="127.0.0.1:8100"))
    assert not allowed(scope("http://127.0.0.1:8101", host="127.0.0.1:8100"))  # the probe's case
    assert not allowed(scope("http://127.0.0.1", host="127.0.0.1:8100"))
    assert not allowed(scope("https://localhost"))  # ws:// is not https
    assert allowed(scope("https://localhost", scheme="wss"))
    assert allowed(scope("https://a.oost.example", host="a.oost.example", scheme="wss"))
    assert not allowed(scope("https://b.oost.example", host="a.oost.example", scheme="wss"))
    assert not allowed(scope(None))  # no Origin: refused
    assert not allowed(scope("http://evil.example", host="evil.example"))  # not an allowed host
    assert not allowed(scope("http://localhost", host=""))
    assert not allowed(scope("http://localhost:abc"))
    # The production default admits no wildcard either (ALLOWED_HOSTS comes from the environment).
    from config.settings import base

    assert "*" not in base.ALLOWED_HOSTS


def test_behind_a_proxy_the_forwarded_scheme_counts(settings):
    settings.ALLOWED_HOSTS = ["meent.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https = ((b"x-forwarded-proto", b"https"),)
    assert websocket_origin_allowed(scope("https://meent.example", "meent.example", extra=https))
    assert not websocket_origin_allowed(scope("https://meent.example", "meent.example"))
    assert not websocket_origin_allowed(scope("http://meent.example", "meent.example", extra=https))


def test_trusted_origins_are_admitted(settings):
    settings.ALLOWED_HOSTS = ["meent.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.gemeente.example", "https://portaal.example:8443"]
    assert websocket_origin_allowed(scope("https://intranet.gemeente.example", "meent.example"))
    assert websocket_origin_allowed(scope("https://portaal.example:8443", "meent.example"))
    assert not websocket_origin_allowed(scope("https://portaal.example", "meent.example"))
    assert not websocket_origin_allowed(scope("http://intranet.gemeente.example", "meent.example"))
    assert not websocket_origin_allowed(scope("https://gemeente.example.evil", "meent.example"))


# ---------------------------------------------------------------------------------------------
# The full ASGI application, with a real session cookie


@pytest.mark.asyncio
@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
async def test_a_foreign_origin_is_refused_even_with_a_valid_session(member_room, origin):
    communicator, connected, _ = await handshake(member_room["session"], origin)
    assert not connected, f"a WebSocket from {origin} was accepted"
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_no_origin_is_refused(member_room):
    communicator, connected, _ = await handshake(member_room["session"], None)
    assert not connected
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_the_own_origin_is_accepted_for_a_signed_in_member(member_room):
    communicator, connected, _ = await handshake(member_room["session"], OWN_ORIGIN)
    assert connected
    room = member_room["room"]
    await communicator.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    answer = await communicator.receive_json_from(timeout=5)
    assert answer["type"] == "subscribed", answer
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_the_own_origin_without_a_session_is_still_refused(member_room):
    communicator, connected, code = await handshake("no-such-session", OWN_ORIGIN)
    assert not connected and code == 4401
    await communicator.disconnect()


# ---------------------------------------------------------------------------------------------
# A live the server and a real WebSocket client


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    from urllib.parse import urlsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        pytest.skip("a non-SQLite test database without DATABASE_URL")
    return urlsplit(url)._replace(path=f"/{db['NAME']}").geturl()


@pytest.fixture
def live_port(member_room, tmp_path):
    """the server (config.asgi) in a subprocess on the test database; its port."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database is in memory: the server cannot open it")
    port = processes.free_port()
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "ELASTICSEARCH_URL": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            processes.server_command(port),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            processes.wait_until_healthy(process, f"http://127.0.0.1:{port}/healthz", log_path, 60)
        except processes.NotHealthy as error:
            pytest.fail(str(error))
        yield port
    finally:
        processes.stop(process)


async def _live(port, session, origin, room_pk):
    """The handshake's HTTP status when refused; else the answer to subscribing to the room."""
    kwargs = {"origin": origin} if origin else {}
    try:
        async with ws_connect(
            f"ws://127.0.0.1:{port}/ws/chat/",
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
            open_timeout=10,
            **kwargs,
        ) as websocket:
            await websocket.send(json.dumps({"type": "subscribe", "room": room_pk, "after": 0}))
            return json.loads(await asyncio.wait_for(websocket.recv(), 10))["type"]
    except InvalidStatus as error:
        return error.response.status_code


def test_a_live_server_refuses_foreign_and_missing_origins_and_accepts_its_own(
    live_port, member_room
):
    session, room = member_room["session"], member_room["room"].pk

    async def scenario():
        return {
            "foreign": await _live(live_port, session, "https://evil.example", room),
            "other port": await _live(
                live_port, session, f"http://127.0.0.1:{live_port + 1}", room
            ),
            "none": await _live(live_port, session, None, room),
            "own": await _live(live_port, session, f"http://127.0.0.1:{live_port}", room),
        }

    outcome = asyncio.run(asyncio.wait_for(scenario(), 60))
    expected = {"foreign": 403, "other port": 403, "none": 403, "own": "subscribed"}
    assert outcome == expected, outcome
