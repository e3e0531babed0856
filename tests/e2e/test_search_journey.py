"""Search in the browser: the header box with suggestions (keyboard only), the results page with
facets and paging, search within a group, and what a non-member never sees. axe-core checks the
results page (with results, empty, nothing found, bad filters) and the open suggestion list, in
Dutch and English."""

import re

import pytest
from playwright.sync_api import expect

from groups.models import Group
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from wiki import services as wiki_services

LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Akker", email="anna@voorbeeld.nl")
    noor = UserFactory(first_name="Noor", last_name="Buiten", email="noor@voorbeeld.nl")
    open_group = GroupFactory(
        name="Fietsbeleid", slug="fietsbeleid", visibility="listed", content_default="open"
    )
    closed = GroupFactory(
        name="Fietsraad", slug="fietsraad", visibility="listed", content_default="members"
    )
    for group in (open_group, closed):
        MembershipFactory(group=group, user=anna, role="owner")
    for n in range(25):
        wiki_services.create_page(
            anna,
            open_group,
            title=f"Fietsnota {n:02d}",
            body=f"<p>Over de fietsstraat, deel {n}</p>",
            visibility="public",
        )
    wiki_services.create_page(
        anna,
        closed,
        title="Fietsgeheim",
        body="<p>De geheime fietsstraat van de raad</p>",
        visibility="group",
    )
    return {"anna": anna, "noor": noor, "open": open_group, "closed": closed}


def header_box(page):
    return page.locator("header input[name=q]")


@LANGUAGES
def test_suggestions_by_keyboard(page, world, sign_in, axe, t, language):
    sign_in(page, "anna@voorbeeld.nl", DEFAULT_PASSWORD)
    page.goto("/groups/")
    box = header_box(page)
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("fietsg")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Fietsgeheim")
    axe.check(page)
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    active = box.get_attribute("aria-activedescendant")
    assert active == options.first.get_attribute("id")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/groups/fietsraad/wiki/" in page.url
    axe.done()


@LANGUAGES
def test_search_facets_and_paging(page, world, axe, t, language):
    page.goto("/groups/")
    box = header_box(page)
    box.fill("fietsstraat")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=fietsstraat" in page.url
    main = page.locator("main")
    expect(main.locator(".result-count")).to_contain_text("25")
    expect(main.locator(".search-hit")).to_have_count(20)
    expect(main.locator(".search-hit mark").first).to_have_text(re.compile("fietsstraat", re.I))
    # Never the members-only page, for someone who is not signed in.
    expect(main).not_to_contain_text("Fietsgeheim")
    axe.check(page)
    facets = page.locator(".search-facets")
    with page.expect_navigation():
        facets.get_by_role("link", name=re.compile(t("Wiki pages", language))).click()
    assert "type=wiki_page" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name=t("Next", language)).click()
    assert "page=2" in page.url
    expect(main.locator(".search-hit")).to_have_count(5)
    axe.check(page)
    # Empty, nothing found, bad filters, a page beyond the end.
    for address in (
        "/search/",
        "/search/?q=zzqqxx",
        "/search/?q=fietsstraat&type=onzin&from=gisteren&group=bestaat-niet",
        "/search/?q=fietsstraat&page=10000",
        "/search/?q=" + "fiets%20" * 1500,
    ):
        page.goto(address)
        expect(main.locator(".search-messages .message").first).to_be_visible()
        axe.check(page)
    axe.done()


def test_non_member_never_sees_members_only_content(page, world, sign_in):
    sign_in(page, "noor@voorbeeld.nl", DEFAULT_PASSWORD)
    page.goto("/search/?q=fietsstraat")
    main = page.locator("main")
    expect(main.locator(".result-count")).to_contain_text("25")
    expect(main).not_to_contain_text("Fietsgeheim")
    expect(main).not_to_contain_text("geheime")
    page.goto("/search/?q=geheime")
    expect(main.locator(".search-hit")).to_have_count(0)
    box = header_box(page)
    box.fill("")
    box.focus()
    page.keyboard.type("fiets")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(listbox).to_contain_text("Fietsbeleid")
    expect(listbox).not_to_contain_text("Fietsgeheim")
    # The group page offers a search only where one may read.
    page.goto("/groups/fietsraad/")
    expect(page.locator("form.group-search")).to_have_count(0)
    page.goto("/groups/fietsbeleid/")
    group_box = page.locator("form.group-search input[name=q]")
    group_box.fill("fietsstraat")
    with page.expect_navigation():
        group_box.press("Enter")
    assert "group=fietsbeleid" in page.url
    expect(main.locator("h1")).to_contain_text("Fietsbeleid")
    assert Group.objects.filter(slug="fietsraad").exists()
