"""Development and the demo: the embedded default, with debugging on."""

from .base import *  # noqa: F401,F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
MEENT_SERVE_FILES = env.bool("MEENT_SERVE_FILES", default=True)
