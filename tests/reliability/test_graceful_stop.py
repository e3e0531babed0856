"""A server asked to stop (SIGTERM: a deploy, a container platform) while it serves: it stops
accepting, finishes the HTTP requests in flight, closes WebSockets with 1012 "service restart" so
the chat reconnects elsewhere, logs what it stopped with, and exits within MEENT_SHUTDOWN_SECONDS;
a request that hangs is cut at that bound and the process still exits (config/serve.py). daphne,
which served Meent before, kept running for minutes after SIGTERM under load."""

import asyncio
import json
import signal
import subprocess
import threading

import pytest
import requests
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from .proxy import wait_for

pytestmark = pytest.mark.services

IN_FLIGHT = 8
SHUTDOWN_SECONDS = 6
# The bound the test holds the process to: the drain, plus starting and logging.
EXIT_BOUND_S = SHUTDOWN_SECONDS + 15


@pytest.fixture
def serve(start_server, tmp_path, settings):
    def start():
        folder = tmp_path / "slow"
        folder.mkdir(exist_ok=True)
        return start_server(
            DJANGO_SETTINGS_MODULE="tests.reliability.serving_settings",
            SLOW_PAGE_DIR=str(folder),
            MEENT_SHUTDOWN_SECONDS=str(SHUTDOWN_SECONDS),
        ), folder

    return start


def requests_in_flight(server, seconds, count):
    """``count`` GETs of the slow page, each in a thread; their outcomes as they end."""
    outcomes = []

    def get():
        try:
            response = requests.get(f"{server.url}/slow/?seconds={seconds}", timeout=60)
            outcomes.append((response.status_code, response.text))
        except requests.RequestException as error:
            outcomes.append((None, type(error).__name__))

    threads = [threading.Thread(target=get) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, outcomes


def stop_and_wait(server):
    server.process.send_signal(signal.SIGTERM)
    try:
        return server.process.wait(timeout=EXIT_BOUND_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {EXIT_BOUND_S} s after SIGTERM:\n{server.log_tail()}")


def test_a_stopped_server_finishes_its_requests_closes_sockets_to_reconnect_and_exits(
    serve, member
):
    server, started = serve()
    ws_url = server.url.replace("http://", "ws://") + "/ws/chat/"

    async def journey():
        async with ws_connect(
            ws_url, additional_headers={"Cookie": member["cookie"]}, origin=server.url
        ) as socket:
            await socket.send(json.dumps({"type": "subscribe", "room": member["room"].pk}))
            while json.loads(await socket.recv())["type"] != "subscribed":
                pass
            threads, outcomes = requests_in_flight(server, 2, IN_FLIGHT)
            await asyncio.to_thread(
                wait_for,
                lambda: len(list(started.iterdir())) == IN_FLIGHT,
                message="every slow request started",
            )
            exit_code = await asyncio.to_thread(stop_and_wait, server)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(socket.recv(), EXIT_BOUND_S)
            for thread in threads:
                thread.join(timeout=EXIT_BOUND_S)
            return exit_code, closed.value.rcvd, outcomes

    exit_code, close, outcomes = asyncio.run(journey())
    # uvicorn ends by the signal it was stopped with, after its shutdown: the status a process
    # manager expects of a clean stop.
    assert exit_code == -signal.SIGTERM, server.log_tail()
    # The chat client reconnects after a short random delay (chat/frontend/socket.js).
    assert close is not None and close.code == 1012, close
    # Every request the server had accepted was answered in full.
    assert outcomes == [(200, "finished")] * IN_FLIGHT, outcomes
    # Nothing new is accepted once it stops.
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/healthz", timeout=5)
    log = server.log.read_text()
    assert "Traceback" not in log, server.log_tail()
    assert "1 of them WebSockets" in log, server.log_tail()
    assert f"{IN_FLIGHT + 1} requests in flight" in log, server.log_tail()
    assert "0 left unfinished" in log, server.log_tail()
    assert "Finished server process" in log, server.log_tail()


def test_a_request_that_hangs_is_cut_at_the_bound_and_the_server_still_exits(serve):
    server, started = serve()
    threads, outcomes = requests_in_flight(server, 120, 1)
    wait_for(lambda: len(list(started.iterdir())) == 1, message="the hanging request started")
    stop_and_wait(server)
    threads[0].join(timeout=EXIT_BOUND_S)
    assert outcomes and outcomes[0][0] != 200, outcomes
    log = server.log.read_text()
    assert "1 left unfinished" in log or "Cancel 1 running task" in log, server.log_tail()
