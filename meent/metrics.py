"""Prometheus metrics of this process: HTTP requests, WebSocket connections, and the exposition.

What is measured here, in the core (no app is imported):

* ``meent_http_requests_total{method,status}`` and ``meent_http_request_duration_seconds{method,
  view}`` (``MetricsMiddleware``, second in MIDDLEWARE: every answer is counted, also a 503 of an
  outage or a 400 of a bad path). Labels stay bounded whatever a client sends: the method is one
  of the HTTP methods or "other", the view is the URL pattern's name (``resolver_match.
  view_name``: Wagtail's pages are all "wagtail_serve") or "unmatched", never the path.
* ``meent_websocket_connections`` (open now) and ``meent_websocket_connections_accepted_total``
  (``WebSocketMetrics``, the outermost layer of config/asgi.py's WebSocket side, so every
  WebSocket counts, whichever route). The counter cannot be ``meent_websocket_connections_total``:
  Prometheus names a counter's family without ``_total``, which would be the gauge's name.

config/metrics.py serves them at /metrics with what the wiring adds (the task queue, read from
the database at scrape time) through ``exposition()``.

Several processes: by default each process keeps its own numbers and Prometheus scrapes each one
(one target per process or pod). With ``PROMETHEUS_MULTIPROC_DIR`` set (a directory that the
server processes of one machine share, emptied before they start) prometheus_client's
multiprocess mode writes every process's numbers there and any one process answers for all of
them; the environment variable is read when prometheus_client is first imported, so it must be
set before the process starts.
"""

import atexit
import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.exposition import choose_encoder

# Read once, as prometheus_client itself does when it is imported (values.get_value_class).
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
# Seconds. Pages take tens of milliseconds; an export or a slow search a few seconds; beyond 10 s
# the proxy or the person has given up.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "meent_http_requests_total",
    "HTTP requests answered, by method and status.",
    ["method", "status"],
)
HTTP_DURATION = Histogram(
    "meent_http_request_duration_seconds",
    "Time from the request reaching Django's middleware to its answer, by method and view.",
    ["method", "view"],
    buckets=DURATION_BUCKETS,
)
WEBSOCKETS_OPEN = Gauge(
    "meent_websocket_connections",
    "WebSocket connections open now.",
    # Multiprocess: the sum over the processes that run (their files go when they exit).
    multiprocess_mode="livesum",
)
WEBSOCKETS_ACCEPTED = Counter(
    "meent_websocket_connections_accepted_total",
    "WebSocket connections accepted since the process started.",
)


def method_label(method):
    """The request's method, or "other": a client may send any token as a method."""
    return method if method in METHODS else "other"


def view_label(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNMATCHED


class MetricsMiddleware:
    """Counts and times every request (sync, as the request-id middleware beside it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = method_label(request.method)
        HTTP_DURATION.labels(method, view_label(request)).observe(time.perf_counter() - started)
        HTTP_REQUESTS.labels(method, str(response.status_code)).inc()
        return response


class WebSocketMetrics:
    """ASGI middleware: a WebSocket is open from its accept until its application returns (the
    client left, the server closed it, or the process stops and cancels it)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        accepted = False

        async def counting_send(message):
            nonlocal accepted
            await send(message)
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                WEBSOCKETS_OPEN.inc()
                WEBSOCKETS_ACCEPTED.inc()

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                WEBSOCKETS_OPEN.dec()


class _Together:
    """Several collectors as one, for an encoder (which only calls ``collect()``)."""

    def __init__(self, collectors):
        self.collectors = collectors

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def exposition(accept="", extra=()):
    """(body, content type) of this process's metrics, or every process's of the machine in
    multiprocess mode, followed by those of the ``extra`` collectors (each collected now), in
    the format the scraper's Accept header asks for (Prometheus text or OpenMetrics)."""
    if MULTIPROCESS_DIR:
        source = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(source, path=MULTIPROCESS_DIR)
    else:
        source = REGISTRY
    encoder, content_type = choose_encoder(accept)
    return encoder(_Together([source, *extra])), content_type


if MULTIPROCESS_DIR:
    # A process that stops takes its live gauges (the open WebSockets) out of the sum.
    atexit.register(prometheus_multiprocess.mark_process_dead, os.getpid(), MULTIPROCESS_DIR)
