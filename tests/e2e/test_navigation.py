"""Finding one's way: by keyboard, and in one's own language."""

import re

from playwright.sync_api import expect


def test_first_tab_focuses_the_skip_link_which_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()  # hidden off-screen until it has focus

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    expect(page.locator("main :focus")).to_have_count(1)


def test_language_switcher_turns_the_site_to_english(page, server, t):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    switcher = page.locator("header form.language-switcher")
    choice = switcher.get_by_label(t("Language", "nl"), exact=True)
    expect(choice).to_have_value("nl")
    choice.select_option("en")
    with page.expect_navigation():
        switcher.get_by_role("button", name=t("Switch", "nl")).click()

    # Back on the same page, now in English...
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switcher.get_by_label("Language", exact=True)).to_have_value("en")
    # ...and the choice sticks, over the browser's Dutch Accept-Language.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(t("Sign In", "en"))
