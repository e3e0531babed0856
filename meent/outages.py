"""While a service is down, one log line when it goes and one when it is back, not a traceback
per request.

An outage of the database or Redis makes every request that needs it fail the same way; a
traceback for each (Django's request log, django-redis's ignored errors, the WebSocket server)
buried the one line an operator needs: an outside fault test counted about 210 tracebacks per
process in 11 seconds of Redis being down. Here each process says once that a service is
unavailable, counts what failed meanwhile, and says when it answers again and how many failed:

    database unavailable (OperationalError: connection refused); counting failures until it answers
    database answers again after 12 s; 77 requests failed meanwhile

``failed(service, error)`` and ``recovered(service)`` are called where the failure and the next
success are seen; ``OutageLogFilter`` (in LOGGING, on every handler) turns a log record whose
exception is an outage into a count. ``RedisCache`` is django-redis's cache telling both.
"""

import logging
import threading
import time

import redis.exceptions
from django.db import InterfaceError, OperationalError
from django_redis.cache import RedisCache as _DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("meent.outages")

DATABASE = "database"
REDIS = "Redis"
# Errors that mean "cannot reach it" (not a bad query or command): connection refused or lost.
DATABASE_DOWN = (OperationalError, InterfaceError)
_REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_lock = threading.Lock()
_down = {}  # service -> [since (monotonic seconds), failures]


def service_of(error):
    """Which service ``error`` says is unreachable (None: it is not an outage)."""
    if isinstance(error, ConnectionInterrupted):
        error = error.__cause__
    if isinstance(error, DATABASE_DOWN):
        return DATABASE
    if isinstance(error, _REDIS_DOWN):
        return REDIS
    return None


def failed(service, error):
    """``service`` failed a request: the first failure of an outage is logged, the rest counted."""
    with _lock:
        state = _down.get(service)
        if state is not None:
            state[1] += 1
            return
        _down[service] = [time.monotonic(), 1]
    logger.warning(
        "%s unavailable (%s: %s); counting failures until it answers",
        service,
        type(error).__name__,
        str(error).strip().splitlines()[0][:200] if str(error).strip() else "",
    )


def counted(error):
    """Whether ``error`` is an outage; if so it is counted (``failed``), so that the caller
    answers "try again" instead of raising and logging it. False: a real error, the caller's."""
    service = service_of(error)
    if service is None:
        return False
    failed(service, error)
    return True


def recovered(service):
    """``service`` answered: the end of its outage, if there was one, is logged."""
    if service not in _down:  # the usual case, without taking the lock
        return
    with _lock:
        state = _down.pop(service, None)
    if state is not None:
        logger.warning(
            "%s answers again after %d s; %d requests failed meanwhile",
            service,
            round(time.monotonic() - state[0]),
            state[1],
        )


def is_down(service):
    return service in _down


class OutageLogFilter(logging.Filter):
    """Drops a record whose exception is an outage, counting it instead (see ``failed``)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not counted(error)


class _Watched:
    """A django-redis client whose calls report Redis failing and answering again."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                failed(REDIS, error.__cause__ or error)
                raise
            recovered(REDIS)
            return result

        return call


class RedisCache(_DjangoRedisCache):
    """django-redis's cache, which (with IGNORE_EXCEPTIONS) misses while Redis is down; it tells
    this module rather than logging a traceback for every cache call."""

    @property
    def client(self):
        return _Watched(super().client)
