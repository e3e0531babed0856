"""My calendar address in the browser (nl, en): a member makes it, copies it from the read-only
field, a calendar app reads it; renewing by keyboard gives a new one and the old one stops at
once. axe-core checks the page; at 320 px it has no sideways scroll."""

from urllib.parse import urlsplit

import pytest

from events.models import CalendarFeed
from tests.e2e.helpers import submit
from tests.factories import DEFAULT_PASSWORD, EventFactory, MembershipFactory, UserFactory

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
def test_a_member_makes_renews_and_reads_their_calendar_address(
    page, server, sign_in, t, axe, language
):
    from tests.helpers import group_with

    organiser = UserFactory(first_name="Anna", last_name="Jansen")
    person = UserFactory(first_name="Cor", last_name="de Vries", email="cor@utrecht.nl")
    group = group_with(organiser, name="Open data", slug="open-data")
    MembershipFactory(group=group, user=person, role="member")
    EventFactory(group=group, organiser=person, title="Werksessie open data")

    sign_in(page, person.email, DEFAULT_PASSWORD)
    page.goto("/events/calendar/")
    axe.check(page)
    submit(page, page.get_by_role("button", name=t("Make my calendar address", language)))
    address = page.get_by_label(t("Calendar address (copy it into your calendar app)", language))
    first = address.input_value()
    assert address.get_attribute("readonly") is not None
    feed = page.request.get(urlsplit(first).path)
    assert feed.ok and "Werksessie open data" in feed.text()
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    axe.check(page)

    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    axe.check(page)

    # Renewing, by keyboard: a new address, and the old one is gone at once.
    page.get_by_role("button", name=t("Make a new address", language)).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    second = address.input_value()
    assert second != first
    assert CalendarFeed.objects.get(person=person).token in second
    assert page.request.get(urlsplit(first).path).status == 404
    assert page.request.get(urlsplit(second).path).ok
    axe.done()
