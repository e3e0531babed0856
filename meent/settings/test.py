"""The test suite: the embedded default, or PostgreSQL and Redis when their URLs are set."""

from .base import *  # noqa: F401,F403
from .env import env

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
    DATABASES["default"]["TEST"] = {"NAME": "file:meent-test?mode=memory&cache=shared"}
# Rate-limit counters live in the cache; each test starts with a fresh one (see conftest).
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES["default"]["KEY_PREFIX"] = "meent-test"
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "meent-test"
