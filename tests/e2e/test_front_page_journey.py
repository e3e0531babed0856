"""A community manager builds the front page from blocks in the admin, previews it and
publishes it; a visitor who is not signed in sees it, also on a phone (320 px), and axe finds
nothing serious."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from blog.models import Post
from home.models import HomePage
from home.roles import ensure_front_page_role
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.test_demo_as_served import demo  # noqa: F401  (the demo as `make demo` serves it)
from tests.e2e.test_toolbox_editing_journey import sign_in_with_code
from tests.factories import UserFactory
from tests.helpers import activate_totp

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def browser_locale():
    return "en-GB"


@pytest.fixture
def manager(server):
    user = UserFactory(email="redactie@voorbeeld.nl", is_staff=True)
    user.groups.add(ensure_front_page_role())
    activate_totp(user)
    return user


@pytest.fixture
def news(server):
    from django.utils import timezone

    author = UserFactory(first_name="Anna", last_name="Jansen")
    site = Site.objects.get(is_default_site=True)
    published = timezone.now() - timezone.timedelta(hours=2)
    Post.objects.create(
        title="Samen open source publiceren",
        slug="samen-publiceren",
        summary="Hoe drie gemeenten hun code deelden.",
        author=author,
        site=site,
        visibility="public",
        published_at=published,
    )
    Post.objects.create(
        title="Alleen voor ingelogde mensen",
        slug="ingelogd",
        author=author,
        site=site,
        visibility="logged_in",
        published_at=published,
    )


def add_block(page, label):
    """Insert a block at the end of the stream through Wagtail's block chooser."""
    page.locator("[data-contentpath=content] .c-sf-add-button").last.click()
    page.get_by_role("option", name=re.compile(rf"^{re.escape(label)}")).first.click()


def test_a_manager_builds_previews_and_publishes_the_front_page(
    page, browser, server, manager, news, sign_in
):
    home = Site.objects.get(is_default_site=True).root_page
    sign_in_with_code(page, sign_in, manager.email)
    page.goto(f"/admin/pages/{home.pk}/edit/")

    add_block(page, "Introduction with a call to action")
    page.locator("[name='content-0-value-heading']").fill("Welkom bij de community")
    page.locator("[name='content-0-value-text']").fill("Ambtenaren werken hier samen.")
    page.locator("[name='content-0-value-button_label']").fill("Meld je aan")
    add_block(page, "Latest posts")
    page.locator("[name='content-1-value-heading']").fill("Nieuws")

    # The preview panel shows the page as it will be, before anything is published.
    page.get_by_role("button", name=re.compile("^Toggle preview|^Preview")).first.click()
    preview = page.frame_locator("#w-preview-iframe")
    heading = preview.locator("h2", has_text="Welkom bij de community")
    expect(heading).to_be_visible(timeout=30_000)
    expect(preview.locator("h2", has_text="Nieuws")).to_be_visible()
    assert not HomePage.objects.get(pk=home.pk).content

    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.locator("footer button[name=action-publish]").click()
    page.wait_for_load_state()
    published = HomePage.objects.get(pk=home.pk)
    assert [child.block_type for child in published.content] == ["introduction", "latest_posts"]

    context = browser.new_context(base_url=server.url, locale="nl-NL")
    visitor = context.new_page()
    try:
        for width in (1280, 320):
            visitor.set_viewport_size({"width": width, "height": 800})
            visitor.goto("/")
            main = visitor.locator("main")
            expect(main.get_by_role("heading", name="Welkom bij de community")).to_be_visible()
            expect(main.get_by_role("link", name="Meld je aan")).to_have_attribute(
                "href", "/accounts/signup/"
            )
            expect(main.get_by_role("link", name="Samen open source publiceren")).to_be_visible()
            expect(main).not_to_contain_text("Alleen voor ingelogde mensen")
            assert visitor.evaluate(NO_HORIZONTAL_SCROLL), f"horizontal scroll at {width} px"
            assert_no_serious_axe_violations(visitor)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl-NL", "en-GB"])
def test_the_demo_front_pages_reflow_and_pass_axe(browser, demo, language):  # noqa: F811
    """Both communities' front pages as `make demo` serves them (tests/e2e/test_demo_as_served.py),
    in Dutch and English, at 320 px without horizontal scroll and without serious axe findings."""
    english = language.startswith("en")
    context = browser.new_context(locale=language, viewport={"width": 320, "height": 640})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        for base, heading in ((demo.url, "Meent"), (demo.oost, "Regio Oost")):
            response = tab.goto(f"{base}/")
            assert response.status == 200
            welcome = f"{'Welcome to' if english else 'Welkom bij'} {heading}"
            expect(tab.locator("main").get_by_role("heading", name=welcome)).to_be_visible()
            assert tab.locator("main .front-block").count() >= 5
            assert tab.evaluate(NO_HORIZONTAL_SCROLL), f"horizontal scroll on {base}"
            assert_no_serious_axe_violations(tab)
    finally:
        context.close()
