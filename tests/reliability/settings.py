"""the server's settings in the outage tests: the test settings, with connections kept between
requests as in production (config/settings/test.py closes them after each use), so that recovery
from a database outage is proved for a broken persistent connection too."""

from config.settings.test import *  # noqa: F401,F403
from config.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
