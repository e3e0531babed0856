"""A group's files in the browser, beyond the library's own pages: the rich-text editor's link
dialog offers them (wiki and blog), and a PDF shows in Chromium's own viewer inside the file page
while no other site may frame it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from files import services
from files.models import Reach
from meent import access
from tests.e2e.helpers import field, submit, toolbar_button, wait_for_editor
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from tests.files.documents import make_pdf
from tests.helpers import group_with
from wiki.models import WikiPage

# Chromium's PDF viewer (a built-in extension) draws the document in a frame of its own.
PDF_VIEWER = re.compile(r"^chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def put(user, folder, name, data):
    return services.upload(user, folder, SimpleUploadedFile(name, data)).file


def test_the_link_dialog_links_a_wiki_page_to_a_file_of_the_group(page, sign_in, t, media):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    group = group_with(owner, name="Kennisbank", slug="kennisbank")
    root = services.root_folder(group)
    notes = services.create_folder(owner, root, "Notulen", visibility=Reach.MEMBERS)
    budget = put(owner, notes, "Begroting 2027.pdf", make_pdf(["Begroting"]))
    put(owner, root, "Logo.txt", b"geen logo\n")
    # Another group's file is never offered.
    other = GroupFactory(slug="elders", name="Elders")
    MembershipFactory(group=other, user=owner, role="owner")
    access.forget_memberships(owner)
    put(owner, services.root_folder(other), "Begroting elders.pdf", make_pdf(["Elders"]))
    sign_in(page, owner.email, DEFAULT_PASSWORD)

    page.goto("/groups/kennisbank/wiki/-/new/")
    page.locator("main form").get_by_label(field(t, "Title")).fill("Financiën")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Zie ")
    toolbar_button(page, t, "Link").click()
    dialog = page.get_by_role("dialog", name=t("Link", "nl"))
    expect(dialog).to_be_visible()
    # The newest files first, before anything is typed.
    choices = dialog.get_by_role("list", name=t("Files of this group", "nl"))
    expect(choices.get_by_role("button")).to_have_count(2)
    search = dialog.get_by_role("searchbox", name=t("Or link to a file of this group", "nl"))
    search.fill("begro")
    expect(choices.get_by_role("button")).to_have_count(1)
    choice = choices.get_by_role("button", name=re.compile(r"^Begroting 2027\.pdf"))
    expect(choice).to_contain_text("Notulen")
    search.fill("bestaat niet")
    expect(dialog.get_by_role("status")).to_have_text(t("No files found by that name.", "nl"))
    search.fill("begroting 2027")
    choice.click()
    expect(dialog).to_be_hidden()

    link = area.get_by_role("link", name="Begroting 2027.pdf")
    expect(link).to_have_attribute("href", budget.download_url())
    submit(page, page.locator("main form").get_by_role("button", name=t("Save", "nl"), exact=True))
    saved = WikiPage.objects.get(group=group, title="Financiën")
    assert f'href="{budget.download_url()}"' in saved.body
    body_link = page.locator("main").get_by_role("link", name="Begroting 2027.pdf")
    expect(body_link).to_have_attribute("href", budget.download_url())
    # The link gives the file, to whoever may see it.
    response = page.request.get(budget.download_url())
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")


def test_the_blog_editor_of_a_group_offers_its_files(page, sign_in, t, media):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    group = group_with(owner, name="Kennisbank", slug="kennisbank", content_default="open")
    put(owner, services.root_folder(group), "Verslag.txt", b"verslag\n")
    sign_in(page, owner.email, DEFAULT_PASSWORD)
    page.goto("/blog/new/?group=kennisbank")
    area = wait_for_editor(page, t)
    area.click()
    toolbar_button(page, t, "Link").click()
    dialog = page.get_by_role("dialog", name=t("Link", "nl"))
    dialog.get_by_role("button", name=re.compile(r"^Verslag\.txt")).click()
    expect(area.get_by_role("link", name="Verslag.txt")).to_have_attribute(
        "href", re.compile(r"/groups/kennisbank/files/\d+/download/Verslag\.txt$")
    )


def test_a_pdf_shows_in_the_browsers_viewer_on_the_file_page_and_nowhere_else(page, server, media):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    group = group_with(owner, name="Open groep", slug="open-groep", content_default="open")
    report = put(owner, services.root_folder(group), "Rapport.pdf", make_pdf(["Rapport"]))
    preview = f"/groups/open-groep/files/{report.pk}/preview/1"

    page.goto(report.get_absolute_url())
    frame = page.locator("main iframe")
    expect(frame).to_have_attribute("src", preview)
    # The viewer's own frame appears inside ours: the sandboxed response is shown, not blocked.
    viewer = None
    for _ in range(50):
        viewer = next((f for f in page.frames if PDF_VIEWER.match(f.url)), None)
        if viewer is not None:
            break
        page.wait_for_timeout(200)
    assert viewer is not None, [f.url for f in page.frames]

    # Another site (another origin: 127.0.0.1 instead of localhost) may not frame it.
    stranger = server.url.replace("localhost", "127.0.0.1") + "/elders"
    target = server.url + preview
    page.route(
        stranger,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=f'<!doctype html><title>Elders</title><iframe src="{target}"></iframe>',
        ),
    )
    page.goto(stranger)
    page.wait_for_timeout(1500)
    urls = [f.url for f in page.frames]
    assert not any(PDF_VIEWER.match(url) for url in urls), urls
    assert any(url.startswith("chrome-error://") for url in urls), urls
