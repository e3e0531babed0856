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
# Prometheus scrapes each app process directly, over the private network, not through the proxy
# (which refuses /metrics): a redirect to https:// would send it to the proxy. The same for the
# health checks of a process manager or Kubernetes, which ask the process over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^metrics$", r"^livez$", r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True  # HttpOnly and SameSite=Lax come from base.py
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Static files are named after their content and compressed once, at collectstatic (each file
# beside its .gz): the proxy serves them as they are (nginx's gzip_static), and where no proxy
# serves /static/ (a Kubernetes Ingress, a container alone) the app processes do, with WhiteNoise:
# hashed names cached for a year, the compressed file for whoever accepts it. Behind nginx no
# /static/ request reaches it. README, "Deploying".
STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
# After the security headers, so a static file has them too (CSP, Permissions-Policy).
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("meent.security.SecurityHeadersMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# /media/ comes from the proxy, which must send every file with nosniff and a sandbox CSP, serve
# only raster images inline and never serve /media/documents/ or /media/wiki/ (those go through
# views that check access): README, "Serving uploaded files". Upload limits are in base.py.

# Background work runs in the worker (`manage.py run_worker`), not in the request that queued it.
TASK_BACKEND = env.str("TASK_BACKEND", default="database", validate=OneOf(list(TASK_BACKENDS)))  # noqa: F405
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}  # noqa: F405
