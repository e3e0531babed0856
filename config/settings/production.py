"""Production: everything from the environment; refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured
from marshmallow.validate import OneOf

from .base import *  # noqa: F401,F403
from .env import env

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment (a long random string).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True  # HttpOnly and SameSite=Lax come from base.py
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
}
# /media/ comes from the proxy, which must send every file with nosniff and a sandbox CSP, serve
# only raster images inline and never serve /media/documents/ or /media/wiki/ (those go through
# views that check access): README, "Serving uploaded files". Upload limits are in base.py.

# Background work runs in the worker (`manage.py run_worker`), not in the request that queued it.
TASK_BACKEND = env.str("TASK_BACKEND", default="database", validate=OneOf(list(TASK_BACKENDS)))  # noqa: F405
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}  # noqa: F405
