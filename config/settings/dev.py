"""The demo and local development: the embedded default, run like the product.

DEBUG stays off unless a developer asks for it (``DEBUG=true``): a newcomer's `make demo` must
show Meent's own 404/403/500 pages, never Django's debug pages with URL patterns, tracebacks and
settings.
"""

from .base import *  # noqa: F401,F403
from .env import env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
MEENT_SERVE_FILES = env.bool("MEENT_SERVE_FILES", default=True)
