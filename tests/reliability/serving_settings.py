"""The outage tests' settings with a slow page (tests/reliability/serving_urls.py)."""

from tests.reliability.settings import *  # noqa: F401,F403

ROOT_URLCONF = "tests.reliability.serving_urls"
