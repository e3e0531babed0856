"""Two checks for whoever runs Meent: /livez, whether this process answers at all (restart it if
not), and /healthz, the readiness: the state of every service the running configuration depends
on (send it traffic only while it answers 200)."""

import asyncio
import logging
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from search.backends import get_search_backend

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("the cache did not return what was stored")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


async def _channel_layer_round_trip():
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT_SECONDS)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("the channel layer returned another message")


def check_channel_layer():
    async_to_sync(_channel_layer_round_trip)()
    return {"backend": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_search():
    backend = get_search_backend()
    backend.ping()
    return {"backend": backend.name}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "search": check_search,
}


@require_safe
@never_cache
def livez(request):
    """Liveness: the process answers requests. It asks no service on purpose: with the database
    or Redis down every process is unready (/healthz), and restarting them all would not help."""
    return JsonResponse({"status": "alive"})


@never_cache
def healthz(request):
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            results[name] = {"status": "ok", **detail}
        except Exception as error:  # noqa: BLE001 - any failure means "down", with its reason
            healthy = False
            # The answer is public (the proxy passes /healthz on): the kind of error only; its
            # text, which may name hosts, users and ports, goes to the log.
            results[name] = {"status": "down", "error": type(error).__name__}
            logger.warning("Readiness: %s is down (%s: %s)", name, type(error).__name__, error)
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": results},
        status=200 if healthy else 503,
    )
