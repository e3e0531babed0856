"""Rate limits of our own (chat messages, group invitations), in Django's shared cache.

A sliding window: the count of the current fixed window plus the previous window's count, weighted
by how much of the previous window still overlaps the last ``window`` seconds. (A plain fixed
window lets a client spend twice the limit across a boundary, and makes the limit depend on when
the window happened to start.) The counters live in the cache, Redis in production, so every
server process counts the same attempts. An attempt that is refused does not count.

    if not ratelimit.hit(f"invitations:{user.pk}", limit=30, window=3600, cost=3):
        ...  # refuse; nothing was counted

allauth has its own limits for sign-in, sign-up and password resets (ACCOUNT_RATE_LIMITS).
"""

from contextlib import suppress

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

PREFIX = "ratelimit"


def _buckets(key, window):
    now = timezone.now().timestamp()
    bucket = int(now // window)
    overlap = 1 - (now - bucket * window) / window
    current = f"{PREFIX}:{key}:{window}:{bucket}"
    previous = f"{PREFIX}:{key}:{window}:{bucket - 1}"
    return current, previous, overlap


def _weighted(current_count, previous_count, overlap):
    return current_count + previous_count * overlap


def check(key, limit, window):
    """How many more attempts ``key`` may make now (0 when it is limited); counts nothing."""
    current, previous, overlap = _buckets(key, window)
    counts = cache.get_many([current, previous])
    used = _weighted(counts.get(current, 0), counts.get(previous, 0), overlap)
    return max(0, int(limit - used))


def hit(key, limit, window, cost=1):
    """Count ``cost`` attempts for ``key`` if they fit within ``limit`` per ``window`` seconds.

    Returns True when they were counted (allowed), False when they would go over the limit;
    a refused hit counts nothing, and a batch is counted whole or not at all. The increment is
    atomic in the cache, so concurrent hits never both take the last place.
    """
    if cost <= 0:
        return True
    current, previous, overlap = _buckets(key, window)
    cache.add(current, 0, timeout=window * 2)
    try:
        count = cache.incr(current, cost)
    except ValueError:  # the key expired between add and incr
        cache.set(current, cost, timeout=window * 2)
        count = cost
    if count is None:
        # The cache is away (Redis down; its errors are ignored so that pages keep working):
        # nothing can be counted, and people can still post until it is back.
        return True
    if _weighted(count, cache.get(previous, 0) or 0, overlap) > limit:
        with suppress(ValueError):  # expired meanwhile: nothing to take back
            cache.decr(current, cost)
        return False
    return True


def refund(key, window, cost=1):
    """Take back ``cost`` attempts counted by ``hit`` (e.g. a batch that was not sent after all)."""
    if cost <= 0:
        return
    current, _previous, _overlap = _buckets(key, window)
    if cache.get(current, 0) < cost:
        return  # counted in a window that has passed: it only weighs less and less
    with suppress(ValueError):  # expired meanwhile: nothing left to take back
        cache.decr(current, cost)


def client_ip(request) -> str:
    """The visitor's address as allauth reads it (ALLAUTH_TRUSTED_PROXY_COUNT behind proxies),
    for limits on people who are not signed in; "" when it cannot be told."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""
