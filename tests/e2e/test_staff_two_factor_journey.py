"""A staff member sets up two-factor sign-in before the admin opens, then signs in with a code."""

import re

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def moderator(server):
    group, _ = AuthGroup.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = UserFactory(email="moderator@voorbeeld.nl", is_staff=True)
    user.groups.add(group)
    return user


def test_staff_sets_up_totp_then_signs_in_with_a_code(page, moderator, sign_in):
    sign_in(page, moderator.email, DEFAULT_PASSWORD)
    # Staff have the admin in the site header.
    page.goto("/")
    page.locator("header nav a[href='/admin/']").click()
    # Sent to set up the second factor, without typing the password again seconds after it.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_no_serious_axe_violations(page)

    # The secret is shown for people who cannot scan the QR code; use it as an app would.
    secret = page.locator("main input#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.locator("main form [name=code]").fill("000000")
    page.locator("main form button[type=submit]:not([form])").click()
    expect(page.locator("main .errorlist")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.locator("main form [name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]:not([form])").click()
    # The recovery codes, and a way onward from them to the admin.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert_no_serious_axe_violations(page)
    page.locator("main .mfa-onward a[href='/admin/']").click()
    expect(page.locator("body")).to_contain_text("Meent")
    assert "/admin/" in page.url and "/accounts/" not in page.url

    # Sign out; signing in again asks for the code.
    page.goto("/")
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    sign_in(page, moderator.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_no_serious_axe_violations(page)
    page.locator("main form [name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    page.goto("/admin/")
    assert "/admin/" in page.url and "/accounts/" not in page.url
