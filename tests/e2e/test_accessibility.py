"""Every page of the accounts journey passes axe-core's WCAG 2.1 A/AA rules (serious, critical).

The pages are checked as the site serves them, with its own stylesheet: colour contrast counts.
The public pages are shared with test_reflow.py (tests/e2e/journey.py), which walks them and the
rest of the journey on phones.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.journey import PUBLIC_PAGES
from tests.factories import DEFAULT_PASSWORD, OrganisationDomainFactory, UserFactory


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]:not([form])").click()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_in_dutch_and_english(page, axe, server, path):
    # The browser asks for Dutch; then the language switcher's cookie picks English.
    for language in ["nl", "en"]:
        if language == "en":
            page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": server.url}]
            )
        response = page.goto(path)
        assert response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", language)
        axe.check(page)
    axe.done()


def test_sign_in_and_sign_up_with_errors(page, axe):
    UserFactory(email="jan@voorbeeld.nl")
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=login]").fill("jan@voorbeeld.nl")
    form.locator("[name=password]").fill("not-the-right-password")
    submit(page, form)
    expect(page.locator("main [role=alert]")).to_be_visible()
    axe.check(page)

    page.goto("/accounts/signup/")
    form = page.locator("main form")
    form.locator("[name=email]").fill("not an address")
    form.locator("[name=password1]").fill("kort")
    submit(page, form)
    expect(page.locator("main .field--error").first).to_be_visible()
    axe.check(page)
    axe.done()


def test_verification_sent_and_confirm_pages(page, axe, email_link):
    OrganisationDomainFactory(domain="meenthuizen.nl")
    page.goto("/accounts/signup/")
    form = page.locator("main form")
    form.locator("[name=first_name]").fill("Piet")
    form.locator("[name=last_name]").fill("Jansen")
    form.locator("[name=email]").fill("piet@meenthuizen.nl")
    form.locator("[name=password1]").fill(DEFAULT_PASSWORD)
    form.locator("[name=password2]").fill(DEFAULT_PASSWORD)
    submit(page, form)
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    axe.check(page)

    page.goto(email_link("/accounts/confirm-email/", to="piet@meenthuizen.nl"))
    expect(page.locator("main form")).to_be_visible()
    axe.check(page)
    axe.done()


def test_signed_in_pages(page, axe, sign_in):
    person = UserFactory(
        email="anna@voorbeeld.nl",
        first_name="Anna",
        last_name="de Vries",
        job_title="Adviseur",
        about="Over mij: https://example.org",
    )
    sign_in(page, person.email, DEFAULT_PASSWORD)
    expect(page.locator("header .site-header__who")).to_be_visible()

    page.goto(person.get_absolute_url())
    expect(page.locator("main h1")).to_have_text("Anna de Vries")
    axe.check(page)

    page.goto("/people/me/edit/")
    form = page.locator("main form")
    expect(form).to_be_visible()
    axe.check(page)

    # A failed submit: the error summary and the field errors on the page.
    form.locator("[name=first_name]").fill("")
    submit(page, form)
    expect(page.locator("main .field--error")).to_have_count(1)
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    axe.check(page)

    # A page with a flash message (the saved profile).
    form = page.locator("main form.form")
    form.locator("[name=first_name]").fill("Anna")
    submit(page, form)
    expect(page.locator("main .messages")).to_be_visible()
    axe.check(page)

    # allauth's sign-out confirmation (the header signs out with a POST; a GET asks first).
    page.goto("/accounts/logout/")
    expect(page).to_have_url(re.compile(r"/accounts/logout/$"))
    expect(page.locator("main form")).to_be_visible()
    axe.check(page)
    axe.done()


def test_password_reset_pages(page, axe, email_link):
    person = UserFactory(email="els@voorbeeld.nl")
    page.goto("/accounts/password/reset/")
    form = page.locator("main form")
    form.locator("[name=email]").fill(person.email)
    submit(page, form)
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    axe.check(page)

    page.goto(email_link("/accounts/password/reset/key/", to=person.email))
    form = page.locator("main form").first
    expect(form.locator("[name=password1]")).to_be_visible()
    axe.check(page)

    # Two passwords that differ: the errors are shown.
    form.locator("[name=password1]").fill("Een-lang-wachtwoord-1")
    form.locator("[name=password2]").fill("Een-ander-wachtwoord-2")
    submit(page, form)
    expect(page.locator("main .field--error").first).to_be_visible()
    axe.check(page)
    axe.done()
