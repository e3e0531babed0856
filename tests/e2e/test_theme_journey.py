"""An operator changes a site's primary colour and logo in the admin's site settings; the public
pages show them. A low-contrast colour is refused with the measured ratio. Both shipped themes
pass axe on the main public pages."""

import io
import re

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect
from wagtail.models import Site

from tests.e2e.axe import AxeChecker
from tests.e2e.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD, GroupFactory, UserFactory
from tests.helpers import TOTP_SECRET, activate_totp
from tests.toolbox.factories import toolbox_index
from themes.models import ThemeSettings


@pytest.fixture
def browser_locale():
    return "en-GB"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def code():
    return totp_code(TOTP_SECRET)


def logo_png(tmp_path):
    path = tmp_path / "gemeente-logo.png"
    image = PILImage.new("RGB", (240, 80), "white")
    image.paste(PILImage.new("RGB", (200, 40), "#0b3a6e"), (20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in_with_code(page, sign_in, email):
    sign_in(page, email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("main form [name=code]").fill(code())
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_load_state()


def save(page):
    page.locator("footer button[type=submit], button[type=submit].button-longrunning").first.click()
    page.wait_for_load_state()


def test_an_operator_changes_the_primary_colour_and_logo(page, server, sign_in, tmp_path):
    operator = UserFactory(email="beheer@voorbeeld.nl", is_staff=True, is_superuser=True)
    activate_totp(operator)
    site = Site.objects.get(is_default_site=True)
    sign_in_with_code(page, sign_in, operator.email)
    page.goto(f"/admin/settings/themes/themesettings/{site.pk}/")

    # Too little contrast: refused, with the measured ratio and a suggestion.
    page.locator("[name=primary_colour]").fill("#6fa8dc")
    save(page)
    expect(page.get_by_text(re.compile(r"2\.5:1, needs 4\.5:1")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Try #[0-9a-f]{6}")).first).to_be_visible()
    assert not ThemeSettings.objects.filter(site=site, primary_colour="#6fa8dc").exists()

    # A good colour and a logo, uploaded in the image chooser.
    page.locator("[name=primary_colour]").fill("#0b3a6e")
    page.locator("#id_logo-chooser [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name=re.compile("Upload", re.IGNORECASE)).click()
    modal.locator("input[type=file]").set_input_files(str(logo_png(tmp_path)))
    modal.locator("input[name$=title]").fill("Logo Gemeente Voorbeeld")
    modal.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(modal).to_be_hidden()
    page.locator("[name=logo_alt_text]").fill("Gemeente Voorbeeld")
    save(page)
    expect(page.locator(".messages .success")).to_contain_text("updated")
    assert ThemeSettings.objects.get(site=site).logo_alt_text == "Gemeente Voorbeeld"

    # The public home page shows the new colour and the logo with its alt text.
    page.goto("/")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 58, 110)"
    button = page.locator(".site-header__account .button:not(.button--secondary)").first
    if button.count():
        assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 58, 110)"
    logo = page.locator(".site-header__brand img")
    expect(logo).to_have_attribute("alt", "Gemeente Voorbeeld")
    expect(logo).to_be_visible()
    assert logo.evaluate("e => e.complete && e.naturalWidth > 0")


PUBLIC_PATHS = ["/", "/groups/", "/blog/", "/accounts/login/", "/accounts/signup/"]


def _content(member):
    """A group with a wiki page, a blog post with a comment, a toolbox article: one of every
    kind of page a person reads."""
    from blog import services as blog_services
    from groups.models import Membership
    from tests.toolbox.factories import ToolboxArticlePageFactory
    from wiki import services as wiki_services

    group = GroupFactory(name="Open source", slug="open-source", content_default="open")
    Membership.objects.create(group=group, user=member, role=Membership.Role.OWNER)
    wiki_page = wiki_services.create_page(
        member, group, title="Werkafspraken", body="<h2>Afspraken</h2><p>We delen alles.</p>"
    )
    post = blog_services.save_post(
        member,
        blog_services.PostInput(
            title="Waarom open source",
            body="<p>Omdat het <strong>samen</strong> beter gaat.</p>",
            tags="open source",
            publish=blog_services.Publish.NOW,
        ),
        group=group,
    )
    article = ToolboxArticlePageFactory(title="Een licentie kiezen")
    return [
        group.get_absolute_url(),
        wiki_page.get_absolute_url(),
        f"{group.get_absolute_url()}wiki/",
        f"{group.get_absolute_url()}members/",
        post.get_absolute_url(),
        article.url,
        "/search/?q=open",
        f"/people/{member.pk}/",
        "/notifications/",
        "/chat/",
    ]


@pytest.mark.parametrize("theme", ["meent", "meent-contrast"])
def test_both_shipped_themes_pass_axe(page, server, sign_in, theme):
    site = Site.objects.get(is_default_site=True)
    settings_for_site = ThemeSettings.for_site(site)
    settings_for_site.base_theme = theme
    settings_for_site.full_clean()
    settings_for_site.save()
    toolbox = toolbox_index()
    member = UserFactory(email="lid@voorbeeld.nl")
    member_paths = _content(member)
    axe = AxeChecker()
    for path in [*PUBLIC_PATHS, toolbox.url]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("body")).to_have_class(f"{theme}-theme")
        axe.check(page)
    sign_in(page, member.email, DEFAULT_PASSWORD)
    for path in member_paths:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("body")).to_have_class(f"{theme}-theme")
        axe.check(page)
    axe.done()
