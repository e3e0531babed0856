"""Headers and cookies on every response (issue 11): CSP, Permissions-Policy, nosniff,
Referrer-Policy, X-Frame-Options, cookie flags, HSTS in production and security.txt."""

import datetime
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from groups.models import Group
from tests.factories import GroupFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict[str, list[str]]:
    """A CSP string as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions


def assert_public_policy(response):
    assert_common_headers(response)
    assert response["Content-Security-Policy"] == settings.MEENT_CSP
    assert response["X-Frame-Options"] == "DENY"


# The policies themselves -------------------------------------------------------------------


def test_public_policy_runs_no_inline_script_and_cannot_be_framed():
    policy = directives(settings.MEENT_CSP)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-eval'" not in settings.MEENT_CSP
    # Nothing but style attributes may be inline, never a <script> or <style> element.
    assert settings.MEENT_CSP.count("'unsafe-inline'") == 1
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    # The chat's WebSocket and the toolbox's https video iframes.
    assert {"'self'", "ws:", "wss:"} <= set(policy["connect-src"])
    assert policy["frame-src"] == ["https:"]


def test_admin_policy_allows_inline_code_but_stays_same_origin():
    policy = directives(settings.MEENT_CSP_ADMIN)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in settings.MEENT_CSP_ADMIN


# Every kind of response ----------------------------------------------------------------------


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_public_policy(response)


def test_group_page(client):
    group = GroupFactory(visibility=Group.Visibility.LISTED)
    response = client.get(reverse("groups:home", args=[group.slug]))
    assert response.status_code == 200
    assert_public_policy(response)


def test_not_found(client):
    response = client.get("/er-is-hier-niets/")
    assert response.status_code == 404
    assert_public_policy(response)


def test_forbidden(client):
    from wagtail.models import Site

    from meent.models import CommunitySettings

    site_settings = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.group_creation = "staff"
    site_settings.save()
    client.force_login(UserFactory())
    response = client.get(reverse("groups:create"))
    assert response.status_code == 403
    assert_public_policy(response)


def test_redirect(client):
    response = client.get(reverse("groups:create"))  # signed out: to the sign-in page
    assert response.status_code == 302
    assert_public_policy(response)


def test_health_and_theme_stylesheet(client):
    assert_public_policy(client.get(reverse("healthz")))
    home = client.get("/").content.decode()
    start = home.index("/theme/")
    css_url = home[start : home.index('"', start)]
    response = client.get(css_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert_public_policy(response)


def test_json_view(client):
    response = client.get(reverse("search:suggest"), {"q": "open"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)
    assert_public_policy(response)


def test_view_with_its_own_policy_keeps_it(rf, settings):
    from django.http import HttpResponse

    from meent.security import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/groups/g/wiki/files/x"))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Permissions-Policy"] == settings.MEENT_PERMISSIONS_POLICY


def test_operators_can_change_the_policies(client, settings):
    settings.MEENT_CSP = "default-src 'self'; frame-ancestors 'none'"
    settings.MEENT_PERMISSIONS_POLICY = "camera=()"
    response = client.get("/")
    assert response["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'"
    assert response["Permissions-Policy"] == "camera=()"


def test_toolbox_article(client):
    from tests.toolbox.factories import ToolboxArticlePageFactory

    article = ToolboxArticlePageFactory()
    response = client.get(article.url)
    assert response.status_code == 200
    assert_public_policy(response)


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_admin_redirects_to_sign_in_under_the_admin_policy(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Content-Security-Policy"] == settings.MEENT_CSP_ADMIN
    assert_common_headers(response)


def test_admin_login_redirect_goes_to_the_public_sign_in(client):
    response = client.get("/admin/login/")
    assert response.status_code in (301, 302)
    assert response["Location"].startswith(reverse("account_login"))
    sign_in = client.get(reverse("account_login"))
    assert_public_policy(sign_in)


def test_wagtail_admin_page_has_the_admin_policy(client):
    from allauth.mfa.models import Authenticator

    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200, response.get("Location")
    assert response["Content-Security-Policy"] == settings.MEENT_CSP_ADMIN
    assert_common_headers(response)


def test_public_templates_contain_no_inline_code(client):
    """What the strict policy would block: inline scripts, event handlers, style attributes."""
    group = GroupFactory(visibility=Group.Visibility.LISTED)
    client.force_login(UserFactory())
    for url in ["/", reverse("groups:list"), reverse("groups:home", args=[group.slug])]:
        html = client.get(url).content.decode()
        assert "<style" not in html
        assert " style=" not in html
        assert " onclick=" not in html and " onload=" not in html
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert " src=" in tag or 'type="application/json"' in tag, tag


# Cookies ---------------------------------------------------------------------------------------


def test_sign_in_cookies_are_httponly_and_samesite_lax(client):
    UserFactory(email="lid@voorbeeld.nl")
    client.get(reverse("account_login"))  # sets the CSRF cookie
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = sign_in(client, "lid@voorbeeld.nl")
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_language_cookie_is_httponly_and_samesite_lax(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def production_settings(*names: str) -> dict:
    """The named settings as production computes them, read in a fresh interpreter."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "meent.example.org",
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "MEENT_CSP", "MEENT_CSP_ADMIN"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_on_hsts_https_and_secure_cookies():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "X_FRAME_OPTIONS",
        "MIDDLEWARE",
    )
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    middleware = values["MIDDLEWARE"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "meent.security.SecurityHeadersMiddleware"
    # Static files served by the app processes (WhiteNoise) get the headers too.
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") > security + 1


def test_hsts_header_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


# security.txt ----------------------------------------------------------------------------------


def test_security_txt(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert_public_policy(response)
    fields = dict(
        line.split(": ", 1) for line in response.content.decode().splitlines() if line.strip()
    )
    assert fields["Contact"] == "mailto:security@meent.example"
    assert fields["Preferred-Languages"] == "nl, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    ahead = expires - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=360) < ahead <= datetime.timedelta(days=366)


def test_security_txt_contact_and_canonical_follow_setting_and_request(client, settings):
    settings.MEENT_SECURITY_CONTACT = "https://meent.example.org/security"
    response = client.get("/.well-known/security.txt?x=1", secure=True)
    text = response.content.decode()
    assert "Contact: https://meent.example.org/security\n" in text
    assert "Canonical: https://testserver/.well-known/security.txt\n" in text


def test_security_txt_is_read_only(client):
    assert client.post("/.well-known/security.txt").status_code == 405
