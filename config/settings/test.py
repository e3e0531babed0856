"""The test suite: the embedded default, or PostgreSQL and Redis when their URLs are set."""

import os

from .base import *  # noqa: F401,F403
from .env import BASE_DIR, env

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEENT_SERVE_FILES = True
# Tests that need a service fail instead of skipping when CI=true.
MEENT_REQUIRE_SERVICES = env.bool("CI", default=False)
# Connections opened by database_sync_to_async threads close after each use, so the test
# database can be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the chat's browser journeys run the server in a subprocess (WebSockets need
    # ASGI), which must open the same test database. One file per test run (named after the
    # process), so that runs side by side never share one; Django removes it at the end. Each
    # pytest-xdist worker is a process of its own, and pytest-django appends its id (_gw0) too.
    _test_db_dir = BASE_DIR / "var"
    _test_db_dir.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db_dir / f"test-{os.getpid()}.sqlite3")}
# Rate-limit counters live in the cache; each test starts with a fresh one (see conftest).
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Separate from a development instance on the same Redis; REDIS_PREFIX isolates parallel runs.
    # pytest-xdist's workers (PYTEST_XDIST_WORKER: gw0, gw1, ...) each get keys of their own, as
    # each gets a test database of its own; the server a test starts inherits the variable and so
    # shares its worker's keys.
    _redis_prefix = env.str("REDIS_PREFIX", default="meent-test")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _redis_prefix += f"-{os.environ['PYTEST_XDIST_WORKER']}"
    CACHES["default"]["KEY_PREFIX"] = _redis_prefix
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = _redis_prefix
