"""The toolbox in the browser: read by phase, open an article, tick off a checklist with the
keyboard (saved as you go) or without JavaScript (the Save progress button), and see the progress
kept per article and per section. axe checks the index, a section, an article and a topic page."""

import re

from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import path_is, starts_with, submit
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    ToolboxTopicFactory,
    article_body,
    block,
    checklist,
    toolbox_index,
)
from toolbox.models import ChecklistTick, Phase, Progress

ITEMS = [
    ("i1", "Er is een licentiebestand"),
    ("i2", "Er staan geen wachtwoorden in de code"),
    ("i3", "De README legt uit hoe je begint"),
    ("i4", "Het team weet wie vragen beantwoordt"),
]


def progress(done, total, language="nl"):
    with translation.override(language):
        return Progress(done, total).label


def build_toolbox():
    index = toolbox_index()
    ToolboxSectionPageFactory(phase=Phase.DECIDING, title="Besluiten", slug="besluiten")
    section = ToolboxSectionPageFactory(
        phase=Phase.PREPARING, title="Voorbereiden", slug="voorbereiden"
    )
    topic = ToolboxTopicFactory(name="Licenties", slug="licenties", description="Over licenties.")
    body = [
        block("heading", {"text": "Waarom dit ertoe doet", "level": "h2"}),
        *article_body(10, video_url="https://unknown-video-host.invalid/watch/1")[1:],
        block("heading", {"text": "Controleer voor publicatie", "level": "h2"}),
        checklist("Klaar om te publiceren?", ITEMS),
    ]
    article = ToolboxArticlePageFactory(
        parent=section,
        title="De code klaarzetten",
        slug="code-klaarzetten",
        summary="Wat je regelt voordat de code openbaar wordt.",
        body=body,
        topics=[topic],
    )
    ToolboxArticlePageFactory(parent=section, title="Een licentie kiezen", slug="licentie-kiezen")
    return index, section, article, topic


def test_person_reads_the_toolbox_and_ticks_off_a_checklist_with_the_keyboard(page, sign_in, t):
    index, section, article, topic = build_toolbox()
    person = UserFactory(first_name="Iris", last_name="de Wit")

    # Before signing in: the article reads the same, the checklist is a plain list.
    page.goto(article.url)
    expect(page.locator("main input[type=checkbox]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(ITEMS[0][1])
    assert_no_serious_axe_violations(page)

    sign_in(page, person.email, DEFAULT_PASSWORD)
    total = len(article.checklist_item_ids)

    # The index: sections in phase order, each with its articles.
    page.goto("/toolbox/")
    headings = page.locator("main section.toolbox-section h2")
    expect(headings).to_have_text(["Besluiten", "Voorbereiden"])
    assert_no_serious_axe_violations(page)

    # Into the section, then the article.
    page.locator("main h2").get_by_role("link", name="Voorbereiden", exact=True).click()
    expect(page).to_have_url(path_is("/toolbox/voorbereiden/"))
    expect(page.locator("main h1")).to_have_text("Voorbereiden")
    assert_no_serious_axe_violations(page)
    page.locator("main").get_by_role("link", name="De code klaarzetten").click()
    expect(page).to_have_url(path_is("/toolbox/voorbereiden/code-klaarzetten/"))
    expect(page.locator("main h1")).to_have_text("De code klaarzetten")
    status = page.locator("[data-toolbox-progress]")
    expect(status).to_have_text(progress(0, total))

    # An FAQ item opens (a <details>, no script needed) and shows its answer.
    answer = page.get_by_text("Meestal de EUPL-1.2.")
    expect(answer).to_be_hidden()
    page.locator("main summary", has_text="Welke licentie past?").click()
    expect(answer).to_be_visible()
    assert_no_serious_axe_violations(page)

    # Two items ticked with the keyboard; each is saved at once and the count announced.
    first = page.get_by_label(ITEMS[0][1])
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(status).to_have_text(progress(1, total))
    page.keyboard.press("Tab")
    expect(page.get_by_label(ITEMS[1][1])).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text(progress(2, total))
    expect(status).to_have_attribute("role", "status")

    # After a reload the ticks are still there: they were saved, not just shown.
    page.reload()
    expect(page.get_by_label(ITEMS[0][1])).to_be_checked()
    expect(page.get_by_label(ITEMS[1][1])).to_be_checked()
    expect(page.get_by_label(ITEMS[2][1])).not_to_be_checked()
    expect(page.locator("[data-toolbox-progress]")).to_have_text(progress(2, total))
    assert set(ChecklistTick.objects.filter(user=person).values_list("item_id", flat=True)) == {
        "i1",
        "i2",
    }

    # The section sums the progress of its articles (the other article has three items more).
    page.goto("/toolbox/voorbereiden/")
    section_line = page.locator(f'[data-section-progress="{section.pk}"]')
    expect(section_line).to_contain_text(progress(2, total + 3))
    expect(page.locator(f'[data-progress-for="{article.pk}"]')).to_contain_text(progress(2, total))
    page.goto("/toolbox/")
    expect(page.locator(f'[data-section-progress="{section.pk}"]')).to_contain_text(
        progress(2, total + 3)
    )

    # The topic page lists the article; axe is content there too.
    page.locator("main").get_by_role("link", name="Licenties", exact=True).click()
    expect(page).to_have_url(path_is("/toolbox/topics/licenties/"))
    expect(page.locator("main")).to_contain_text("De code klaarzetten")
    expect(page.locator("main")).not_to_contain_text("Een licentie kiezen")
    assert_no_serious_axe_violations(page)


def test_without_javascript_the_save_button_keeps_the_ticks(
    browser, server, browser_locale, sign_in, t
):
    index, section, article, topic = build_toolbox()
    person = UserFactory()
    context = browser.new_context(
        base_url=server.url, locale=browser_locale, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = context.new_page()
        sign_in(tab, person.email, DEFAULT_PASSWORD)
        tab.goto(article.url)
        total = len(article.checklist_item_ids)
        tab.get_by_label(ITEMS[2][1]).check()
        tab.get_by_label(ITEMS[3][1]).check()
        checklist_region = tab.get_by_role("region", name="Klaar om te publiceren?")
        response = submit(
            tab, checklist_region.get_by_role("button", name=starts_with(t("Save progress", "nl")))
        )
        assert response.status == 200
        expect(tab.locator(".messages")).to_contain_text(progress(2, total))
        expect(tab.get_by_label(ITEMS[2][1])).to_be_checked()
        expect(tab.get_by_label(ITEMS[0][1])).not_to_be_checked()
        assert re.search(r"#checklists$", tab.url)
        assert set(ChecklistTick.objects.filter(user=person).values_list("item_id", flat=True)) == {
            "i3",
            "i4",
        }

        # Anonymous visitors see the list and are invited to sign in, also without a script.
        anonymous = browser.new_context(
            base_url=server.url, locale=browser_locale, java_script_enabled=False
        )
        try:
            other = anonymous.new_page()
            other.goto(article.url)
            expect(other.locator("main input[type=checkbox]")).to_have_count(0)
            expect(other.locator("main")).to_contain_text(ITEMS[0][1])
            region = other.get_by_role("region", name="Klaar om te publiceren?")
            sign_in_link = region.get_by_role("link", name=t("Sign in to keep your progress", "nl"))
            expect(sign_in_link).to_be_visible()
            expect(sign_in_link).to_have_attribute("href", re.compile(r"^/accounts/login/\?next="))
        finally:
            anonymous.close()
    finally:
        context.close()
