"""Organisation sign-in over OpenID Connect against a real OpenID Provider (accounts/oidc.py).

The provider is the `oidc-provider` package run by node (tests/accounts/oidc/); Meent is driven
with Django's test client and the provider with `requests`, the two joined where a browser would
follow a redirect. Meent's own requests to the provider (discovery, token, keys, userinfo) are
real HTTP.
"""

import http.server
import threading
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationSignIn, User
from tests import processes
from tests.accounts.oidc.idp import IdentityProvider
from tests.factories import OrganisationDomainFactory, OrganisationFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

SLUG = "gemeente-meent"
CALLBACK = f"http://testserver/accounts/oidc/{SLUG}/login/callback/"
CLIENTS = [
    {"client_id": "meent", "client_secret": "meent-secret-0123456789", "redirect_uris": [CALLBACK]},
    # Another client of the same provider: its ID tokens are not for Meent.
    {"client_id": "other", "client_secret": "other-secret-0123456789", "redirect_uris": [CALLBACK]},
]


@pytest.fixture(scope="module")
def idp():
    provider = IdentityProvider.start(CLIENTS)
    yield provider
    provider.stop()


@pytest.fixture
def organisation(idp):
    organisation = OrganisationFactory(name="Gemeente Meent", slug=SLUG)
    OrganisationDomainFactory(organisation=organisation, domain="meent.nl")
    OrganisationDomainFactory(organisation=organisation, domain="gemeentemeent.nl")
    OrganisationSignIn.objects.create(
        organisation=organisation,
        issuer=idp.issuer,
        client_id="meent",
        client_secret="meent-secret-0123456789",
    )
    # Another organisation, with a domain of its own.
    OrganisationDomainFactory(organisation=OrganisationFactory(name="Provincie"), domain="prov.nl")
    return organisation


def onward_url(response):
    """Where the page that moves on to the provider goes (a meta refresh: not a redirect, which
    the CSP's form-action would refuse after a form's POST)."""
    assert response.status_code == 200, response.content[:500]
    url = response.context["url"]
    assert f'<meta http-equiv="refresh" content="0;url={url}' in response.content.decode().replace(
        "&amp;", "&"
    )
    return url


def begin(client, email="anna@meent.nl"):
    """Sign in with your organisation: Meent's page that moves on to the provider."""
    response = client.post(reverse("organisation_sign_in"), {"email": email, "continue": "1"})
    return onward_url(response)


def finish(client, callback_url):
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK, callback_url
    return client.get(parts.path, parse_qs(parts.query))


def with_param(url, name, value):
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- signing in ---------------------------------------------------------------------------------


def test_a_new_person_signs_in_and_is_placed_in_the_organisation(client, idp, organisation):
    idp.set_account("anna-1", "Anna@Meent.nl", given_name="Anna", family_name="de Vries")
    authorize = begin(client, "anna@meent.nl")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{idp.issuer}/auth?")
    assert query["client_id"] == ["meent"]
    # A nonce, PKCE and a state, every time.
    assert query["nonce"][0] and query["state"][0] and query["code_challenge_method"] == ["S256"]

    response = finish(client, idp.browse(authorize))

    assert response.status_code == 302, response.content[:500]
    person = signed_in_as(client)
    assert person is not None
    assert (person.email, person.first_name, person.last_name) == (
        "anna@meent.nl",
        "Anna",
        "de Vries",
    )
    assert person.organisation == organisation
    assert person.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=person).provider == SLUG
    # The next time is the same person, not a new one.
    client.logout()
    finish(client, idp.browse(begin(client)))
    assert signed_in_as(client) == person
    assert User.objects.filter(email="anna@meent.nl").count() == 1


def test_an_existing_account_is_connected_only_after_its_address_is_proven(
    client, idp, organisation
):
    person = UserFactory(email="bert@meent.nl", first_name="Bert")
    idp.set_account("bert-1", "bert@meent.nl")

    response = finish(client, idp.browse(begin(client, "bert@meent.nl")))

    assert response.status_code == 200
    assert "bert@meent.nl" in response.content.decode()
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["bert@meent.nl"]
    link = next(word for word in message.body.split() if "/accounts/organisation/link/" in word)
    path = urlsplit(link).path

    # Opening the link asks first (a GET changes nothing); confirming connects and signs in.
    assert client.get(path).status_code == 200
    assert not SocialAccount.objects.exists()
    response = client.post(path)
    assert SocialAccount.objects.get(provider=SLUG, uid="bert-1").user == person
    finish(client, idp.browse(onward_url(response)))
    assert signed_in_as(client) == person
    person.refresh_from_db()
    assert person.organisation == organisation


def test_a_link_that_was_tampered_with_connects_nothing(client, idp, organisation):
    UserFactory(email="bert@meent.nl")
    response = client.post(reverse("organisation_sign_in_link", args=["not-a-token"]))
    assert response.status_code == 400
    assert not SocialAccount.objects.exists()


def test_a_suspended_person_stays_out(client, idp, organisation):
    person = UserFactory(email="carla@meent.nl")
    SocialAccount.objects.create(user=person, provider=SLUG, uid="carla-1")
    User.objects.filter(pk=person.pk).update(
        suspended_until=timezone.now() + timezone.timedelta(days=3)
    )
    idp.set_account("carla-1", "carla@meent.nl")
    response = finish(client, idp.browse(begin(client, "carla@meent.nl")))
    assert response.status_code == 302
    assert signed_in_as(client) is None


# --- what is refused ------------------------------------------------------------------------------


def test_a_wrong_state_is_refused(client, idp, organisation):
    idp.set_account("anna-1", "anna@meent.nl")
    callback = idp.browse(begin(client))
    response = finish(client, with_param(callback, "state", "forged-state"))
    assert response.status_code == 401
    assert (
        "Start again" in response.content.decode() or "Begin opnieuw" in response.content.decode()
    )
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="anna@meent.nl").exists()


def test_a_wrong_nonce_is_refused(client, idp, organisation):
    idp.set_account("anna-1", "anna@meent.nl")
    authorize = with_param(begin(client), "nonce", "a-nonce-meent-never-sent")
    response = finish(client, idp.browse(authorize))
    assert response.status_code == 403
    assert (
        "Start again" in response.content.decode() or "Begin opnieuw" in response.content.decode()
    )
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="anna@meent.nl").exists()


def test_an_id_token_for_another_audience_is_refused(client, idp, organisation, monkeypatch):
    from allauth.socialaccount.providers.oauth2.client import OAuth2Client

    idp.set_account("anna-1", "anna@meent.nl")
    authorize = begin(client)
    nonce = parse_qs(urlsplit(authorize).query)["nonce"][0]
    # A real ID token of this provider, with Meent's own nonce, but issued to the other client.
    other = idp.tokens("other", "other-secret-0123456789", CALLBACK, nonce)
    callback = idp.browse(authorize)
    monkeypatch.setattr(OAuth2Client, "get_access_token", lambda self, *a, **k: other)

    response = finish(client, callback)

    assert response.status_code == 401
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="anna@meent.nl").exists()


@pytest.mark.parametrize(
    "email, verified", [("anna@meent.nl", False), ("anna@prov.nl", True), ("anna@gmail.com", True)]
)
def test_only_verified_addresses_of_the_organisations_own_domains(
    client, idp, organisation, email, verified
):
    idp.set_account("anna-1", email, verified=verified)
    response = finish(client, idp.browse(begin(client)))
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not User.objects.filter(email=email).exists()


def test_a_disabled_sign_in_has_no_button_and_its_callback_refuses(client, idp, organisation):
    idp.set_account("anna-1", "anna@meent.nl")
    callback = idp.browse(begin(client))  # started while it was on
    OrganisationSignIn.objects.update(enabled=False)

    response = finish(client, callback)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    response = client.post(reverse("organisation_sign_in"), {"email": "anna@meent.nl"})
    assert response.status_code == 200
    assert "Gemeente Meent" not in response.content.decode()
    login_page = client.post(reverse("account_login"), {"login": "anna@meent.nl", "password": "x"})
    assert f"/accounts/oidc/{SLUG}/" not in login_page.content.decode()
    assert client.post(f"/accounts/oidc/{SLUG}/login/").status_code == 403


# --- required --------------------------------------------------------------------------------------


def test_a_required_sign_in_refuses_passwords_for_its_domains_only(client, idp, organisation):
    OrganisationSignIn.objects.update(required=True)
    UserFactory(email="dirk@meent.nl")
    UserFactory(email="eva@prov.nl")

    response = sign_in(client, "dirk@meent.nl")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    page = response.content.decode()
    assert "meent.nl" in page and "Gemeente Meent" in page
    assert reverse("organisation_sign_in") in page  # its button, beside the message

    response = client.post(reverse("account_reset_password"), {"email": "dirk@meent.nl"})
    assert response.status_code == 200 and not mail.outbox
    assert "Gemeente Meent" in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Nieuw",
            "last_name": "Mens",
            "email": "nieuw@gemeentemeent.nl",
            "password1": "a-Long-password-77",
            "password2": "a-Long-password-77",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="nieuw@gemeentemeent.nl").exists()

    # Entering such an address at "sign in with your organisation" goes straight there.
    assert begin(client, "dirk@meent.nl").startswith(idp.issuer)
    # Other domains sign in with their password as before, and cannot add such an address.
    assert sign_in(client, "eva@prov.nl").status_code == 302
    assert signed_in_as(client).email == "eva@prov.nl"
    response = client.post(reverse("account_email"), {"action_add": "", "email": "eva@meent.nl"})
    assert response.status_code == 200
    assert "Gemeente Meent" in response.content.decode()
    assert not signed_in_as(client).emailaddress_set.filter(email="eva@meent.nl").exists()


def test_a_required_sign_in_lets_its_people_in(client, idp, organisation):
    OrganisationSignIn.objects.update(required=True)
    idp.set_account("gijs-1", "gijs@meent.nl")
    finish(client, idp.browse(begin(client, "gijs@meent.nl")))
    assert signed_in_as(client).email == "gijs@meent.nl"


def test_an_optional_sign_in_is_offered_and_the_password_still_works(client, idp, organisation):
    UserFactory(email="dirk@meent.nl")
    response = client.post(reverse("organisation_sign_in"), {"email": "dirk@meent.nl"})
    assert response.status_code == 200
    assert "Gemeente Meent" in response.content.decode()
    assert sign_in(client, "dirk@meent.nl").status_code == 302
    assert signed_in_as(client).email == "dirk@meent.nl"


# --- faults ----------------------------------------------------------------------------------------


class Garbage(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def garbage_server():
    servers = []

    def serve(body):
        handler = type("Handler", (Garbage,), {"body": body})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def assert_unreachable_page(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "Gemeente Meent" in page
    assert "try again later" in page or "probeer het later opnieuw" in page.lower()


def test_a_provider_that_is_down_gives_a_page_and_passwords_still_work(client, organisation):
    OrganisationSignIn.objects.update(issuer=f"http://127.0.0.1:{processes.free_port()}")
    UserFactory(email="eva@prov.nl")

    assert_unreachable_page(
        client.post(reverse("organisation_sign_in"), {"email": "anna@meent.nl", "continue": "1"})
    )
    assert_unreachable_page(client.post(f"/accounts/oidc/{SLUG}/login/"))
    assert sign_in(client, "eva@prov.nl").status_code == 302
    assert signed_in_as(client).email == "eva@prov.nl"


def test_a_provider_that_goes_down_during_sign_in_gives_a_page(client, idp, organisation):
    idp.set_account("anna-1", "anna@meent.nl")
    callback = idp.browse(begin(client))
    OrganisationSignIn.objects.update(issuer=f"http://127.0.0.1:{processes.free_port()}")
    assert_unreachable_page(finish(client, callback))
    assert signed_in_as(client) is None


@pytest.mark.parametrize(
    "body",
    [b"<html>Service Unavailable</html>", b"[1, 2]", b'{"issuer": 42}', b"\xff\xfe"],
    ids=["html", "a list", "no endpoints", "not utf-8"],
)
def test_a_garbage_discovery_document_gives_a_page(client, organisation, garbage_server, body):
    OrganisationSignIn.objects.update(issuer=garbage_server(body))
    assert_unreachable_page(
        client.post(reverse("organisation_sign_in"), {"email": "anna@meent.nl", "continue": "1"})
    )


@pytest.mark.parametrize("gone", ["disabled", "deleted"])
def test_a_connection_whose_sign_in_is_gone_can_still_be_seen_and_removed(
    client, organisation, gone
):
    person = UserFactory(email="fleur@meent.nl")
    account = SocialAccount.objects.create(user=person, provider=SLUG, uid="fleur-1")
    if gone == "disabled":
        OrganisationSignIn.objects.update(enabled=False)
    else:
        OrganisationSignIn.objects.all().delete()
    client.force_login(person)
    assert client.get(reverse("socialaccount_connections")).status_code == 200
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
    # Signing in through it stays refused.
    assert client.post(f"/accounts/oidc/{SLUG}/login/").status_code in (403, 404)
