"""One ASGI application for HTTP and WebSockets, served by the server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Django must be set up before anything imports models (the consumers, the auth middleware).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from meent.metrics import WebSocketMetrics  # noqa: E402
from meent.reliability import WebSocketOutageGuard  # noqa: E402
from meent.security import SameOriginWebsocketValidator  # noqa: E402

http_app = django_asgi_app
if settings.MEENT_SERVE_FILES:
    # The demo runs with no proxy in front: the server serves the static files itself.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_app = ASGIStaticFilesHandler(django_asgi_app)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        # Every WebSocket is counted for /metrics while it is open (meent/metrics.py).
        # Only pages of this very origin (scheme, host and port) open a WebSocket here.
        # An outage while a socket is set up or served: "try again later", not a server error.
        "websocket": WebSocketMetrics(
            WebSocketOutageGuard(
                SameOriginWebsocketValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
            )
        ),
    }
)
