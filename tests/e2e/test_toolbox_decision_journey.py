"""The licence chooser in the browser: walked to the EUPL-1.2 by clicking, with the back button and
the change links, the share link opened elsewhere, axe on a question and on the outcome, and a
walk without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from demo.loader import (
    licence_chooser_introduction,
    licence_chooser_steps,
    licence_chooser_title,
)
from home.models import HomePage
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import starts_with, submit
from toolbox.decisions.models import DecisionAidPage
from toolbox.models import ToolboxIndexPage

PATH = "/toolbox/licentiekiezer/"
FIRST = "Wat wil je publiceren?"
SECOND = (
    "Neem je code over uit een project onder de GPL of AGPL, of maak je er samen één programma mee?"
)
THIRD = "Wat voor software is het?"
FOURTH = (
    "Moeten anderen die je software aanpassen en verspreiden of online aanbieden, hun wijzigingen "
    "ook als open source delen?"
)
EUPL = "EUPL-1.2: de gebruikelijke keuze voor overheidssoftware"


@pytest.fixture
def chooser(server):
    home = HomePage.objects.first()
    toolbox = home.add_child(instance=ToolboxIndexPage(title="Toolbox", slug="toolbox"))
    page = toolbox.add_child(
        instance=DecisionAidPage(
            title=licence_chooser_title("nl"),
            slug="licentiekiezer",
            introduction=licence_chooser_introduction("nl"),
            steps=licence_chooser_steps("nl"),
        )
    )
    page.save_revision().publish()
    return page


def question(page):
    """The question being asked: the legend of the form's fieldset."""
    return page.locator("main form.decision-step fieldset legend")


def answer(page, t, label):
    """Choose ``label`` (by its radio button's label) and press Next; return the response."""
    page.get_by_role("radio", name=label, exact=True).check()
    return submit(page, page.get_by_role("button", name=t("Next", "nl"), exact=True))


def test_walk_the_licence_chooser_to_the_eupl(page, chooser, server, t, open_page):
    page.goto(PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Licentiekiezer")
    expect(question(page)).to_contain_text(FIRST)
    expect(page.locator("main")).to_contain_text("open-sourcelicentie")
    assert_no_serious_axe_violations(page)

    # Pressing Next without an answer does not leave the question (the radio buttons are required).
    page.get_by_role("button", name=t("Next", "nl"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(PATH)}$"))

    response = answer(page, t, "Software: broncode")
    assert response.status == 200
    expect(page).to_have_url(re.compile(rf"{re.escape(PATH)}\?trail=0$"))
    expect(question(page)).to_contain_text(SECOND)
    expect(page.locator(".decision-answers")).to_contain_text("Software: broncode")

    # The browser's back button shows the previous question again.
    page.go_back()
    expect(question(page)).to_contain_text(FIRST)
    page.go_forward()
    expect(question(page)).to_contain_text(SECOND)

    answer(page, t, "Nee, alleen eigen code of losse bibliotheken onder andere licenties")
    expect(question(page)).to_contain_text(THIRD)
    answer(page, t, "Een toepassing: een applicatie, website, dienst of voorziening")
    expect(question(page)).to_contain_text(FOURTH)
    assert_no_serious_axe_violations(page)
    answer(page, t, "Ja, verbeteringen moeten openbaar blijven")

    expect(page).to_have_url(re.compile(rf"{re.escape(PATH)}\?trail=0\.2\.0\.0$"))
    outcome = page.locator("main .decision-outcome")
    expect(outcome.get_by_role("heading", level=2)).to_have_text(EUPL)
    expect(outcome.get_by_role("link", name="EUPL-1.2")).to_have_attribute(
        "href", "https://spdx.org/licenses/EUPL-1.2.html"
    )
    answers = page.locator("main .decision-answers li")
    expect(answers).to_have_count(4)
    expect(answers.nth(3)).to_contain_text("Ja, verbeteringen moeten openbaar blijven")
    # With JavaScript, the Copy link and Print buttons show and the print hint goes.
    expect(page.get_by_role("button", name=t("Print", "nl"), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=t("Copy link", "nl"), exact=True)).to_be_visible()
    expect(page.locator("[data-print-hint]")).to_be_hidden()

    share = page.get_by_label(t("Link to this advice", "nl"), exact=True)
    shared_url = f"{server.url}{PATH}?trail=0.2.0.0"
    expect(share).to_have_value(shared_url)
    assert_no_serious_axe_violations(page)

    # Someone else opens the shared link and sees the same advice and answers.
    other = open_page()
    other.goto(shared_url)
    expect(other.locator("main .decision-outcome h2")).to_have_text(EUPL)
    expect(other.locator("main .decision-answers li")).to_have_count(4)

    # Back from the outcome is the last question; a change link goes to any earlier one.
    page.go_back()
    expect(question(page)).to_contain_text(FOURTH)
    page.go_forward()
    expect(outcome.get_by_role("heading", level=2)).to_have_text(EUPL)
    page.locator("main .decision-answers li").nth(1).get_by_role(
        "link", name=starts_with(t("Change", "nl"))
    ).click()
    expect(question(page)).to_contain_text(SECOND)
    expect(page).to_have_url(re.compile(rf"{re.escape(PATH)}\?trail=0$"))

    # Start again from the outcome.
    page.go_back()
    page.get_by_role("link", name=t("Start again", "nl"), exact=True).click()
    expect(question(page)).to_contain_text(FIRST)


def test_a_broken_link_says_so_and_offers_to_start_again(page, chooser, t):
    response = page.goto(f"{PATH}?trail=0.7")
    assert response.status == 400
    expect(page.locator("main .form-errors")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=t("Start again", "nl"), exact=True).click()
    expect(question(page)).to_contain_text(FIRST)


def test_walk_without_javascript(browser, server, chooser, t):
    context = browser.new_context(base_url=server.url, locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(PATH)
        expect(question(page)).to_contain_text(FIRST)
        answer(page, t, "Data: een dataset of open data")
        expect(question(page)).to_contain_text("Mag iedereen je data zonder voorwaarden gebruiken?")
        page.go_back()
        expect(question(page)).to_contain_text(FIRST)
        answer(page, t, "Data: een dataset of open data")
        answer(page, t, "Ja, zonder voorwaarden")
        expect(page).to_have_url(re.compile(rf"{re.escape(PATH)}\?trail=2\.0$"))
        expect(page.locator("main .decision-outcome h2")).to_have_text("CC0-1.0: vrij van rechten")
        # Without JavaScript the buttons that need it stay hidden; the hint and the link show.
        expect(page.get_by_role("button", name=t("Print", "nl"), exact=True)).to_have_count(0)
        expect(page.locator("[data-print-hint]")).to_be_visible()
        expect(page.get_by_label(t("Link to this advice", "nl"), exact=True)).to_have_value(
            f"{server.url}{PATH}?trail=2.0"
        )
    finally:
        context.close()
