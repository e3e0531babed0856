"""PostgreSQL briefly unreachable: every request gets a clean, translated 503 page with
Retry-After (no stack trace), and the server serves again by itself once the database is back.

the server reaches the test database through a proxy that the test cuts (every connection closed,
new ones refused) and restores; the system's PostgreSQL itself is never stopped. the server keeps its
connections between requests (tests/reliability/settings.py), as in production, so recovery
also covers a persistent connection that broke.
"""

import asyncio
import json

import pytest
import requests
from asgiref.sync import async_to_sync
from django.test import Client
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus

from chat import services as chat_services
from chat.models import Message
from tests.factories import GroupFactory, MembershipFactory, UserFactory

from .proxy import proxied_url, wait_for

PAGES = ["/", "/groups/"]
LEAKS = ["Traceback", "OperationalError", "InterfaceError", "psycopg", "connection"]


def get(server, path, language="nl", cookie=None):
    headers = {"Accept-Language": language}
    if cookie:
        headers["Cookie"] = cookie
    return requests.get(server.url + path, headers=headers, timeout=30, allow_redirects=False)


@pytest.fixture
def server(start_server, postgres_proxy):
    from tests.e2e.conftest import _test_database_url

    return start_server(
        DATABASE_URL=proxied_url(_test_database_url(), postgres_proxy),
        DJANGO_SETTINGS_MODULE="tests.reliability.settings",
    )


@pytest.mark.services
def test_an_outage_gives_a_clean_503_and_the_site_recovers_by_itself(
    server, postgres_proxy, session_cookie, t
):
    cookie = session_cookie(UserFactory(first_name="Anna", email="anna@voorbeeld.nl"))
    for path in PAGES:
        assert get(server, path).status_code == 200, server.log_tail()
        assert get(server, path, cookie=cookie).status_code == 200, server.log_tail()

    postgres_proxy.cut()

    for path in PAGES:
        for language in ("nl", "en"):
            for who in (None, cookie):  # a session needs the database too
                response = get(server, path, language, who)
                assert response.status_code == 503, (path, language, server.log_tail())
                assert response.headers["Retry-After"].isdigit()
                assert response.headers["Cache-Control"] == "no-store"
                assert response.headers["Content-Type"].startswith("text/html")
                assert "Content-Security-Policy" in response.headers  # still our headers
                body = response.text
                assert f'<html lang="{language}">' in body
                assert t("Temporarily unavailable", language) in body
                assert t("Try again", language) in body
                for leak in LEAKS:
                    assert leak not in body, f"{leak!r} shown on {path}"
    health = requests.get(server.url + "/healthz", timeout=30)
    assert health.status_code == 503
    assert health.json()["checks"]["database"]["status"] == "down"
    # Unready, but alive: a process manager must not restart it for an outage elsewhere.
    live = requests.get(server.url + "/livez", timeout=30)
    assert (live.status_code, live.json()) == (200, {"status": "alive"}), server.log_tail()

    postgres_proxy.restore()

    # No restart: the same server process answers again once it can connect.
    wait_for(lambda: get(server, "/").status_code == 200, message="the home page answering 200")
    assert server.process.poll() is None
    for path in PAGES:
        assert get(server, path).status_code == 200, server.log_tail()
        assert get(server, path, cookie=cookie).status_code == 200, server.log_tail()
    assert requests.get(server.url + "/healthz", timeout=30).status_code == 200


WS_TIMEOUT_S = 20


async def _reply(websocket, *kinds):
    while True:
        frame = json.loads(await asyncio.wait_for(websocket.recv(), WS_TIMEOUT_S))
        if frame["type"] in kinds:
            return frame


@pytest.mark.services
def test_the_chat_meets_an_outage_with_error_frames_and_try_again_later(
    server, postgres_proxy, session_cookie
):
    """A send while the database is down gets an error frame (nothing stored, nothing acked);
    a new connection is refused with 503 and Retry-After (not a server error); the log says
    it once; the same connection sends again once the database is back."""
    anna = UserFactory(first_name="Anna", email="anna@voorbeeld.nl")
    group = GroupFactory(slug="outage")
    MembershipFactory(group=group, user=anna, role="owner")
    room = chat_services.room_for_group(group)
    headers = {"Cookie": session_cookie(anna)}
    ws_url = server.url.replace("http://", "ws://") + "/ws/chat/"

    async def journey():
        async with ws_connect(ws_url, additional_headers=headers, origin=server.url) as socket:
            await socket.send(json.dumps({"type": "subscribe", "room": room.pk}))
            await _reply(socket, "subscribed")

            postgres_proxy.cut()
            for n in range(5):
                send = {"type": "send", "room": room.pk, "client_id": f"c{n}", "body": "hallo"}
                await socket.send(json.dumps(send))
                error = await _reply(socket, "error", "ack")
                assert error["type"] == "error", error
                assert (error["code"], error["client_id"]) == ("unavailable", f"c{n}")
            # A new connection cannot sign in from its session: try again later.
            with pytest.raises(InvalidStatus) as refused:
                async with ws_connect(ws_url, additional_headers=headers, origin=server.url):
                    pass
            assert refused.value.response.status_code == 503
            assert refused.value.response.headers["Retry-After"].isdigit()

            postgres_proxy.restore()
            for _ in range(100):  # the first sends may meet the broken connection once more
                await socket.send(json.dumps({**send, "client_id": "again"}))
                reply = await _reply(socket, "error", "ack")
                if reply["type"] == "ack":
                    return reply
                await asyncio.sleep(0.2)
            raise AssertionError("no send acknowledged after the database came back")

    ack = async_to_sync(journey)()
    assert ack["client_id"] == "again"
    assert list(Message.objects.values_list("client_id", flat=True)) == ["again"]
    log = server.log.read_text()
    assert "Traceback" not in log, server.log_tail()
    assert log.count("database unavailable") == 1, server.log_tail()
    assert log.count("database answers again") == 1, server.log_tail()


# The middleware alone, on any database (no outage needed): a view that meets an unreachable
# database gets the 503 page, any other error still the 500 page.


@pytest.fixture
def failing_client(settings, site_host):
    settings.ROOT_URLCONF = "tests.reliability.urls"
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_database_error_in_a_view_is_a_503(failing_client, t):
    response = failing_client.get("/gone/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert t("Temporarily unavailable", "en") in body
    assert "Connection refused" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_other_errors_stay_500(failing_client):
    response = failing_client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
