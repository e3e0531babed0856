"""The agendas in the browser: a member opens the Agenda from the main menu, sees the days in
their language, filters by group, switches to the past, opens the month table and moves through
it with the keyboard, and finds the group's Agenda tab with "New event". The same pages at 320 px
have no sideways scroll (the month table becomes a list of days); axe-core checks every page, in
Dutch and English."""

import datetime

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from events import recurrence
from events.models import Event
from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import path_is
from tests.factories import DEFAULT_PASSWORD, EventFactory, UserFactory

LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _event(**fields):
    event = EventFactory(**fields)
    if event.recurrence:
        Event.objects.filter(pk=event.pk).update(last_ends_at=recurrence.last_end(event))
    return event


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna,
        Group(name="Digitale toegankelijkheid", slug="toegankelijkheid", content_default="open"),
    )
    other = group_services.create_group(
        anna, Group(name="Open data", slug="open-data", content_default="open")
    )
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    tomorrow = now + datetime.timedelta(days=1)
    _event(
        title="Toegankelijkheidsoverleg",
        group=group,
        organiser=anna,
        starts_at=tomorrow,
        ends_at=tomorrow + datetime.timedelta(hours=1),
        location="Stadhuis Utrecht, Stadsplateau 1 (zaal met een heel lange naam om te testen)",
        capacity=12,
        recurrence="FREQ=WEEKLY;COUNT=6",
    )
    _event(
        title="Datadag",
        group=other,
        organiser=anna,
        starts_at=tomorrow + datetime.timedelta(days=2),
        ends_at=tomorrow + datetime.timedelta(days=2, hours=3),
        online_url="https://meet.example.org/datadag",
    )
    _event(
        title="Terugblik",
        group=None,
        organiser=anna,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3) + datetime.timedelta(hours=2),
    )
    return {"anna": anna, "group": group, "tomorrow": tomorrow}


def day_heading(moment, language):
    with translation.override(language):
        return formats.date_format(moment, "l j F")


def no_sideways_scroll(page):
    assert page.evaluate(NO_HORIZONTAL_SCROLL), page.url


@LANGUAGES
def test_the_agendas_list_month_and_group_tab(page, world, sign_in, t, axe, language):
    anna, group = world["anna"], world["group"]
    sign_in(page, anna.email, DEFAULT_PASSWORD)

    # The main menu leads to the agenda: days in the reader's language, cards under them.
    page.goto("/")
    page.locator("nav.site-nav").get_by_role("link", name=t("Agenda", language)).click()
    expect(page).to_have_url(path_is("/events/"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(t("Agenda", language))
    expect(main.get_by_role("heading", level=2).first).to_contain_text(
        day_heading(world["tomorrow"], language)
    )
    expect(main.get_by_role("link", name="Toegankelijkheidsoverleg")).to_have_count(6)
    expect(main.get_by_role("link", name="Datadag")).to_be_visible()
    no_sideways_scroll(page)
    axe.check(page)

    # Filter by group; then the past.
    main.get_by_label(t("Group", language)).select_option("open-data")
    main.get_by_role("button", name=t("Filter", language)).click()
    expect(main.get_by_role("link", name="Datadag")).to_be_visible()
    expect(main.get_by_role("link", name="Toegankelijkheidsoverleg")).to_have_count(0)
    main.get_by_role("link", name=t("Show all events", language)).click()
    main.get_by_role("navigation", name=t("Upcoming or past", language)).get_by_role(
        "link", name=t("Past", language)
    ).click()
    expect(main.get_by_role("link", name="Terugblik")).to_be_visible()
    axe.check(page)

    # The month: a table with a caption, weekday headers and the days' events.
    main.get_by_role("link", name=t("Month view", language)).click()
    table = page.get_by_role("table")
    with translation.override(language):
        caption = formats.date_format(timezone.localdate(), "F Y")
    expect(table.locator("caption")).to_have_text(caption)
    expect(table.get_by_role("columnheader")).to_have_count(7)
    expect(table.locator("td[aria-current=date]")).to_have_count(1)
    no_sideways_scroll(page)
    axe.check(page)
    # With the keyboard: to the next month and back.
    next_link = main.locator("a[rel=next]")
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        f"{page.url.split('/events/')[0]}/events/month/?month="
        + (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).strftime("%Y-%m")
    )
    main.locator("a[rel=prev]").focus()
    page.keyboard.press("Enter")
    expect(table.locator("td[aria-current=date]")).to_have_count(1)
    if world["tomorrow"].month == timezone.localdate().month:
        link = table.get_by_role("link", name="Toegankelijkheidsoverleg").first
        link.focus()
        expect(link).to_be_focused()

    # The group's Agenda tab, with "New event" for a member who may organise.
    page.goto(group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=t("Agenda", language)).click()
    expect(page).to_have_url(path_is(f"/groups/{group.slug}/agenda/"))
    expect(page.locator("nav.tabs a[aria-current=page]")).to_have_text(t("Agenda", language))
    expect(main.get_by_role("link", name=t("New event in this group", language))).to_be_visible()
    expect(main.get_by_role("link", name="Toegankelijkheidsoverleg")).to_have_count(6)
    axe.check(page)

    # My events: what Anna organises.
    page.goto("/events/mine/")
    expect(main.get_by_text(t("You organise this", language)).first).to_be_visible()
    axe.check(page)

    # At 320 px: no sideways scroll; the month is a list of the days with events.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/events/", "/events/month/", f"/groups/{group.slug}/agenda/", "/events/mine/"):
        page.goto(path)
        no_sideways_scroll(page)
        axe.check(page)
    page.goto("/events/month/")
    expect(page.locator("table.month thead")).to_have_css("position", "absolute")
    first_day = page.locator("table.month td.month__day--events").first
    expect(first_day.locator(".month__long")).to_be_visible()
    with translation.override(language):
        expect(page.locator("table.month td[aria-current=date] .month__long")).to_have_text(
            formats.date_format(timezone.localdate(), "l j F")
        )
    axe.done()
