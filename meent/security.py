"""Security headers on every response, ``/.well-known/security.txt`` (RFC 9116), and the
same-origin check of WebSocket handshakes.

The policies themselves are settings (``MEENT_CSP``, ``MEENT_CSP_ADMIN``,
``MEENT_PERMISSIONS_POLICY``), so that an operator can change them without touching code. The
rest of the headers (HSTS, nosniff, Referrer-Policy, X-Frame-Options) come from Django's own
SecurityMiddleware and XFrameOptionsMiddleware, configured in ``config/settings``.
"""

import logging
import re
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _admin_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "MEENT_CSP_ADMIN_PATHS", ("/admin/", "/django-admin/")))


def content_security_policy(path: str) -> str:
    """The Content-Security-Policy for a request to ``path``: the admin's or the public site's."""
    if path.startswith(_admin_paths()):
        return settings.MEENT_CSP_ADMIN
    return settings.MEENT_CSP


class SecurityHeadersMiddleware:
    """Sets Content-Security-Policy and Permissions-Policy unless the view set its own.

    A view that needs a stricter policy (the wiki's attachment download sends
    ``default-src 'none'; sandbox``) sets the header itself and keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = content_security_policy(request.path)
        # Wagtail's previews render the public page through a request of their own, which
        # passes this middleware too and leaves the public policy (frame-ancestors 'none') on
        # the response; the admin request that returns it sets the admin's, which allows the
        # preview in the admin's own frame. A view's own policy is always kept.
        own_policy = "Content-Security-Policy" in response and not getattr(
            response, "_meent_default_csp", False
        )
        if policy and not own_policy:
            response["Content-Security-Policy"] = policy
            response._meent_default_csp = True
        permissions = getattr(settings, "MEENT_PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


class ProxySchemeMiddleware:
    """Behind a TLS proxy, a request without its scheme header is refused with a reason, not
    redirected: Django would send it to https://, the proxy would again leave the header out,
    and the browser would go round until it gives up ("too many redirects"), with nothing in any
    log to say why. A proxy that says "http" is redirected as usual. The health and metrics paths
    (SECURE_REDIRECT_EXEMPT) are for probes that reach the process directly."""

    def __init__(self, get_response):
        if not (settings.SECURE_SSL_REDIRECT and settings.SECURE_PROXY_SSL_HEADER):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.header = settings.SECURE_PROXY_SSL_HEADER[0]
        self.exempt = [re.compile(pattern) for pattern in settings.SECURE_REDIRECT_EXEMPT]
        self.told = False

    def __call__(self, request):
        path = request.path_info.lstrip("/")
        if self.header in request.META or any(rule.search(path) for rule in self.exempt):
            return self.get_response(request)
        if not self.told:  # once per process: it is the same mistake for every request
            self.told = True
            logger.error(
                "A request came without %s: the proxy must send it (nginx: proxy_set_header "
                "X-Forwarded-Proto $scheme;). Refusing such requests instead of redirecting "
                "them in a loop.",
                self.header.removeprefix("HTTP_").replace("_", "-").title(),
            )
        # Before LocaleMiddleware: the reader's language from the request itself.
        with translation.override(translation.get_language_from_request(request)):
            text = _(
                "This site cannot tell whether you reached it over a secure connection, because "
                "its proxy does not say so. Please tell the site's administrators; trying again "
                "will not help."
            )
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """``/.well-known/security.txt``: where to report a vulnerability (RFC 9116).

    Expires is a year ahead of now, so the file never goes stale; Canonical is the address the
    file was asked for.
    """
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.MEENT_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# ---------------------------------------------------------------------------------------------
# WebSocket handshakes: the Origin must be this site's own origin


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_tuple(scheme: str, host: str, port) -> tuple[str, str, int]:
    return scheme, host.lower().rstrip("."), int(port or _DEFAULT_PORTS[scheme])


def _trusted(origin: tuple[str, str, int]) -> bool:
    """An origin named in CSRF_TRUSTED_ORIGINS (``https://*.example.org`` names subdomains)."""
    scheme, host, port = origin
    for pattern in settings.CSRF_TRUSTED_ORIGINS:
        parsed = urlsplit(pattern.lower())
        if parsed.scheme != scheme or not parsed.hostname:
            continue
        if int(parsed.port or _DEFAULT_PORTS.get(parsed.scheme, 0)) != port:
            continue
        if parsed.hostname.startswith("*."):
            if host.endswith(parsed.hostname[1:]):
                return True
        elif host == parsed.hostname:
            return True
    return False


def websocket_origin_allowed(scope) -> bool:
    """Whether a WebSocket handshake comes from a page of this site: the Origin's scheme, host and
    port equal the handshake's own (its Host header on an allowed host, its scheme, also behind a
    proxy that says so in SECURE_PROXY_SSL_HEADER), or one of CSRF_TRUSTED_ORIGINS. Channels'
    AllowedHostsOriginValidator compares host names only, so any port of the host passed."""
    headers = {}
    for name, value in scope.get("headers", []):
        try:
            headers[name.decode("latin1").lower()] = value.decode("latin1")
        except (AttributeError, UnicodeDecodeError):
            return False
    try:
        origin = urlsplit(headers.get("origin", ""))
        if origin.scheme not in _DEFAULT_PORTS or not origin.hostname:
            return False
        claimed = _origin_tuple(origin.scheme, origin.hostname, origin.port)
    except ValueError:  # a port out of range or not a number
        return False
    if _trusted(claimed):
        return True
    domain, port = split_domain_port(headers.get("host", ""))
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    secure = scope.get("scheme") in ("wss", "https")
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, value = proxy_header
        forwarded = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower(), "")
        secure = forwarded.split(",")[0].strip() == value
    try:
        own = _origin_tuple("https" if secure else "http", domain, port or None)
    except ValueError:
        return False
    return claimed == own


class SameOriginWebsocketValidator:
    """ASGI middleware for the WebSocket side: a handshake from another origin is refused (403)
    before anything else runs. Browsers send the session cookie with a WebSocket handshake from
    any page and WebSockets have no CSRF token, so the Origin is what says who opened it."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SameOriginWebsocketValidator is for WebSocket connections only.")
        if websocket_origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
