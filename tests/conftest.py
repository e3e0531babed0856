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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: no test inherits another's.

    With Redis, only this suite's keys go (by prefix): a FLUSHDB would also wipe whatever else
    shares the database, such as a channel layer in use by another process.
    """
    clear = getattr(cache, "delete_pattern", None)
    if clear is not None:
        clear("*")
    else:
        cache.clear()
    yield
    if clear is not None:
        clear("*")
    else:
        cache.clear()


@pytest.fixture
def site_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return "testserver"
