"""daphne's settings in the outage tests: the test settings, with connections kept between
requests as in production (meent/settings/test.py closes them after each use), so that recovery
from a database outage is proved for a broken persistent connection too."""

from meent.settings.test import *  # noqa: F401,F403
from meent.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
