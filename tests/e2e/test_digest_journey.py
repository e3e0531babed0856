"""The content digest in the browser: a member chooses a daily digest on "What you follow", gets
one, and stops it with the link in the e-mail (a page with a button: a link scanner's visit
changes nothing). axe-core checks every page, in Dutch and English; the setting reflows at
320 px without horizontal scroll."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from activity import digest
from activity.models import DigestSetting
from groups import services as group_services
from groups.models import Group
from tests.activity.conftest import publish
from tests.factories import DEFAULT_PASSWORD, UserFactory

LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def frequency(label, language):
    with translation.override(language):
        return translation.pgettext("digest frequency", label)


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@minbzk.nl")
    bram = UserFactory(first_name="Bram", last_name="de Vries", email="bram@minbzk.nl")
    group = group_services.create_group(anna, Group(name="Werkgroep", slug="werkgroep"))
    group_services.join(group, bram)
    publish(anna, "Werkafspraken", group=group)
    return {"anna": anna, "bram": bram}


@LANGUAGES
def test_a_member_chooses_a_daily_digest_and_stops_it_from_the_email(
    page, world, sign_in, axe, t, email_link, language
):
    bram = world["bram"]
    sign_in(page, bram.email, DEFAULT_PASSWORD)
    page.goto("/following/")
    section = page.locator("#digest")
    expect(section.get_by_role("heading", level=2)).to_have_text(t("Content digest", language))
    expect(section.get_by_role("radio", name=frequency("Weekly", language))).to_be_checked()
    axe.check(page)

    section.get_by_role("radio", name=frequency("Daily", language)).check()
    with page.expect_navigation():
        section.get_by_role("button", name=t("Save digest setting", language)).click()
    expect(page.locator(".messages")).to_contain_text(
        t("You get the content digest every day.", language)
    )
    expect(
        page.locator("#digest").get_by_role("radio", name=frequency("Daily", language))
    ).to_be_checked()
    axe.check(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The morning's run; the e-mail's link (on Meent's main address) opened on this server.
    assert digest.send_digests("daily").sent == 1
    link = email_link("/following/digest/unsubscribe/", to=bram.email)
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Stop the content digest", language)
    )
    assert DigestSetting.objects.get(user=bram).frequency == "daily"  # the visit changed nothing
    axe.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Stop the content digest", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Content digest stopped", language))
    assert DigestSetting.objects.get(user=bram).frequency == "never"
    axe.check(page)
    axe.done()
