"""Moderators give an organisation its own sign-in in the admin (accounts/admin_views.py)."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.models import OrganisationDomain, OrganisationSignIn
from moderation.roles import ensure_moderator_role
from tests.factories import OrganisationDomainFactory, OrganisationFactory, UserFactory
from tests.helpers import activate_totp

pytestmark = pytest.mark.django_db

SECRET = "s3cret-that-nobody-sees-again-4711"


@pytest.fixture
def moderator_client(client):
    moderator = UserFactory(email="moderator@voorbeeld.nl", is_staff=True)
    moderator.groups.add(ensure_moderator_role())
    activate_totp(moderator)
    client.force_login(moderator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    OrganisationDomainFactory(organisation=organisation, domain="meent.nl")
    return organisation


def sign_in_url(organisation):
    return reverse("wagtailsnippets_accounts_organisation:sign_in", args=[organisation.pk])


def form(**changes):
    data = {
        "issuer": "https://login.meent.nl/realms/staff/",
        "client_id": "meent",
        "client_secret": SECRET,
        "enabled": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_moderator_gives_an_organisation_its_sign_in(moderator_client, organisation):
    edit = reverse("wagtailsnippets_accounts_organisation:edit", args=[organisation.pk])
    assert sign_in_url(organisation) in moderator_client.get(edit).content.decode()
    page = moderator_client.get(sign_in_url(organisation)).content.decode()
    # What to register at the identity provider.
    assert "http://testserver/accounts/oidc/gemeente-meent/login/callback/" in page
    assert "meent.nl" in page

    response = moderator_client.post(sign_in_url(organisation), form(required="on"))

    assert response.status_code == 302
    sign_in = OrganisationSignIn.objects.get(organisation=organisation)
    assert (sign_in.issuer, sign_in.client_id, sign_in.client_secret) == (
        "https://login.meent.nl/realms/staff",
        "meent",
        SECRET,
    )
    assert sign_in.enabled and sign_in.required
    entry = ModelLogEntry.objects.get(action="meent.organisation.sign_in")
    assert entry.data["issuer"] == sign_in.issuer
    assert SECRET not in str(entry.data)


def test_the_secret_is_never_shown_back_and_kept_when_left_empty(moderator_client, organisation):
    moderator_client.post(sign_in_url(organisation), form())
    page = moderator_client.get(sign_in_url(organisation)).content.decode()
    assert SECRET not in page
    assert SECRET[-4:] in page  # its end, to recognise it

    response = moderator_client.post(
        sign_in_url(organisation), form(client_secret="", enabled=None)
    )
    assert response.status_code == 302
    sign_in = OrganisationSignIn.objects.get()
    assert sign_in.client_secret == SECRET and not sign_in.enabled


def test_bad_input_re_renders_the_form(moderator_client, organisation):
    response = moderator_client.post(
        sign_in_url(organisation), form(issuer="not an address", client_id="", client_secret="")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"issuer", "client_id", "client_secret"}
    assert not OrganisationSignIn.objects.exists()


def test_people_who_are_not_moderators_cannot_open_it(client, organisation):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(sign_in_url(organisation))
    assert response.status_code in (302, 403)
    assert not OrganisationSignIn.objects.exists()


def test_a_domain_of_another_organisation_is_refused_with_a_clear_error(
    moderator_client, organisation
):
    other = OrganisationFactory(name="Provincie", slug="provincie")
    OrganisationDomainFactory(organisation=other, domain="prov.nl")
    domain = organisation.domains.get()
    edit = reverse("wagtailsnippets_accounts_organisation:edit", args=[organisation.pk])

    response = moderator_client.post(
        edit,
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "website": "",
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "1",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-id": str(domain.pk),
            "domains-0-domain": domain.domain,
            "domains-1-id": "",
            "domains-1-domain": "prov.nl",
        },
    )

    assert response.status_code == 200
    assert "Another organisation has this e-mail domain already" in response.content.decode()
    assert OrganisationDomain.objects.get(domain="prov.nl").organisation == other
    assert organisation.domains.count() == 1
