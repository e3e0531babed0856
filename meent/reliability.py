"""When the database is unreachable, people get a clean 503 ("try again shortly"), not a 500.

Django turns an exception into a response at every middleware layer, so no middleware sees the
exception itself of a layer inside it (a session or site lookup, the view). What every layer does
send is ``got_request_exception``, with the request, while the exception is being handled: the
receiver below marks the request, and ``DatabaseUnavailableMiddleware`` replaces the resulting
500 with the 503 page. Nothing here needs the database, so it works while it is gone; the next
request connects again (CONN_HEALTH_CHECKS drops a broken persistent connection), no restart.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# Database errors that mean "cannot reach it" (not a bad query): connection refused or lost.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_MARK = "_meent_database_down"


def is_database_down(error):
    return isinstance(error, DATABASE_DOWN)


@receiver(got_request_exception, dispatch_uid="meent.reliability.mark")
def _mark(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and is_database_down(error):
        setattr(request, _MARK, True)


def service_unavailable(request):
    """The 503 page, in the person's language, from the request alone (no session, no user:
    those need the database)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        content = render_to_string("503.html", {"path": request.get_full_path()})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A proxy must not keep serving the outage once the database is back.
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseUnavailableMiddleware:
    """Keep this above every middleware that may use the database (sessions, sites...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_DOWN:
            # The 500 handler itself failed on the database (its context needs the user).
            logger.warning("Database unavailable: %s", request.path, exc_info=True)
            return service_unavailable(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return service_unavailable(request)
        return response
