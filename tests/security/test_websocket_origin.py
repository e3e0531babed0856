"""The chat WebSocket refuses other sites: cross-site WebSocket hijacking.

A browser sends the session cookie with a WebSocket handshake to our host from any page, and
WebSockets have no CSRF token: the Origin header is the only thing that says which site opened the
connection. meent/asgi.py wraps the WebSocket side in Channels' ``AllowedHostsOriginValidator``,
whose policy (channels/security/websocket.py) is:

* the Origin's host must match ALLOWED_HOSTS (scheme and port are not compared for plain host
  entries; ``.example.org`` also admits subdomains);
* a handshake WITHOUT an Origin header is refused, unless ALLOWED_HOSTS contains "*". Browsers
  always send Origin on WebSocket handshakes, so this only turns away non-browser clients that
  do not set one.

The tests assert that policy on the full ASGI application (Channels' communicator, with a real
session cookie) and once more against a live daphne with a real WebSocket client.
"""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus

from chat import services
from meent.asgi import application
from tests import processes
from tests.factories import GroupFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).parent / "daphne"
OWN_ORIGIN = "http://localhost"
FOREIGN_ORIGINS = [
    "https://evil.example",
    "http://localhost.evil.example",  # our host as a prefix of theirs
    "http://evil-localhost",
    "http://127.0.0.2",
    "null",  # a sandboxed iframe or a file: page
]


def websocket_validator():
    validator = application.application_mapping["websocket"]
    assert isinstance(validator, OriginValidator), type(validator)
    return validator


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


async def handshake(session, origin):
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode("latin1")))
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


# ---------------------------------------------------------------------------------------------
# The policy itself


def test_the_websocket_side_checks_the_origin_against_allowed_hosts():
    validator = websocket_validator()
    assert "*" not in validator.allowed_origins
    assert validator.valid_origin(urlparse(OWN_ORIGIN))
    assert validator.valid_origin(None) is False  # no Origin: refused
    # The production default admits no wildcard either (ALLOWED_HOSTS comes from the environment).
    from meent.settings import base

    assert "*" not in base.ALLOWED_HOSTS


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
# A live daphne and a real WebSocket client


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
def daphne(member_room, tmp_path):
    """daphne (meent.asgi) in a subprocess on the test database; its port."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database is in memory: daphne cannot open it")
    port = processes.free_port()
    log_path = tmp_path / "daphne.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meent.settings.test",
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
            [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "meent.asgi:application"],
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


def test_live_daphne_refuses_foreign_and_missing_origins_and_accepts_its_own(daphne, member_room):
    session, room = member_room["session"], member_room["room"].pk

    async def scenario():
        return {
            "foreign": await _live(daphne, session, "https://evil.example", room),
            "none": await _live(daphne, session, None, room),
            "own": await _live(daphne, session, f"http://127.0.0.1:{daphne}", room),
        }

    outcome = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert outcome == {"foreign": 403, "none": 403, "own": "subscribed"}, outcome
