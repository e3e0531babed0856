import os

import pytest
from django.conf import settings
from django.core.cache import cache


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (pyproject.toml), in pytest-django's order.

    pytest-django runs the tests on the database first, then the transactional ones (live server,
    the server), then the rest: a transactional test ends with a flush that also removes what the
    migrations put in (Wagtail's root page and collection, the locales), which the tests before it
    rely on. xdist's loadfile hands out whole files, biggest first, so a worker would run one file's
    transactional tests and then another file's database tests on a flushed database. Here a work
    unit is a run of one file's tests as they stand in pytest-django's order (a file's database
    tests and its transactional tests are two units), handed out in that order: each worker runs
    its share in the order of a one-process run, and a file's tests still share a worker, with its
    module-scoped world (the demo data, the server) built once as in a one-process run.
    """
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OrderedFileScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self.units = {}

        def schedule(self):
            if self.collection is None and self.collection_is_completed:
                previous, run = None, 0
                for nodeid in next(iter(self.registered_collections.values())):
                    path = nodeid.split("::", 1)[0]
                    if path != previous:
                        previous, run = path, run + 1
                    self.units[nodeid] = f"{path}#{run}"
            super().schedule()

        def _split_scope(self, nodeid):
            return self.units[nodeid]

    # In collection order, not biggest unit first (the order is the point).
    config.option.loadscopereorder = False
    return OrderedFileScheduling(config, log)


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
