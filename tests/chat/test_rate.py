"""The per-sender chat limit is a sliding window: no burst of twice the rate across a window's
boundary, and refused messages do not count."""

from datetime import UTC, datetime, timedelta

import pytest

from chat import services
from chat.services import ChatError, check_rate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WINDOW_START = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)  # a multiple of 60 s


@pytest.fixture
def clock(monkeypatch, settings):
    settings.MEENT_CHAT_RATE = 2
    settings.MEENT_CHAT_RATE_WINDOW = 60
    moment = {"now": WINDOW_START}
    monkeypatch.setattr(services.timezone, "now", lambda: moment["now"])

    def at(seconds):
        moment["now"] = WINDOW_START + timedelta(seconds=seconds)

    return at


def allowed(user):
    try:
        check_rate(user)
    except ChatError as error:
        assert error.code == "rate_limited"
        return False
    return True


def test_the_rate_within_one_window(clock):
    person = UserFactory()
    clock(1)
    assert [allowed(person) for _ in range(3)] == [True, True, False]


def test_no_burst_across_the_boundary_of_a_window(clock):
    person = UserFactory()
    clock(58)
    assert [allowed(person), allowed(person)] == [True, True]
    clock(61)  # a new fixed window, but the two messages are 3 s old
    assert not allowed(person)
    clock(90)  # half of the previous window still overlaps: 1 + 2 * 0.5 = 2
    assert allowed(person)
    assert not allowed(person)


def test_the_limit_lifts_as_the_window_slides(clock):
    person = UserFactory()
    clock(0)
    assert [allowed(person), allowed(person)] == [True, True]
    clock(125)  # two windows later: nothing overlaps
    assert [allowed(person), allowed(person), allowed(person)] == [True, True, False]


def test_refused_messages_do_not_count(clock):
    person = UserFactory()
    clock(10)
    assert [allowed(person), allowed(person)] == [True, True]
    for _ in range(10):
        assert not allowed(person)
    clock(100)  # 2 * (1 - 40/60) = 0.67 of the previous window overlaps; the refusals don't
    assert allowed(person)


def test_senders_are_counted_apart(clock):
    first, second = UserFactory(), UserFactory()
    clock(5)
    assert [allowed(first), allowed(first), allowed(first)] == [True, True, False]
    assert allowed(second)
