"""Finding a colleague in the browser: a person opens People from the main menu, searches for
an expertise, follows a tag, opens the colleague's profile and sees the fields that are theirs to
see (not those for the colleague's own organisation). axe-core checks every page, in Dutch and
English, and the directory and the profile reflow at 320 px without horizontal scroll."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory
from tests.people.world import give, make_field

LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def world(server):
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    rijk = OrganisationFactory(name="Ministerie van BZK", slug="bzk")
    make_field("expertise", kind="tags", label_nl="Expertise", label_en="Expertise")
    make_field("afdeling", label_nl="Afdeling", label_en="Department")
    make_field(
        "telefoon", kind="phone", label_nl="Telefoon", label_en="Phone", visibility="organisation"
    )
    fatima = UserFactory(
        first_name="Fatima",
        last_name="El Amrani",
        email="fatima@utrecht.nl",
        organisation=utrecht,
        job_title="Informatieadviseur",
    )
    give(
        fatima,
        expertise="DPIA, Archiefwet, Wet open overheid, Informatiehuishoudingsverbeteringsprogrammamanagement",
        afdeling="Informatiebeheer",
        telefoon="+31 30 555 0123",
    )
    for n in range(3):
        UserFactory(first_name=f"Collega{n}", last_name="Rijk", organisation=rijk)
    anna = UserFactory(
        first_name="Anna", last_name="Jansen", email="anna@minbzk.nl", organisation=rijk
    )
    return {"anna": anna, "fatima": fatima}


@LANGUAGES
def test_a_person_finds_a_colleague_by_expertise(page, world, sign_in, axe, t, language):
    sign_in(page, "anna@minbzk.nl", DEFAULT_PASSWORD)
    page.get_by_role("navigation", name=t("Main", language)).get_by_role(
        "link", name=t("People", language), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("People", language))
    axe.check(page)

    search = page.get_by_role("search", name=t("Search people", language))
    search.get_by_label(t("Name, organisation or expertise", language)).fill("dpia")
    with page.expect_navigation():
        search.get_by_role("button", name=t("Search", language)).click()
    cards = page.locator("main .card")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_contain_text("Fatima El Amrani")
    expect(card).to_contain_text("Gemeente Utrecht")
    expect(card).to_contain_text("Informatieadviseur")
    expect(card.get_by_role("list", name="Expertise").get_by_role("listitem")).to_have_count(4)
    axe.check(page)

    # A tag leads to everyone with it.
    with page.expect_navigation():
        card.get_by_role("link", name="Archiefwet").click()
    expect(page).to_have_url(re.compile(r"/people/\?tag=Archiefwet$"))
    expect(page.locator("main .card")).to_have_count(1)
    axe.check(page)

    with page.expect_navigation():
        page.locator("main .card").get_by_role("link", name="Fatima El Amrani").click()
    expect(page).to_have_url(re.compile(rf"/people/{world['fatima'].pk}/$"))
    details = page.get_by_role("region", name=t("Profile details", language))
    expect(details).to_contain_text("Informatiebeheer")
    expect(details).to_contain_text("DPIA")
    # The phone number is for Fatima's own organisation only.
    expect(page.locator("main")).not_to_contain_text("555 0123")
    axe.check(page)
    axe.done()


@LANGUAGES
def test_the_directory_and_a_profile_reflow_at_320_px(page, world, sign_in, axe, language):
    sign_in(page, "anna@minbzk.nl", DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/people/", "/people/?q=dpia", f"/people/{world['fatima'].pk}/"):
        page.goto(path)
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{path} scrolls sideways at 320 px"
        axe.check(page)
    axe.done()


def test_someone_with_bad_input_gets_an_answer(page, world, sign_in, t):
    sign_in(page, "anna@minbzk.nl", DEFAULT_PASSWORD)
    page.goto("/people/?organisation=abc&q=" + "%3F" * 300)
    expect(page.locator("main")).to_contain_text(
        t("There is no organisation “%(value)s”.", "nl") % {"value": "abc"}
    )
    expect(page.locator("main")).to_contain_text(
        t("Your search was long: only its first %(count)s characters were used.", "nl")
        % {"count": 200}
    )


@LANGUAGES
def test_a_person_fills_in_the_profile_fields(page, world, sign_in, axe, t, language):
    sign_in(page, "anna@minbzk.nl", DEFAULT_PASSWORD)
    page.goto("/people/me/edit/")
    group = page.get_by_role("group", name=t("More about you", language))
    expertise = group.get_by_label("Expertise")
    expertise.fill("Open source, <b>Licenties</b>")
    axe.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save profile", language)).click()
    no_markup = t(
        "Write plain text: no HTML or other markup (remove the < and > around it). It is "
        "shown exactly as you type it.",
        language,
    )
    expect(page.locator("main")).to_contain_text(no_markup)
    axe.check(page)
    page.get_by_role("group", name=t("More about you", language)).get_by_label("Expertise").fill(
        "Open source, Licenties"
    )
    with page.expect_navigation():
        page.get_by_role("button", name=t("Save profile", language)).click()
    details = page.get_by_role("region", name=t("Profile details", language))
    expect(details.get_by_role("link", name="Licenties")).to_be_visible()
    axe.check(page)
    axe.done()
