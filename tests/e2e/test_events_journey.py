"""Events in the browser: an organiser plans an event with two places through the form, three
people sign up and the third waits; one cancels and the third is moved up and told (the
notification count and the event page say so); the organiser sees who signed up. A guest without
an account signs up for a community event and confirms by the link in the e-mail. A person adds
their personal calendar address and fetches it back. axe-core checks every page; the pages once
more at 320 px, without sideways scroll."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import field, path_is, starts_with, submit
from tests.factories import DEFAULT_PASSWORD, EventFactory, MembershipFactory, UserFactory

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
LANGUAGE = "nl"


def no_sideways_scroll(page):
    assert page.evaluate(NO_HORIZONTAL_SCROLL), page.url


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna, Group(name="Open data", slug="open-data", content_default="open")
    )
    people = {"anna": anna}
    for name in ("bram", "cor", "dirk"):
        people[name] = UserFactory(
            first_name=name.capitalize(), last_name="de Vries", email=f"{name}@utrecht.nl"
        )
        MembershipFactory(group=group, user=people[name], role="member")
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    open_day = EventFactory(
        group=None,
        site=None,
        organiser=anna,
        audience="guests",
        visibility="public",
        title="Open dag Toegankelijkheidsverklaringen",
        slug="open-dag",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        last_ends_at=start + datetime.timedelta(hours=3),
        location="Stadhuis Utrecht, Stadsplateau 1",
    )
    return {"people": people, "group": group, "start": start, "open_day": open_day}


def answer(page, t, status):
    """Choose an answer (its English words, "I am going"), shown as the form says it."""
    main = page.locator("main")
    with translation.override(LANGUAGE):
        label = translation.pgettext("my answer to an event", status)
    main.get_by_label(label, exact=True).check()
    submit(page, main.get_by_role("button", name=t("Send my answer", LANGUAGE)))


def test_an_event_with_two_places_a_waiting_list_a_guest_and_my_calendar(
    page, open_page, world, sign_in, t, axe, email_link
):
    people, group, start = world["people"], world["group"], world["start"]

    # Anna plans the event through the form: two places.
    sign_in(page, people["anna"].email, DEFAULT_PASSWORD)
    page.goto(f"/groups/{group.slug}/events/new/")
    form = page.locator("main form")
    form.get_by_label(field(t, "Title", LANGUAGE)).fill("Werksessie open data")
    form.get_by_label(field(t, "Starts", LANGUAGE)).fill(start.strftime("%Y-%m-%dT%H:%M"))
    ends = start + datetime.timedelta(hours=2)
    form.get_by_label(field(t, "Ends", LANGUAGE)).fill(ends.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label(field(t, "Places (optional)", LANGUAGE)).fill("2")
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Save", LANGUAGE)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Werksessie open data")
    event_path = urlsplit(page.url).path
    axe.check(page)

    # Three people sign up; the third waits.
    pages = {}
    for name in ("bram", "cor", "dirk"):
        pages[name] = open_page()
        sign_in(pages[name], people[name].email, DEFAULT_PASSWORD)
        pages[name].goto(event_path)
        answer(pages[name], t, "I am going")
    expect(pages["bram"].locator(".event__mine")).to_have_text(t("You are going.", LANGUAGE))
    dirk = pages["dirk"]
    expect(dirk.locator(".event__mine")).to_have_text(
        t("You are on the waiting list. You are told when a place comes free.", LANGUAGE)
    )
    axe.check(dirk)

    # Bram cancels: Dirk is moved up and told.
    bram = pages["bram"]
    submit(bram, bram.get_by_role("button", name=t("Withdraw my answer", LANGUAGE)))
    dirk.goto(event_path)
    expect(dirk.locator(".event__mine")).to_have_text(t("You are going.", LANGUAGE))
    notifications = dirk.locator("nav").get_by_role(
        "link", name=starts_with(t("Notifications", LANGUAGE))
    )
    expect(notifications.locator(".badge")).to_contain_text("1")
    notifications.first.click()
    expect(dirk.locator("main")).to_contain_text("Werksessie open data")
    axe.check(dirk)

    # Anna sees who signed up: Cor and Dirk going, Bram gone.
    page.goto(event_path)
    page.get_by_role("link", name=t("Who signed up", LANGUAGE)).click()
    expect(page).to_have_url(path_is(event_path + "attendees/"))
    main = page.locator("main")
    expect(main.locator("#attendees-going")).to_contain_text("(2)")
    expect(main).to_contain_text("Dirk de Vries")
    expect(main).not_to_contain_text("Bram de Vries")
    axe.check(page)
    main.get_by_role("link", name=t("Write to everyone who signed up", LANGUAGE)).click()
    axe.check(page)

    # A guest signs up for the community's open day and confirms by the e-mailed link.
    guest = open_page()
    open_day = world["open_day"].get_absolute_url()
    guest.goto(open_day)
    section = guest.locator("section.event__guest")
    section.get_by_label(field(t, "Your name", LANGUAGE)).fill("Gea Gast")
    section.get_by_label(field(t, "Your e-mail address", LANGUAGE)).fill("gea@example.org")
    axe.check(guest)
    submit(guest, section.get_by_role("button", name=t("Sign up as a guest", LANGUAGE)))
    expect(guest.locator("main")).to_contain_text("gea@example.org")
    link = email_link("/events/guest/", to="gea@example.org")
    guest.goto(urlsplit(link).path)
    axe.check(guest)
    submit(guest, guest.get_by_role("button", name=t("Confirm my sign-up", LANGUAGE)))
    expect(guest.locator("main")).to_contain_text(
        t("Your sign-up is confirmed. See you there!", LANGUAGE)
    )
    confirmed = guest.url
    axe.check(guest)

    # Cor adds the personal calendar address and reads it back.
    cor = pages["cor"]
    cor.goto("/events/calendar/")
    submit(cor, cor.get_by_role("button", name=t("Make my calendar address", LANGUAGE)))
    feed = cor.locator("#feed-url").input_value()
    response = cor.request.get(urlsplit(feed).path)
    assert response.ok
    assert "BEGIN:VCALENDAR" in response.text() and "Werksessie open data" in response.text()
    axe.check(cor)

    # The same pages at 320 px.
    for tab, path in (
        (page, event_path + "attendees/"),
        (page, event_path + "message/"),
        (dirk, event_path),
        (guest, open_day),
        (guest, urlsplit(confirmed).path),
    ):
        tab.set_viewport_size({"width": 320, "height": 640})
        tab.goto(path)
        no_sideways_scroll(tab)
        axe.check(tab)
    axe.done()
