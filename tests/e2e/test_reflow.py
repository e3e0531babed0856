"""Meent on a phone: every page of the accessibility journey reflows (WCAG 2.1 SC 1.4.10).

At 320x640 and 375x812 (Dutch) and 320x640 (English), every page of tests/e2e/journey.py:
- has no horizontal scroll (``document.documentElement.scrollWidth <= window.innerWidth``), with
  the menu closed and open;
- has a compact header whose Menu button opens the navigation from the keyboard (a disclosure:
  Enter opens, the links are visible and next in the Tab order, Escape closes and puts focus back
  on the button);
- passes axe-core's WCAG 2.1 A/AA rules (serious, critical).

The same pages at 1280 px with the browser's text size at 200 % (SC 1.4.4) have no horizontal
scroll either. The text size is set as a person sets it: Chromium's default font size (Settings ›
Appearance › Font size), through the DevTools protocol (``Page.setFontSizes``), 16 px -> 32 px.
Everything in rem and em follows it, media queries too, as it does for that person; a CSS zoom
would scale the viewport instead and prove nothing more than the 640 px case does.

Without JavaScript the menu is shown open, below the brand. At 1280 px the header is the desktop
one, without a Menu button; it carries the community's own name.

One browser context per viewport, signed-in state reused (one sign-in per test); the slowest steps
are printed (``-s``). MEENT_REFLOW_SCREENSHOTS=<directory> keeps screenshots of the home and a
group page at 320 and 1280 px.
"""

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Site

from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.journey import build_journey
from tests.factories import DEFAULT_PASSWORD

SCREENSHOTS = os.environ.get("MEENT_REFLOW_SCREENSHOTS")
DESKTOP = {"width": 1280, "height": 900}
# Where the overflow starts: elements wider than the viewport whose parent is not, outside any box
# that scrolls (or clips) on its own. Only for the failure message.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const overflows = (element) => element.getBoundingClientRect().right > width + 0.5;
    const scrollsItself = (element) => {
        for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
            if (getComputedStyle(e).overflowX !== "visible") return true;
        }
        return false;
    };
    const found = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (!overflows(element) || element.getBoundingClientRect().width === 0) continue;
        if (element.parentElement && overflows(element.parentElement)) continue;
        if (scrollsItself(element)) continue;
        const classes = element.classList.length ? "." + [...element.classList].join(".") : "";
        const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        const right = Math.round(element.getBoundingClientRect().right);
        found.push(`${element.tagName.toLowerCase()}${classes} (right ${right}px) "${text}"`);
    }
    return found.slice(0, 8);
}"""
SCROLL = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@dataclass(frozen=True)
class Viewport:
    name: str
    locale: str
    language: str
    width: int
    height: int


PHONES = [
    Viewport("nl 320x640", "nl-NL", "nl", 320, 640),
    Viewport("nl 375x812", "nl-NL", "nl", 375, 812),
    Viewport("en 320x640", "en-US", "en", 320, 640),
]


class Walk:
    """What a walk along the pages found: failures (all of them, not just the first) and timings."""

    def __init__(self):
        self.failures = []
        self.timings = []
        self.problems = []  # 5xx answers, missing static files, JavaScript errors

    @contextmanager
    def step(self, label):
        start = time.perf_counter()
        try:
            yield
        except AssertionError as error:
            self.failures.append(f"{label}: {error}")
        finally:
            self.timings.append((time.perf_counter() - start, label))

    def done(self):
        total = sum(seconds for seconds, _label in self.timings)
        print(f"\nreflow: {len(self.timings)} steps in {total:.1f} s; the slowest:")
        for seconds, label in sorted(self.timings, reverse=True)[:10]:
            print(f"  {seconds:5.2f} s  {label}")
        trouble = self.problems + self.failures
        if trouble:
            pytest.fail(f"{len(trouble)} problem(s):\n\n" + "\n\n".join(trouble), pytrace=False)


def new_context(browser, server, walk, viewport, locale, **options):
    """A browser context like the ``page`` fixture's: 5xx answers, missing static files and
    JavaScript errors are problems of the walk."""
    context = browser.new_context(base_url=server.url, locale=locale, viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)

    def on_response(response):
        path = response.url.removeprefix(server.url)
        if response.status >= 500 or (response.status >= 400 and path.startswith("/static/")):
            walk.problems.append(f"HTTP {response.status} {response.request.method} {path}")

    context.on("response", on_response)
    context.on(
        "page",
        lambda tab: tab.on("pageerror", lambda e: walk.problems.append(f"JavaScript error: {e}")),
    )
    return context


def sign_in_cookies(browser, server, walk, sign_in, person):
    """Sign in once, through the form; the session cookie then serves every context."""
    context = new_context(browser, server, walk, DESKTOP, "nl-NL")
    tab = context.new_page()
    sign_in(tab, person.email, DEFAULT_PASSWORD)
    expect(tab.locator("header")).to_contain_text(person.display_name)
    cookies = context.cookies()
    context.close()
    return cookies


def open_page(tab, journey_page, language):
    response = tab.goto(journey_page.path)
    assert response.status == 200, f"HTTP {response.status}"
    expect(tab.locator("html")).to_have_attribute("lang", language)


def assert_no_horizontal_scroll(tab, state=""):
    scroll_width, inner_width = tab.evaluate(SCROLL)
    if scroll_width > inner_width:
        wide = "\n".join(f"    {line}" for line in tab.evaluate(OVERFLOWING))
        raise AssertionError(
            f"scrolls sideways{state}: scrollWidth {scroll_width} > innerWidth {inner_width}\n"
            f"{wide}"
        )


def assert_menu_works_with_the_keyboard(tab, t, language):
    """The disclosure: Enter on the button opens it, Tab walks its links, Escape closes it."""
    header = tab.locator("header")
    button = header.get_by_role("button", name=t("Menu", language), exact=True)
    assert button.count() == 1, "no Menu button in the header"  # fail fast: no waiting
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = tab.locator(f"#{button.get_attribute('aria-controls')}")
    links = menu.locator("nav a")
    expect(links.first).to_be_hidden()

    button.focus()
    tab.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    for index in range(links.count()):
        link = links.nth(index)
        expect(link).to_be_visible()
        tab.keyboard.press("Tab")
        expect(link).to_be_focused()
    # The search box comes next, then the account area: all of the header is reachable.
    tab.keyboard.press("Tab")
    expect(menu.locator("input[name=q]")).to_be_focused()
    assert_no_horizontal_scroll(tab, " with the menu open")

    tab.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(links.first).to_be_hidden()


def screenshot(tab, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


def screenshots_with_the_menu(tab, t, name):
    if SCREENSHOTS:
        screenshot(tab, name)
        button = tab.locator("header").get_by_role("button", name=t("Menu", "nl"), exact=True)
        button.click()
        screenshot(tab, f"{name}-menu")
        button.click()


def walk_pages(browser, server, walk, viewport, pages, cookies, check, **options):
    """Every page in one context of this viewport: anonymous pages first, then signed in."""
    context = new_context(
        browser,
        server,
        walk,
        {"width": viewport.width, "height": viewport.height},
        viewport.locale,
        **options,
    )
    tab = context.new_page()
    signed_in = False
    for journey_page in pages:
        if journey_page.signed_in and not signed_in:
            context.add_cookies(cookies)
            signed_in = True
        label = f"{viewport.name} {journey_page.name} ({journey_page.path})"
        failures = len(walk.failures)
        with walk.step(f"{label}: open"):
            open_page(tab, journey_page, viewport.language)
        if len(walk.failures) == failures:  # a page that did not open has nothing to check
            check(tab, journey_page, label)
    context.close()


@pytest.fixture
def journey(server):
    return build_journey()


def test_every_page_reflows_on_a_phone_with_a_menu_for_the_keyboard(
    browser, server, journey, sign_in, t
):
    walk = Walk()
    cookies = sign_in_cookies(browser, server, walk, sign_in, journey["person"])

    for viewport in PHONES:

        def check(tab, journey_page, label, viewport=viewport):
            if viewport is PHONES[0] and journey_page.name in ("home", "group"):
                screenshots_with_the_menu(tab, t, f"{journey_page.name}-320")
            elif viewport is PHONES[0]:
                screenshot(tab, f"320-{journey_page.name.replace(' ', '-').replace(',', '')}")
            with walk.step(f"{label}: no horizontal scroll"):
                assert_no_horizontal_scroll(tab)
            with walk.step(f"{label}: menu"):
                assert_menu_works_with_the_keyboard(tab, t, viewport.language)
            with walk.step(f"{label}: axe"):
                assert_no_serious_axe_violations(tab)

        walk_pages(browser, server, walk, viewport, journey["pages"], cookies, check)
    walk.done()


def test_every_page_reflows_at_200_percent_text_size(browser, server, journey, sign_in):
    walk = Walk()
    cookies = sign_in_cookies(browser, server, walk, sign_in, journey["person"])
    viewport = Viewport("nl 1280x900 text 200%", "nl-NL", "nl", 1280, 900)
    context = new_context(browser, server, walk, DESKTOP, viewport.locale)
    tab = context.new_page()
    # Chromium's own font size setting (what a person changes in Settings), for this tab.
    cdp = context.new_cdp_session(tab)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    signed_in = False
    for journey_page in journey["pages"]:
        if journey_page.signed_in and not signed_in:
            context.add_cookies(cookies)
            signed_in = True
        label = f"{viewport.name} {journey_page.name} ({journey_page.path})"
        with walk.step(f"{label}: no horizontal scroll"):
            open_page(tab, journey_page, viewport.language)
            root = tab.evaluate("() => getComputedStyle(document.documentElement).fontSize")
            assert root == "32px", f"the text is not at 200 % (root font size {root})"
            assert_no_horizontal_scroll(tab)
    context.close()
    walk.done()


def test_without_javascript_the_menu_is_open_below_the_brand(browser, server, journey, sign_in, t):
    walk = Walk()
    cookies = sign_in_cookies(browser, server, walk, sign_in, journey["person"])
    pages = [p for p in journey["pages"] if p.name in ("home", "group")]
    viewport = PHONES[0]

    def check(tab, journey_page, label):
        with walk.step(f"{label}: no JavaScript"):
            header = tab.locator("header")
            expect(header.get_by_role("button", name=t("Menu", "nl"))).to_have_count(0)
            links = header.locator("nav a")
            expect(links.first).to_be_visible()
            expect(header.locator("input[name=q]")).to_be_visible()
            # The Tab order after the skip link: the brand, then the menu's links.
            tab.locator("body").focus()
            tab.keyboard.press("Tab")
            tab.keyboard.press("Tab")
            expect(header.locator(".site-header__brand")).to_be_focused()
            for index in range(links.count()):
                tab.keyboard.press("Tab")
                expect(links.nth(index)).to_be_focused()
            assert_no_horizontal_scroll(tab)

    walk_pages(browser, server, walk, viewport, pages, cookies, check, java_script_enabled=False)
    walk.done()


def test_desktop_header_has_no_menu_button_and_says_the_communitys_name(
    page, server, journey, sign_in, t
):
    page.goto("/")
    screenshot(page, "home-1280")
    sign_in(page, journey["person"].email, DEFAULT_PASSWORD)
    page.goto(journey["group"].get_absolute_url())
    expect(page.locator("header nav a").last).to_be_visible()
    screenshot(page, "group-1280")

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Gemeentewerk Noord"
    site.save()  # bumps the sites generation: the cached name follows
    for language in ("nl", "en"):
        if language == "en":
            page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": server.url}]
            )
        page.goto("/groups/")
        header = page.locator("header")
        expect(header.locator(".site-header__brand")).to_have_text("Gemeentewerk Noord")
        expect(page).to_have_title(f"{t('Groups', language)} · Gemeentewerk Noord")
        search = header.locator("input[name=q]")
        expect(search).to_have_accessible_name(
            t("Search %(name)s", language) % {"name": "Gemeentewerk Noord"}
        )
        # The desktop header: navigation and search in view, no Menu button.
        expect(header.get_by_role("button", name=t("Menu", language))).to_be_hidden()
        expect(header.locator("nav a").first).to_be_visible()
        expect(search).to_be_visible()
