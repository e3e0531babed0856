"""A request id on every log line of a request, and on its response.

The proxy names each request (nginx: `proxy_set_header X-Request-ID $request_id;`, in
deploy/nginx/meent.conf), so one id finds a request in nginx's log and in every app process's;
without a proxy, or with an id that is not a short token, Meent makes one. ``RequestIdMiddleware``
keeps it in a context variable for the request (Django carries context variables into the
threads that run sync code) and sends it back as ``X-Request-ID``; ``RequestIdLogFilter`` puts it
on every log record as ``request_id`` ("-" outside a request). With ``LOG_FORMAT=json`` each line
is a JSON object (python-json-logger) with it.
"""

import contextlib
import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# What a proxy may name a request: nginx's $request_id is 32 hex digits; allow common id shapes,
# never anything that could break a log line.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current = contextvars.ContextVar("meent_request_id", default="-")


def current():
    """The id of the request being handled here, or "-"."""
    return _current.get()


@contextlib.contextmanager
def bound(request_id):
    """Log lines made inside carry ``request_id`` (the worker: a task's id)."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def _from_proxy(request):
    value = request.headers.get(HEADER, "")
    return value if _ACCEPTED.fullmatch(value) else None


class RequestIdMiddleware:
    """Keep this first: every later middleware's log lines carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _from_proxy(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current()
        return True
