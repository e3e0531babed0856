"""A moderator finds a person in the admin, suspends them for a week with a reason, and reads it
back in Reports › Site history; the suspended person cannot sign in any more."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation.roles import ensure_moderator_role
from tests.e2e.helpers import submit, totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import TOTP_SECRET, activate_totp

REASON = "Reclame geplaatst in elke groep"


@pytest.fixture
def moderator(server):
    user = UserFactory(
        email="moderator@voorbeeld.nl", first_name="Mila", last_name="Moderator", is_staff=True
    )
    user.groups.add(ensure_moderator_role())
    activate_totp(user)
    return user


@pytest.fixture
def spammer(server):
    UserFactory(first_name="Sander", last_name="Smit")  # also on the list, not found below
    return UserFactory(email="sanne@voorbeeld.nl", first_name="Sanne", last_name="Spammer")


def test_moderator_suspends_a_person_for_a_week(page, browser, moderator, spammer, sign_in, t):
    sign_in(page, moderator.email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("main form [name=code]").fill(totp_code(TOTP_SECRET))
    submit(page, page.locator("main form button[type=submit]:not([form])"))

    # People, in the admin menu; search by name.
    page.goto("/admin/")
    page.get_by_role("link", name=t("People", "nl"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/people/$"))
    table = page.locator("main table")
    expect(table.get_by_role("link", name="Sander Smit")).to_be_visible()
    search = page.locator("input#id_q")  # the listing's search, not the menu's
    search.fill("Spammer")
    search.press("Enter")
    expect(table.get_by_role("link", name="Sander Smit")).to_have_count(0)
    table.get_by_role("link", name="Sanne Spammer").click()

    # The person's page offers the suspension.
    page.get_by_role("link", name=t("Suspend", "nl"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/moderation/people/{spammer.pk}/suspend/$"))
    until = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label(t("Until a date", "nl")).check()
    page.locator("input[name=until]").fill(until.isoformat())
    page.locator("textarea[name=reason]").fill(REASON)
    submit(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/admin/people/$"))
    expect(page.locator("body")).to_contain_text("Sanne Spammer")

    spammer.refresh_from_db()
    assert spammer.is_suspended
    assert timezone.localtime(spammer.suspended_until).date() == until

    # Reports › Site history shows who did what, and why.
    page.goto("/admin/reports/site-history/")
    row = page.locator("main table tbody tr", has_text="Sanne Spammer").first
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text("Mila Moderator")

    # The suspended person gets nowhere by signing in.
    context = browser.new_context(base_url=page.url.split("/admin/")[0], locale="nl-NL")
    other = context.new_page()
    try:
        sign_in(other, spammer.email, DEFAULT_PASSWORD)
        other.goto("/people/me/edit/")
        expect(other).to_have_url(re.compile(r"/accounts/login/"))
    finally:
        context.close()
