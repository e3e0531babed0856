"""An operator adds a community from the admin, previews its theme before saving it, and a person
uses one account on both communities: their groups stay with the community they were made on.

The second community's host name is ``oost.localhost``: Chromium resolves every ``*.localhost``
name to this machine, so the live server answers it without touching DNS.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from groups.models import Group
from tests.e2e.axe import AxeChecker
from tests.e2e.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD, GroupFactory, UserFactory
from tests.helpers import TOTP_SECRET, activate_totp
from themes.models import ThemeSettings

HOST = "oost.localhost"


@pytest.fixture
def browser_locale():
    return "en-GB"


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


def sign_in_at(page, base, email, code=False):
    page.goto(f"{base}/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(DEFAULT_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if code:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.locator("main form [name=code]").fill(totp_code(TOTP_SECRET))
        page.locator("main form button[type=submit]:not([form])").click()
        page.wait_for_load_state()


def header_colour(locator):
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_an_operator_adds_a_community_and_previews_its_theme(page, server, browser):
    port = urlsplit(server.url).port
    oost = f"http://{HOST}:{port}"
    operator = UserFactory(email="beheer@voorbeeld.nl", is_staff=True, is_superuser=True)
    activate_totp(operator)
    sign_in_at(page, server.url, operator.email, code=True)

    # Settings › Communities › Add a community.
    page.goto("/admin/communities/")
    page.get_by_role("link", name="Add a community").click()
    page.locator("[name=name]").fill("Regio Oost")
    page.locator("[name=hostname]").fill("https://oost.localhost")
    page.locator("[name=port]").fill(str(port))
    page.locator("#w-editor-form button[type=submit]").first.click()
    expect(page.get_by_text("without https://").first).to_be_visible()
    assert not Site.objects.filter(hostname=HOST).exists()
    page.locator("[name=hostname]").fill(HOST)
    page.locator("#w-editor-form button[type=submit]").first.click()
    expect(page.get_by_text("The community Regio Oost has been added")).to_be_visible()
    site = Site.objects.get(hostname=HOST)
    row = page.locator("tr", has_text="Regio Oost")
    expect(row).to_contain_text(oost)

    # Its theme: the preview shows the colour before it is saved.
    row.get_by_role("link", name="Theme").click()
    expect(page).to_have_url(re.compile(rf"/admin/settings/themes/themesettings/{site.pk}/"))
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    # The preview renders in the site's default language (Wagtail's preview request has no
    # Accept-Language of its own): find it by what it is, not by its words.
    expect(preview.locator("style[data-theme-preview]")).to_have_count(1)
    expect(preview.locator("main h1")).to_be_visible()
    expect(preview.locator(".site-header")).to_have_css("background-color", "rgb(21, 66, 115)")
    # Wagtail takes the form as it is 2 s after loading as the unchanged state; an edit made
    # before then is not seen as an edit, and the preview would not follow it.
    page.wait_for_timeout(2500)
    page.locator("[name=primary_colour]").fill("#7a1f5c")
    expect(preview.locator(".site-header")).to_have_css("background-color", "rgb(122, 31, 92)")
    assert not ThemeSettings.objects.filter(site=site, primary_colour="#7a1f5c").exists()
    page.locator("footer button[type=submit], button[type=submit].button-longrunning").first.click()
    expect(page.locator(".messages .success")).to_contain_text("updated")

    # The new community wears it; the default one does not.
    visitor = browser.new_context(locale="en-GB")
    tab = visitor.new_page()
    tab.goto(f"{oost}/")
    expect(tab.get_by_role("heading", name="Regio Oost")).to_be_visible()
    assert header_colour(tab.locator(".site-header")) == "rgb(122, 31, 92)"
    tab.goto(f"{server.url}/")
    assert header_colour(tab.locator(".site-header")) == "rgb(21, 66, 115)"
    visitor.close()


def test_one_account_on_both_communities_and_groups_stay_home(page, server, browser):
    port = urlsplit(server.url).port
    oost = f"http://{HOST}:{port}"
    from communities.services import NewCommunity, create_community

    site = create_community(NewCommunity(name="Regio Oost", hostname=HOST, port=port))
    GroupFactory(name="Dijkbewaking", slug="dijkbewaking", content_default="open")
    person = UserFactory(email="reiziger@voorbeeld.nl", first_name="Rik", last_name="Reiziger")

    # The same account signs in on the default community and on Regio Oost.
    sign_in_at(page, server.url, person.email)
    expect(page.locator(".site-header__who")).to_contain_text("Rik Reiziger")
    sign_in_at(page, oost, person.email)
    expect(page.locator(".site-header__who")).to_contain_text("Rik Reiziger")

    # A group made on Regio Oost belongs to it.
    page.goto(f"{oost}/groups/new/")
    page.locator("[name=name]").fill("Fietspaden Oost")
    page.locator("[name=slug]").fill("fietspaden-oost")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name="Fietspaden Oost")).to_be_visible()
    assert Group.objects.get(slug="fietspaden-oost").site_id == site.pk

    page.goto(f"{oost}/groups/")
    expect(page.get_by_role("link", name="Fietspaden Oost")).to_be_visible()
    expect(page.get_by_role("link", name="Dijkbewaking")).to_have_count(0)
    page.goto(f"{server.url}/groups/")
    expect(page.get_by_role("link", name="Dijkbewaking")).to_be_visible()
    expect(page.get_by_role("link", name="Fietspaden Oost")).to_have_count(0)

    # A link to the group on the other community leads to its own host.
    page.goto(f"{server.url}/groups/fietspaden-oost/")
    expect(page).to_have_url(f"{oost}/groups/fietspaden-oost/")
    expect(page.get_by_role("heading", name="Fietspaden Oost")).to_be_visible()

    axe = AxeChecker()
    for path in ("/", "/groups/", "/groups/fietspaden-oost/", "/toolbox/"):
        response = page.goto(f"{oost}{path}")
        assert response.status == 200, path
        axe.check(page)
    axe.done()
