"""Polls in the browser: Anna asks her group a question through the form (three options, one
row added in place by the script; results after voting), votes, and sees the bar chart and the
table; Lotte, in a browser of her own, votes too, and both see the result of two votes. axe-core
checks the list, the form and the poll's page before and after voting; the pages once more at
320 px, without sideways scroll."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import field, submit
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
LANGUAGE = "nl"


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna, Group(name="Heidag", slug="heidag", content_default="members")
    )
    lotte = UserFactory(first_name="Lotte", last_name="Bakker", email="lotte@utrecht.nl")
    MembershipFactory(group=group, user=lotte, role="member")
    return {"anna": anna, "lotte": lotte, "group": group}


def vote_for(page, t, label):
    main = page.locator("main")
    main.get_by_label(label, exact=True).check()
    submit(page, main.get_by_role("button", name=t("Vote", LANGUAGE), exact=True))


def test_anna_asks_both_vote_and_both_see_the_chart_and_the_table(
    page, open_page, world, sign_in, t, axe
):
    anna, lotte, group = world["anna"], world["lotte"], world["group"]
    sign_in(page, anna.email, DEFAULT_PASSWORD)
    page.goto(f"/groups/{group.slug}/polls/")
    axe.check(page)
    page.locator("main").get_by_role("link", name=t("New poll", LANGUAGE)).click()

    # The form: a question, three options (a sixth row added in place), an end in two days.
    form = page.locator("main form")
    form.get_by_label(field(t, "Question", LANGUAGE)).fill("Waar houden we de heidag?")
    option = t("Option %(number)s", LANGUAGE)
    for number, place in enumerate(("Utrecht", "Zwolle", "Den Bosch"), 1):
        form.get_by_label(option % {"number": number}, exact=True).fill(place)
    rows = form.locator("input[name=option]")
    expect(rows).to_have_count(5)
    form.get_by_role("button", name=t("Add more options", LANGUAGE)).click()
    expect(rows).to_have_count(6)
    expect(form.get_by_label(option % {"number": 6}, exact=True)).to_be_focused()
    ends = timezone.localtime() + datetime.timedelta(days=2)
    form.get_by_label(field(t, "Ends", LANGUAGE)).fill(ends.strftime("%Y-%m-%dT%H:%M"))
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Open the poll", LANGUAGE)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Waar houden we de heidag?")
    poll_path = urlsplit(page.url).path
    main = page.locator("main")
    expect(main).to_contain_text(
        t(
            "The results are shown once you have voted, and to everyone once the poll closed.",
            LANGUAGE,
        )
    )
    expect(main.locator(".poll-chart")).to_have_count(0)
    axe.check(page)

    # Anna votes and sees the chart and the table.
    vote_for(page, t, "Utrecht")
    expect(main.locator(".poll-chart__row")).to_have_count(3)
    expect(main.locator(".poll-table tbody tr")).to_have_count(3)
    expect(main.locator(".poll-table tfoot")).to_contain_text("1")
    axe.check(page)

    # Lotte, in her own browser, votes for Zwolle.
    other = open_page()
    sign_in(other, lotte.email, DEFAULT_PASSWORD)
    other.goto(poll_path)
    expect(other.locator("main .poll-chart")).to_have_count(0)
    axe.check(other)
    vote_for(other, t, "Zwolle")
    for tab in (other, page):
        tab.goto(poll_path)
        table = tab.locator("main .poll-table")
        expect(table.locator("tfoot")).to_contain_text("2")
        expect(table.locator("tbody tr").nth(0)).to_contain_text("50%")
        expect(table.locator("tbody tr").nth(1)).to_contain_text("50%")
        expect(table.locator("tbody tr").nth(2)).to_contain_text("0%")
        expect(tab.locator("main .poll-chart__row").nth(1)).to_contain_text("50%")

    # The list says Anna voted; the pages once more at 320 px.
    page.goto(f"/groups/{group.slug}/polls/")
    expect(page.locator("main .poll-list__item")).to_contain_text(t("you voted", LANGUAGE))
    axe.check(page)
    for path in (f"/groups/{group.slug}/polls/", f"/groups/{group.slug}/polls/new/", poll_path):
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(path)
        assert page.evaluate(NO_HORIZONTAL_SCROLL), path
        axe.check(page)
    axe.done()
