"""Organisation sign-in over OpenID Connect, on django-allauth's ``openid_connect`` provider.

An organisation's identity provider is one ``OrganisationSignIn`` row, edited by moderators in the
admin. allauth reads it through ``SocialAccountAdapter.list_apps``: each enabled row becomes an
(unsaved) ``SocialApp`` with provider "openid_connect", ``provider_id`` the organisation's slug and
``settings.server_url`` the issuer. That is less code than keeping real ``SocialApp`` rows in step
with a service function (on every save, disable, slug change, merge and delete), and there is one
source of truth: a disabled or deleted sign-in is gone from allauth at once. allauth builds apps
from ``SOCIALACCOUNT_PROVIDERS`` the same way, unsaved.

What Meent adds to allauth's provider:

- a nonce: allauth 65 sends none. ``OrganisationProvider`` sends one and keeps it in allauth's
  state (with the state id and PKCE); ``pre_social_login`` refuses an ID token without it;
- an identity provider asserts only addresses of its own organisation's domains, and only
  verified ones (``email_verified``); a new person is placed in the organisation by that domain
  (accounts/signals.py, as for a confirmed address);
- an existing account with the address is connected only after its owner proves the address: we
  e-mail a link (``link_sent``), and opening it connects the identity and goes on signing in.
  ``SOCIALACCOUNT_EMAIL_AUTHENTICATION`` stays off: allauth never signs in to an existing account
  on the provider's word alone;
- faults: an identity provider that is down or answers garbage gives a page that says so (503),
  never a 500 (``guarded``, around allauth's login and callback views); a disabled one refuses.
"""

from __future__ import annotations

import functools
import logging

import requests
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _

from .models import Organisation, OrganisationSignIn, User

logger = logging.getLogger(__name__)

PROVIDER = "openid_connect"
LINK_SALT = "meent.oidc.link"
LINK_MAX_AGE = 24 * 60 * 60

# What an identity provider that is down, or answers something that is not an OpenID
# configuration, raises inside allauth's views: a connection error, or (for a document that is
# not JSON, not an object, or without the endpoints) ValueError, KeyError, TypeError or
# AttributeError. Those are logged with their traceback (log_unreachable): were one of them a
# bug of ours instead, the log shows where.
UNREACHABLE = (
    requests.RequestException,
    OAuth2Error,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
)


# ---------------------------------------------------------------------------------------------
# Which sign-in


def domain_of(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().lower()


def sign_in_for_email(email: str) -> OrganisationSignIn | None:
    """The enabled sign-in of the organisation that owns the address's domain, or None."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        OrganisationSignIn.objects.filter(enabled=True, organisation__domains__domain=domain)
        .select_related("organisation")
        .first()
    )


def required_sign_in_for(email: str) -> OrganisationSignIn | None:
    """The sign-in that addresses like ``email`` must use instead of a password, or None."""
    sign_in = sign_in_for_email(email)
    return sign_in if sign_in is not None and sign_in.required else None


def required_message(sign_in: OrganisationSignIn, email: str) -> str:
    return _(
        "Addresses at %(domain)s sign in with %(organisation)s's own sign-in, not with a "
        "password. Use “Sign in with your organisation” on the sign-in page."
    ) % {"domain": domain_of(email), "organisation": sign_in.organisation.name}


def social_app(sign_in: OrganisationSignIn) -> SocialApp:
    return SocialApp(
        provider=PROVIDER,
        provider_id=sign_in.organisation.slug,
        name=sign_in.organisation.name,
        client_id=sign_in.client_id,
        secret=sign_in.client_secret,
        settings={"server_url": sign_in.issuer, "oauth_pkce_enabled": True},
    )


# ---------------------------------------------------------------------------------------------
# allauth's hooks


class OrganisationProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce in the request and in the stashed state."""

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params={**auth_params, "nonce": nonce},
            nonce=nonce,
            **kwargs,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        sign_ins = OrganisationSignIn.objects.filter(enabled=True).select_related("organisation")
        apps = [social_app(sign_in) for sign_in in sign_ins]
        if provider:
            apps = [app for app in apps if provider in (app.provider, app.provider_id)]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id)
        except SocialApp.DoesNotExist:
            # A connected account whose organisation's sign-in is switched off, removed or
            # renamed: allauth still needs its app to show and disconnect it (the connections
            # page). Signing in through it stays refused: guarded() and pre_social_login ask
            # for an enabled sign-in.
            sign_in = (
                OrganisationSignIn.objects.filter(organisation__slug=provider)
                .select_related("organisation")
                .first()
            )
            if sign_in is not None:
                return social_app(sign_in)
            if SocialAccount.objects.filter(provider=provider).exists():
                return SocialApp(
                    provider=PROVIDER, provider_id=provider, name=provider, settings={}
                )
            raise

    def get_provider(self, request, provider, client_id=None):
        found = super().get_provider(request, provider, client_id)
        if type(found) is OpenIDConnectProvider:
            return OrganisationProvider(request, app=found.app)
        return found

    def pre_social_login(self, request, sociallogin):
        """Between the identity provider's answer and signing in: refuse what we do not trust,
        and send an existing account's owner to prove the address first."""
        slug = sociallogin.account.provider
        sign_in = (
            OrganisationSignIn.objects.filter(organisation__slug=slug, enabled=True)
            .select_related("organisation")
            .first()
        )
        if sign_in is None:
            raise ImmediateHttpResponse(switched_off(request, None))
        claims = sociallogin.account.extra_data.get("id_token") or {}
        expected = sociallogin.state.get("nonce")
        if not expected or not constant_time_compare(str(claims.get("nonce", "")), expected):
            logger.warning("organisation sign-in %s: an ID token with a wrong nonce", slug)
            raise ImmediateHttpResponse(refused(request, sign_in, "nonce"))
        address = next(iter(sociallogin.email_addresses), None)
        if address is None or address.verified is not True:
            raise ImmediateHttpResponse(refused(request, sign_in, "unverified"))
        email = address.email.strip().lower()
        owner = Organisation.for_email(email)
        if owner is None or owner.pk != sign_in.organisation_id:
            logger.warning("organisation sign-in %s: an address of another domain", slug)
            raise ImmediateHttpResponse(refused(request, sign_in, "domain"))
        if sociallogin.is_existing:
            return
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            person = User.objects.filter(emailaddress__email__iexact=email).first()
        if person is not None:
            raise ImmediateHttpResponse(send_link(request, sign_in, sociallogin, person, email))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # The kind of failure only: an exception's text may quote what the provider sent.
        logger.warning(
            "organisation sign-in %s failed: %s %s",
            getattr(getattr(provider, "app", None), "provider_id", "?"),
            error,
            type(exception).__name__ if exception else "",
        )


# ---------------------------------------------------------------------------------------------
# Pages


def refused(request, sign_in, reason):
    texts = {
        "nonce": _(
            "The answer of %(organisation)s's sign-in does not belong to this sign-in attempt. "
            "Start again."
        ),
        "unverified": _(
            "%(organisation)s's sign-in did not confirm your e-mail address. Ask your "
            "organisation's service desk, or sign in with your password."
        ),
        "domain": _(
            "%(organisation)s's sign-in gave an e-mail address that is not one of "
            "%(organisation)s's. Meent accepts only addresses of the organisation's own domains."
        ),
    }
    text = texts[reason] % {"organisation": sign_in.organisation.name}
    return render(request, "accounts/oidc/refused.html", {"text": text}, status=403)


def switched_off(request, sign_in):
    return render(request, "accounts/oidc/switched_off.html", {"sign_in": sign_in}, status=403)


def unreachable(request, sign_in):
    response = render(request, "accounts/oidc/unreachable.html", {"sign_in": sign_in}, status=503)
    response["Retry-After"] = "60"
    return response


def guarded(view):
    """allauth's login or callback view for one organisation: a disabled sign-in refuses, and an
    identity provider that is down or answers garbage gives a page, not a 500."""

    @functools.wraps(view)
    def wrapper(request, provider_id):
        sign_in = (
            OrganisationSignIn.objects.filter(organisation__slug=provider_id)
            .select_related("organisation")
            .first()
        )
        if sign_in is None:
            raise Http404
        if not sign_in.enabled:
            return switched_off(request, sign_in)
        try:
            response = view(request, provider_id=provider_id)
        except UNREACHABLE as error:
            log_unreachable(sign_in, error)
            return unreachable(request, sign_in)
        return onward(request, sign_in, response)

    return wrapper


def onward(request, sign_in, response):
    """A form's POST that answers with a redirect to the identity provider answers with a page
    that goes there instead. Our CSP's ``form-action 'self'`` covers the redirects that follow a
    form's submission, and browsers refuse one to another origin (the provider, and whatever
    hosts it sends the browser through); a page that moves on by itself (meta refresh, no
    JavaScript needed) is a new navigation, which the CSP leaves alone."""
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if request.method != "POST" or not location or location.startswith("/"):
        return response
    page = render(request, "accounts/oidc/onward.html", {"sign_in": sign_in, "url": location})
    page["Cache-Control"] = "no-store"
    return page


def log_unreachable(sign_in, error):
    # A connection error is one line; anything else comes with its traceback.
    logger.warning(
        "organisation sign-in %s cannot be used: %s",
        sign_in.organisation.slug,
        type(error).__name__,
        exc_info=not isinstance(error, requests.RequestException),
    )


login = guarded(oidc_views.login)
callback = guarded(oidc_views.callback)


def start(request, sign_in, next_url=None):
    """Send the browser to the organisation's sign-in (what allauth's login view does on POST)."""
    provider = get_adapter_provider(request, sign_in)
    try:
        response = provider.redirect(request, AuthProcess.LOGIN, next_url=next_url)
    except UNREACHABLE as error:
        log_unreachable(sign_in, error)
        return unreachable(request, sign_in)
    return onward(request, sign_in, response)


def get_adapter_provider(request, sign_in):
    from allauth.socialaccount.adapter import get_adapter

    return get_adapter(request).get_provider(request, sign_in.organisation.slug)


# ---------------------------------------------------------------------------------------------
# Connecting an existing account, after its owner proves the address


def send_link(request, sign_in, sociallogin, person, email):
    token = signing.dumps(
        {
            "person": person.pk,
            "email": email,
            "provider": sign_in.organisation.slug,
            "uid": sociallogin.account.uid,
        },
        salt=LINK_SALT,
    )
    url = request.build_absolute_uri(reverse("organisation_sign_in_link", args=[token]))
    get_account_adapter(request).send_mail(
        "accounts/email/organisation_link",
        email,
        {"organisation": sign_in.organisation.name, "link_url": url, "user": person},
    )
    return render(request, "accounts/oidc/link_sent.html", {"sign_in": sign_in, "email": email})


class LinkError(Exception):
    pass


def read_link(token):
    """(person, sign-in, uid) of a link's token; LinkError when it is not (or no longer) good."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkError(
            _("This link has expired. Sign in with your organisation again.")
        ) from error
    except signing.BadSignature as error:
        raise LinkError(
            _("This link is not valid. Sign in with your organisation again.")
        ) from error
    person = User.objects.filter(pk=data.get("person"), is_active=True).first()
    sign_in = (
        OrganisationSignIn.objects.filter(organisation__slug=data.get("provider"), enabled=True)
        .select_related("organisation")
        .first()
    )
    if person is None or sign_in is None or person.email.lower() != data.get("email"):
        raise LinkError(_("This link is no longer valid. Sign in with your organisation again."))
    return person, sign_in, str(data.get("uid", ""))


def connect(person, sign_in, uid, email):
    """Connect the identity to the person, whose address the link proved."""
    account, created = SocialAccount.objects.get_or_create(
        provider=sign_in.organisation.slug, uid=uid, defaults={"user": person}
    )
    if account.user_id != person.pk:
        raise LinkError(_("This sign-in belongs to another account already."))
    EmailAddress.objects.update_or_create(
        user=person, email__iexact=email, defaults={"email": email, "verified": True}
    )
    person.assign_organisation_from_email(email)
    return created
