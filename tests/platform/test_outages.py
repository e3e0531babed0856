"""An outage is logged once when it starts and once when it ends, with the count of what failed
(meent/outages.py), and a WebSocket that meets one is told to try again later
(meent/reliability.py WebSocketOutageGuard). The real outages, with the server behind a cut proxy, are
in tests/reliability/."""

import logging

import pytest
from asgiref.sync import async_to_sync
from django.db import OperationalError

from meent import outages
from meent.reliability import CLOSE_TRY_AGAIN_LATER, WebSocketOutageGuard
from tests import processes


@pytest.fixture(autouse=True)
def no_outage():
    outages._down.clear()
    yield
    outages._down.clear()


def lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "meent.outages"]


def test_an_outage_is_one_line_when_it_starts_and_one_with_the_count_when_it_ends(caplog):
    caplog.set_level(logging.WARNING, logger="meent.outages")
    outages.recovered(outages.DATABASE)  # nothing was down: nothing to say
    for _ in range(50):
        outages.failed(outages.DATABASE, OperationalError("connection refused\nmore detail"))
    assert outages.is_down(outages.DATABASE)
    outages.recovered(outages.DATABASE)
    outages.recovered(outages.DATABASE)
    said = lines(caplog)
    assert len(said) == 2, said
    assert said[0].startswith("database unavailable (OperationalError: connection refused)")
    assert said[1].startswith("database answers again after ")
    assert said[1].endswith("50 requests failed meanwhile")
    assert not outages.is_down(outages.DATABASE)


def test_the_log_filter_counts_outage_tracebacks_and_lets_the_rest_through():
    keep = outages.OutageLogFilter()

    def record(error):
        try:
            raise error
        except Exception as raised:
            return logging.LogRecord(
                "django.request",
                logging.ERROR,
                __file__,
                1,
                "Internal Server Error",
                (),
                (type(raised), raised, raised.__traceback__),
            )

    assert keep.filter(record(OperationalError("down"))) is False
    assert keep.filter(record(OperationalError("down"))) is False
    assert outages._down[outages.DATABASE][1] == 2
    assert keep.filter(record(ValueError("a bug"))) is True
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    assert keep.filter(plain) is True


def test_the_cache_misses_quietly_while_redis_is_unreachable(settings, caplog):
    from django.core.cache import caches

    caplog.set_level(logging.DEBUG)
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "meent.outages.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{processes.free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        },
    }
    cache = caches["unreachable"]
    for n in range(20):
        assert cache.get(f"key-{n}", "missed") == "missed"
        cache.set(f"key-{n}", n)
    assert [line for line in lines(caplog) if "Redis unavailable" in line] == [lines(caplog)[0]]
    assert len(lines(caplog)) == 1
    assert not [r for r in caplog.records if r.exc_info], "no traceback"
    assert outages._down[outages.REDIS][1] == 40


# --- WebSockets ---------------------------------------------------------------------------------


def run_guarded(app, extensions=None):
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/ws/chat/", "extensions": extensions or {}}
    async_to_sync(WebSocketOutageGuard(app))(scope, receive, send)
    return sent


async def down_before_accept(scope, receive, send):
    raise OperationalError("connection refused")


async def down_after_accept(scope, receive, send):
    await send({"type": "websocket.accept"})
    raise OperationalError("connection refused")


def test_a_socket_that_meets_an_outage_before_the_handshake_is_told_to_try_again_later():
    assert run_guarded(down_before_accept) == [
        {"type": "websocket.accept"},
        {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": "try again"},
    ]
    # Where the server can answer the handshake with HTTP: a 503 with Retry-After.
    start, body = run_guarded(down_before_accept, {"websocket.http.response": {}})
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 503
    assert dict(start["headers"])[b"retry-after"].isdigit()
    assert body["type"] == "websocket.http.response.body"


def test_a_socket_that_meets_an_outage_later_is_closed_with_try_again_later():
    assert run_guarded(down_after_accept) == [
        {"type": "websocket.accept"},
        {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": "try again"},
    ]


def test_other_errors_are_not_hidden():
    async def bug(scope, receive, send):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        run_guarded(bug)
