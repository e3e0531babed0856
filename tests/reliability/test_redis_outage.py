"""Redis down: pages still render (the cache misses instead of failing), the chat's WebSocket is
refused or closed cleanly (the client then shows that it is reconnecting), and everything works
again once Redis is back, without a restart.

the server reaches Redis (cache and channel layer) through a proxy that the test cuts and restores;
the system's Redis itself is never stopped.
"""

import asyncio
import json

import pytest
import requests
from django.conf import settings
from playwright.sync_api import expect
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from chat import services
from tests.factories import GroupFactory, MembershipFactory, UserFactory

from .proxy import proxied_url, wait_for

pytestmark = pytest.mark.services

WS_TIMEOUT_S = 20
# The chat client retries at most every 10 s (chat/frontend/socket.js RECONNECT_MAX_MS).
RECONNECTED_TIMEOUT_MS = 45_000


@pytest.fixture
def server(start_server, redis_proxy, redis_prefix):
    return start_server(
        REDIS_URL=proxied_url(settings.REDIS_URL, redis_proxy), REDIS_PREFIX=redis_prefix
    )


@pytest.fixture
def world(transactional_db, session_cookie):
    anna = UserFactory(first_name="Anna", email="anna@voorbeeld.nl")
    group = GroupFactory(name="Fietsbeleid", slug="fietsbeleid", visibility="listed")
    MembershipFactory(group=group, user=anna, role="owner")
    room = services.room_for_group(group)
    return {"anna": anna, "cookie": session_cookie(anna), "group": group, "room": room}


def pages(world):
    return [
        ("/", None),
        ("/groups/", None),
        (f"/groups/{world['group'].slug}/", None),  # its site lookup is cached
        ("/search/?q=fiets", None),
        ("/", world["cookie"]),
        (f"/groups/{world['group'].slug}/", world["cookie"]),
        (f"/chat/{world['room'].pk}/", world["cookie"]),
    ]


def get(server, path, cookie=None):
    headers = {"Accept-Language": "nl", **({"Cookie": cookie} if cookie else {})}
    return requests.get(server.url + path, headers=headers, timeout=30, allow_redirects=False)


async def _chat(server, cookie, room_pk):
    """What the chat's WebSocket does: "subscribed" when it works, else how it failed."""
    try:
        async with ws_connect(
            server.url.replace("http://", "ws://") + "/ws/chat/",
            additional_headers={"Cookie": cookie},
            origin=server.url,
            open_timeout=WS_TIMEOUT_S,
        ) as websocket:
            await websocket.send(json.dumps({"type": "subscribe", "room": room_pk, "after": 0}))
            while True:
                frame = json.loads(await asyncio.wait_for(websocket.recv(), WS_TIMEOUT_S))
                if frame["type"] in ("subscribed", "error"):
                    return frame["type"]
    except InvalidStatus as error:
        return f"refused: HTTP {error.response.status_code}"
    except ConnectionClosed as error:
        return f"closed: {error.rcvd.code if error.rcvd else 'without a close frame'}"


def chat(server, world):
    return asyncio.run(_chat(server, world["cookie"], world["room"].pk))


def test_pages_survive_a_redis_outage_and_the_chat_comes_back(server, redis_proxy, world):
    for path, cookie in pages(world):
        assert get(server, path, cookie).status_code == 200, (path, server.log_tail())
    assert chat(server, world) == "subscribed"

    redis_proxy.cut()

    for path, cookie in pages(world):
        response = get(server, path, cookie)
        assert response.status_code == 200, (path, server.log_tail())
        assert "Traceback" not in response.text
    # The chat cannot work without its channel layer: the connection fails, and says so.
    outcome = chat(server, world)
    # Try again later: refused with 503 and Retry-After (meent/reliability.py).
    assert outcome == "refused: HTTP 503", outcome
    health = requests.get(server.url + "/healthz", timeout=30)
    assert health.status_code == 503
    assert health.json()["checks"]["cache"]["status"] == "down"
    assert requests.get(server.url + "/livez", timeout=30).status_code == 200

    redis_proxy.restore()

    wait_for(
        lambda: requests.get(server.url + "/healthz", timeout=30).status_code == 200,
        message="/healthz answering 200 again",
    )
    assert server.process.poll() is None  # no restart
    wait_for(lambda: chat(server, world) == "subscribed", message="the chat subscribing again")
    for path, cookie in pages(world):
        assert get(server, path, cookie).status_code == 200, (path, server.log_tail())
    # The operator reads one line when Redis went and one when it came back, not a traceback
    # for every page and connection meanwhile (meent/outages.py).
    log = server.log.read_text()
    assert "Traceback" not in log, server.log_tail()
    assert log.count("Redis unavailable") == 1, server.log_tail()
    assert log.count("Redis answers again") == 1, server.log_tail()


@pytest.mark.e2e
def test_the_chat_says_it_is_reconnecting_while_redis_is_down(
    browser, server, redis_proxy, world, t
):
    name, _, value = world["cookie"].partition("=")
    context = browser.new_context(base_url=server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    errors = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(f"/chat/{world['room'].pk}/")
        status = tab.locator("[data-chat-status]")
        expect(status).to_have_attribute("data-state", "connected")

        redis_proxy.cut()
        # The page still loads; its chat cannot connect and says that it keeps trying.
        assert tab.reload().status == 200
        expect(status).to_have_attribute("data-state", "reconnecting")
        expect(status).to_have_text(t("Reconnecting…", "nl"))

        redis_proxy.restore()
        # By itself (its next retry), without a reload.
        expect(status).to_have_attribute("data-state", "connected", timeout=RECONNECTED_TIMEOUT_MS)
    finally:
        context.close()
    assert errors == []
