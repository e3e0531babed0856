import os

import pytest
from django.conf import settings
from django.core.cache import cache


def require_service(name: str, available: bool, reason: str = ""):
    """Skip a test whose service is absent; under CI=true an absent service is a failure."""
    if available:
        return
    message = f"{name} is not available{': ' + reason if reason else ''}"
    if settings.MEENT_REQUIRE_SERVICES or os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: tests that need a service fail instead of skipping)")
    pytest.skip(message)


def _clear_cache():
    """With Redis, only this suite's cache keys go (by prefix), of every version: Wagtail keeps
    its sites' root paths under version 2, and a stale one (made while a rolled-back test had
    other sites) gives pages addresses on another host. A FLUSHDB would also wipe whatever else
    shares the database, such as a channel layer in use by another process."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    if get_client is None:
        cache.clear()
        return
    from django_redis.client.default import glob_escape

    redis = get_client(write=True)
    keys = list(redis.scan_iter(match=f"{glob_escape(cache.key_prefix)}:[0-9]*:*", count=1000))
    if keys:
        redis.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, sites and themes live in the cache: no test inherits another's."""
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture
def site_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return "testserver"
