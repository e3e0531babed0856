import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.test import TransactionTestCase

# --- the flush after a transactional test ------------------------------------------------------
#
# Django ends every transactional test (live server, the server in a subprocess, threads with
# connections of their own) with `flush`: one TRUNCATE of all 113 tables and then the post_migrate
# signal, which recreates every content type and permission that the TRUNCATE removed (about 75
# transactions). That cost 3 to 5 s a test on 2 busy cores (load 5 to 8), for some 170 tests. On PostgreSQL the same clean slate comes cheaper: DELETE the rows of the tables that have
# any (a test leaves rows in a dozen tables or so; Django's foreign keys are DEFERRABLE INITIALLY
# DEFERRED, so the order does not matter), and keep the content types and permissions, which
# post_migrate would only make again as they were. The state after it is the state after Django's
# flush; if a test did change content types or permissions, post_migrate runs as Django's would.

#: What post_migrate recreates after a flush (contenttypes, auth, wagtail.snippets): kept.
_POST_MIGRATE_TABLES = ("django_content_type", "auth_permission")
_POST_MIGRATE_FINGERPRINT = (
    "SELECT (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM django_content_type),"
    " (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM auth_permission)"
)
_fingerprints = {}
_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _empty_tables(connection):
    """DELETE every row of the database's Django tables (but content types and permissions)."""
    quote = connection.ops.quote_name
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in _POST_MIGRATE_TABLES
    ]
    # Table names from Django's introspection of its own models, quoted: no input of anyone's.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
                for table in tables
            ),
            tables,
        )
        filled = [row[0] for row in cursor.fetchall()]
        if filled:
            cursor.execute("; ".join(f"DELETE FROM {quote(table)}" for table in filled))  # noqa: S608
        cursor.execute(_POST_MIGRATE_FINGERPRINT)
        fingerprint = cursor.fetchone()
    if _fingerprints.get(connection.alias) != fingerprint:
        # The first flush of this process (what the migrations made may lack a permission that
        # post_migrate adds), or a test changed content types or permissions: as Django's flush.
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        with connection.cursor() as cursor:
            cursor.execute(_POST_MIGRATE_FINGERPRINT)
            _fingerprints[connection.alias] = cursor.fetchone()


def _fixture_teardown(self):
    """TransactionTestCase's flush, cheaper on PostgreSQL (see above); Django's otherwise."""
    names = list(self._databases_names(include_mirrors=False))
    if (
        self.available_apps is not None
        or self.serialized_rollback
        or any(connections[name].vendor != "postgresql" for name in names)
    ):
        return _django_fixture_teardown(self)
    for name in names:
        _empty_tables(connections[name])


TransactionTestCase._fixture_teardown = _fixture_teardown


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
