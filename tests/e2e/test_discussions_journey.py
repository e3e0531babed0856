"""A group's discussions in the browser: Anna starts a discussion in the editor, Lotte replies
quoting its start, Anna sees "1 new" in the list and the first new reply in the thread, pins it
and closes it (the page then says why nobody can reply). axe-core checks every page; the pages
once more at 320 px, without sideways scroll."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from discussions.models import Discussion, Reply
from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import field, plural, starts_with, submit
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
LANGUAGE = "nl"


def no_sideways_scroll(page):
    assert page.evaluate(NO_HORIZONTAL_SCROLL), page.url


def sign_out(page, t):
    submit(page, page.locator("header").get_by_role("button", name=t("Sign out", LANGUAGE)))


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    group = group_services.create_group(
        anna, Group(name="Open data", slug="open-data", content_default="open")
    )
    lotte = UserFactory(first_name="Lotte", last_name="Bakker", email="lotte@utrecht.nl")
    MembershipFactory(group=group, user=lotte, role="member")
    return {"anna": anna, "lotte": lotte, "group": group}


def test_start_reply_with_a_quote_see_it_new_pin_and_close(page, world, sign_in, t, axe):
    group = world["group"]
    main = page.locator("main")

    # Anna starts a discussion from the group's tab.
    sign_in(page, world["anna"].email, DEFAULT_PASSWORD)
    page.goto(group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=t("Discussions", LANGUAGE)).click()
    listing = urlsplit(page.url).path
    expect(main).to_contain_text(
        t(
            "No discussions yet. Start the first one: ask the group what you want to talk about.",
            LANGUAGE,
        )
    )
    axe.check(page)
    main.get_by_role("link", name=t("Start a discussion", LANGUAGE)).click()
    form = main.locator("form.discussion-form")
    form.get_by_label(field(t, "Title", LANGUAGE)).fill("Publiceren van datasets")
    area = form.get_by_role("textbox", name=field(t, "What do you want to discuss?", LANGUAGE))
    expect(area).to_have_attribute("contenteditable", "true")
    area.click()
    page.keyboard.type("Welke datasets zetten we als eerste online?")
    axe.check(page)
    submit(page, form.get_by_role("button", name=t("Start the discussion", LANGUAGE)))
    discussion = Discussion.objects.get()
    thread = discussion.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publiceren van datasets")
    expect(main.locator(".discussion__body")).to_contain_text("Welke datasets")
    axe.check(page)
    sign_out(page, t)

    # Lotte quotes the start in her reply, without JavaScript's help: a link and a plain form.
    sign_in(page, world["lotte"].email, DEFAULT_PASSWORD)
    page.goto(thread)
    main.get_by_role("link", name=starts_with(t("Quote", LANGUAGE))).first.click()
    reply_form = main.locator("form.reply-form")
    expect(reply_form).to_contain_text(
        t("You quote %(person)s", LANGUAGE) % {"person": "Anna Jansen"}
    )
    reply_form.get_by_label(field(t, "Your reply", LANGUAGE)).fill(
        "Begin met de afvalkalender, die wordt het meest gevraagd."
    )
    axe.check(page)
    submit(page, reply_form.get_by_role("button", name=t("Send reply", LANGUAGE)))
    reply = Reply.objects.get()
    assert reply.quotes_start and reply.author == world["lotte"]
    quote = main.locator(f"#{reply.anchor} .reply__quote")
    expect(quote).to_contain_text(t("%(person)s wrote", LANGUAGE) % {"person": "Anna Jansen"})
    expect(quote).to_contain_text("Welke datasets zetten we als eerste online?")
    axe.check(page)
    sign_out(page, t)

    # Anna sees one new reply in the list, and in the thread where it starts.
    sign_in(page, world["anna"].email, DEFAULT_PASSWORD)
    page.goto(listing)
    row = main.locator(".discussion-row", has_text="Publiceren van datasets")
    expect(row).to_contain_text(plural("%(counter)s new", "%(counter)s new", 1, LANGUAGE))
    expect(row).to_contain_text(plural("%(counter)s reply", "%(counter)s replies", 1, LANGUAGE))
    axe.check(page)
    row.get_by_role("link", name="Publiceren van datasets").click()
    main.get_by_role("link", name=t("First new reply", LANGUAGE)).click()
    expect(page).to_have_url(f"{page.url.split('#')[0].split('?')[0]}#{reply.anchor}")
    expect(main.locator(f"#{reply.anchor}")).to_have_class("reply reply--new")

    # She pins it and closes it: the page says why nobody can reply any more.
    submit(page, main.get_by_role("button", name=t("Pin", LANGUAGE), exact=True))
    expect(main.locator(".discussion__marks")).to_contain_text(t("Pinned", LANGUAGE))
    submit(page, main.get_by_role("button", name=t("Close", LANGUAGE), exact=True))
    expect(main).to_contain_text(
        t("This discussion is closed: no replies can be added any more.", LANGUAGE)
    )
    expect(main.locator("form.reply-form")).to_have_count(0)
    discussion.refresh_from_db()
    assert discussion.is_pinned and discussion.is_closed
    axe.check(page)

    # Every page once more at 320 px.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (listing, thread, f"{listing}new/", f"{thread}edit/"):
        page.goto(path)
        no_sideways_scroll(page)
        axe.check(page)
    axe.done()
