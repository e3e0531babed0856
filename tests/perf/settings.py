"""Settings for `make bench`: the development settings as a deployment would run them.

DEBUG is off (DEBUG keeps every SQL query in memory and renders technical error pages) and the
benchmark-only views are on. Everything else, including the database, comes from the environment
that `tests.perf.bench` prepares (a throw-away SQLite file, no Redis, no Elasticsearch).
"""

from config.settings.dev import *  # noqa: F401,F403

DEBUG = False
MEENT_BENCHMARK_VIEWS = True
