"""Signing in with one's organisation in the browser: Chromium without JavaScript, by keyboard,
against a real OpenID Provider (tests/accounts/oidc/), in Dutch and in English."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OrganisationSignIn, User
from tests.accounts.oidc.idp import IdentityProvider
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import OrganisationDomainFactory, OrganisationFactory

SLUG = "gemeente-meent"


@pytest.fixture
def idp(server):
    callback = f"{server.url}/accounts/oidc/{SLUG}/login/callback/"
    provider = IdentityProvider.start(
        [
            {
                "client_id": "meent",
                "client_secret": "meent-secret-0123456789",
                "redirect_uris": [callback],
            }
        ]
    )
    yield provider
    provider.stop()


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_sign_in_with_ones_organisation_without_javascript(
    browser, server, idp, browser_locale, language, t
):
    organisation = OrganisationFactory(name="Gemeente Meent", slug=SLUG)
    OrganisationDomainFactory(organisation=organisation, domain="meent.nl")
    OrganisationSignIn.objects.create(
        organisation=organisation,
        issuer=idp.issuer,
        client_id="meent",
        client_secret="meent-secret-0123456789",
        required=True,
    )
    email = f"anna.{language}@meent.nl"
    idp.set_account(f"anna-{language}", email, given_name="Anna", family_name="de Vries")
    context = browser.new_context(
        base_url=server.url, locale=browser_locale, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    failures = []
    context.on(
        "response",
        lambda response: failures.append(response.url) if response.status >= 500 else None,
    )
    page = context.new_page()
    try:
        # A password for a domain whose organisation requires its own sign-in: refused, with
        # where to go instead.
        page.goto("/accounts/login/")
        form = page.locator("main form").first
        form.locator("[name=login]").fill(email)
        form.locator("[name=password]").fill("wat-dan-ook-123")
        form.locator("[name=password]").press("Enter")
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("meent.nl")
        button = page.get_by_role(
            "button",
            name=t("Sign in with %(organisation)s", language) % {"organisation": "Gemeente Meent"},
        )
        expect(button).to_be_visible()
        assert not User.objects.filter(email=email).exists()

        # That button, by keyboard: to the organisation's sign-in and back, signed in.
        button.focus()
        with page.expect_navigation(url=re.compile(rf"^{re.escape(server.url)}/")):
            page.keyboard.press("Enter")
        page.wait_for_load_state()
        header = page.locator("header.site-header")
        expect(header.locator(".site-header__who")).to_contain_text("Anna de Vries")
        expect(page.locator("html")).to_have_attribute("lang", language)
        person = User.objects.get(email=email)
        assert person.organisation == organisation
    finally:
        context.close()
    assert not failures, failures
