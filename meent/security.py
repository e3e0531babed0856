"""Security headers on every response, and ``/.well-known/security.txt`` (RFC 9116).

The policies themselves are settings (``MEENT_CSP``, ``MEENT_CSP_ADMIN``,
``MEENT_PERMISSIONS_POLICY``), so that an operator can change them without touching code. The
rest of the headers (HSTS, nosniff, Referrer-Policy, X-Frame-Options) come from Django's own
SecurityMiddleware and XFrameOptionsMiddleware, configured in ``meent/settings``.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET


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
