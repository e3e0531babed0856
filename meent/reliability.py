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
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from meent import outages

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
_MARK = "_meent_database_down"


def is_database_down(error):
    return isinstance(error, outages.DATABASE_DOWN)


@receiver(got_request_exception, dispatch_uid="meent.reliability.mark")
def _mark(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and is_database_down(error):
        setattr(request, _MARK, True)
        outages.failed(outages.DATABASE, error)


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
        except outages.DATABASE_DOWN as error:
            # The 500 handler itself failed on the database (its context needs the user).
            outages.failed(outages.DATABASE, error)
            return service_unavailable(request)
        if getattr(request, _MARK, False):
            if response.status_code == 500:
                return service_unavailable(request)
        else:
            outages.recovered(outages.DATABASE)
        return response


# A WebSocket that meets an outage after its handshake is closed with 4503, "try again later", as a
# 503 with Retry-After tells a browser (as 4401 and 4403 mirror 401 and 403 in the chat). The
# registered 1013 would say the same, but some servers (daphne) let an application close only with
# 1000 or 3000-4999.
CLOSE_TRY_AGAIN_LATER = 4503
_DENIAL = "websocket.http.response"


class WebSocketOutageGuard:
    """ASGI middleware for WebSockets: when the database or Redis is down while a connection is
    set up (signing in from the session, joining the channel layer) or served, the client is
    told to try again later instead of getting a server error, and the outage is logged once
    (meent/outages.py).

    Before the handshake: a 503 with Retry-After where the server speaks the WebSocket denial
    response extension, otherwise the handshake completes and the socket closes at once with
    4503 (the browser sees a failed handshake only as 1006, which says nothing)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        state = {"accepted": False, "closed": False}

        async def watched_send(message):
            if message["type"] == "websocket.accept":
                state["accepted"] = True
            elif message["type"] in ("websocket.close", f"{_DENIAL}.start"):
                state["closed"] = True
            await send(message)
            if message["type"] == "websocket.accept":
                # Setting up a connection needs both: they answer again, if they were down.
                outages.recovered(outages.DATABASE)
                outages.recovered(outages.REDIS)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as error:
            if not outages.counted(error):
                raise
            if state["closed"]:
                return
            if not state["accepted"] and _DENIAL in scope.get("extensions", {}):
                await send(
                    {
                        "type": f"{_DENIAL}.start",
                        "status": 503,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                        ],
                    }
                )
                await send({"type": f"{_DENIAL}.body", "body": b"Try again shortly.\n"})
                return
            if not state["accepted"]:
                await send({"type": "websocket.accept"})
            await send(
                {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": "try again"}
            )
