"""Accounts in the browser: sign up, confirm, profile, sign out, sign in, password reset."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, OrganisationDomainFactory, UserFactory

NEW_PASSWORD = "Vers-wachtwoord-voor-Meent-7"


def path_is(path):
    """A URL matcher for ``expect(page).to_have_url``: exactly this path, any host, no query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def expect_language(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)


def submit(page, form):
    """Press the form's submit button and wait for the answer (and its redirects) to load."""
    with page.expect_navigation():
        form.locator("button[type=submit]:not([form])").click()


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_sign_up_confirm_edit_profile_and_sign_out(page, language, email_link, t):
    OrganisationDomainFactory(
        domain="meenthuizen.nl", organisation__name="Gemeente Meenthuizen", organisation__slug="mh"
    )
    email = f"anna.{language}@meenthuizen.nl"
    header = page.locator("header.site-header")

    # The browser's language decides the page's language.
    page.goto("/")
    expect_language(page, language)

    header.get_by_role("link", name=t("Sign up", language), exact=True).click()
    expect(page).to_have_url(path_is("/accounts/signup/"))
    expect_language(page, language)
    form = page.locator("main form")
    form.locator("[name=first_name]").fill("Anna")
    form.locator("[name=last_name]").fill("de Vries")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password1]").fill(DEFAULT_PASSWORD)
    form.locator("[name=password2]").fill(DEFAULT_PASSWORD)
    submit(page, form)

    # The page says: check your e-mail.
    expect(page).to_have_url(path_is("/accounts/confirm-email/"))
    expect(page.locator("main h1")).to_have_text(t("Verify Your Email Address", language))
    expect(page.locator("main")).to_contain_text(email)
    expect_language(page, language)
    assert not User.objects.get(email=email).emailaddress_set.get().verified

    # The link in the e-mail asks to confirm the address (no change on a mere GET)...
    page.goto(email_link("/accounts/confirm-email/", to=email))
    expect(page.locator("main h1")).to_have_text(t("Confirm Email Address", language))
    expect(page.locator("main")).to_contain_text(email)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=t("Confirm", language)).click()

    # ...and confirming signs you in.
    expect(header.locator(".site-header__who")).to_contain_text("Anna de Vries")
    expect(header.get_by_role("button", name=t("Sign out", language))).to_be_visible()
    expect_language(page, language)

    # The profile shows the organisation that owns the e-mail domain.
    person = User.objects.get(email=email)
    header.get_by_role("link", name=t("My profile", language)).click()
    expect(page).to_have_url(path_is(f"/people/{person.pk}/"))
    expect(page.locator("main h1")).to_have_text("Anna de Vries")
    expect(page.locator(".profile__facts")).to_contain_text("Gemeente Meenthuizen")

    # Edit the profile: the saved message and the new values are shown.
    page.get_by_role("link", name=t("Edit your profile", language)).click()
    expect(page).to_have_url(path_is("/people/me/edit/"))
    expect_language(page, language)
    form = page.locator("main form")
    expect(form.locator("[name=first_name]")).to_have_value("Anna")
    form.locator("[name=job_title]").fill("Beleidsmedewerker open source")
    form.locator("[name=about]").fill("Ik werk aan open standaarden.\nZie https://example.org")
    submit(page, form)

    expect(page).to_have_url(path_is(f"/people/{person.pk}/"))
    expect(page.locator("main .messages")).to_contain_text(
        t("Your profile has been saved.", language)
    )
    expect(page.locator(".profile__facts")).to_contain_text("Beleidsmedewerker open source")
    about = page.locator("main section", has=page.locator("#about-heading"))
    expect(about).to_contain_text("Ik werk aan open standaarden.")
    expect(about.get_by_role("link", name="https://example.org")).to_be_visible()

    # Sign out with the header's button: the header offers "Sign in" again.
    header.get_by_role("button", name=t("Sign out", language)).click()
    expect(page).to_have_url(path_is("/"))
    expect(page.locator("main .messages")).to_contain_text(t("You have signed out.", language))
    sign_in_link = header.get_by_role("link", name=t("Sign in", language), exact=True)
    expect(sign_in_link).to_have_attribute("href", "/accounts/login/")
    expect(header.locator(".site-header__who")).to_have_count(0)
    expect_language(page, language)


def test_wrong_password_shows_an_error_and_stays_on_sign_in(page, sign_in, t):
    person = UserFactory(email="jan@voorbeeld.nl")

    sign_in(page, person.email, "not-the-right-password")

    expect(page).to_have_url(path_is("/accounts/login/"))
    error = page.locator("main [role=alert]")
    expect(error).to_contain_text(
        t("The email address and/or password you specified are not correct.", "nl")
    )
    expect(page.locator("main [name=login]")).to_have_value(person.email)
    expect(page.locator("header.site-header .site-header__who")).to_have_count(0)


def test_password_reset_by_email_then_sign_in_with_the_new_password(page, sign_in, email_link, t):
    person = UserFactory(email="els@voorbeeld.nl", first_name="Els", last_name="Bakker")

    page.goto("/accounts/login/")
    page.locator("main").get_by_role(
        "link", name=re.compile(t("Forgot your password?", "nl"))
    ).click()
    expect(page).to_have_url(path_is("/accounts/password/reset/"))
    form = page.locator("main form")
    form.locator("[name=email]").fill(person.email)
    submit(page, form)
    expect(page).to_have_url(path_is("/accounts/password/reset/done/"))

    # The e-mailed link leads to a form for the new password (allauth moves the key out of the URL).
    page.goto(email_link("/accounts/password/reset/key/", to=person.email))
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/key/[^/]+-set-password/$"))
    form = page.locator("main form")
    form.locator("[name=password1]").fill(NEW_PASSWORD)
    form.locator("[name=password2]").fill(NEW_PASSWORD)
    submit(page, form)
    expect(page).to_have_url(path_is("/accounts/password/reset/key/done/"))

    # The old password no longer works; the new one does.
    sign_in(page, person.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(path_is("/accounts/login/"))
    sign_in(page, person.email, NEW_PASSWORD)
    expect(page).to_have_url(path_is("/"))
    expect(page.locator("header.site-header .site-header__who")).to_contain_text("Els Bakker")
