"""Privacy in the browser: see what Meent holds, download it as a ZIP, delete the account.

A person with a group blog post finds the privacy page from their profile, asks for their data,
sees the progress page, downloads the ZIP (its JSON holds the post), and deletes their account;
the group keeps the post, shown as by a former member. axe checks every new page.
"""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.models import User
from blog import services
from blog.models import Post
from blog.services import PostInput, Publish
from privacy.models import DataExport
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.helpers import field, path_is, submit
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory

TITLE = "Werkafspraken voor de regio"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_download_my_data_then_delete_my_account(page, sign_in, t, email_link, media, tmp_path):
    anna = UserFactory(email="anna@meent.nl", first_name="Anna", last_name="Jansen")
    owner = UserFactory(email="olga@meent.nl", first_name="Olga", last_name="Eigen")
    group = GroupFactory(slug="regio", name="Regio", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=anna, role="member")
    post = services.save_post(
        anna,
        PostInput(title=TITLE, body="<p>Wij spreken af.</p>", publish=Publish.NOW),
        group=group,
    )

    sign_in(page, anna.email, DEFAULT_PASSWORD)
    nav = page.get_by_role("navigation", name=t("Main", "nl"))
    nav.get_by_role("link", name=t("My profile", "nl")).click()
    page.get_by_role("link", name=t("Your data and account", "nl")).click()
    expect(page).to_have_url(path_is("/my-data/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("What Meent holds about you", "nl"))
    blog_row = page.get_by_role("row", name=t("Blog posts", "nl"))
    expect(blog_row.get_by_role("cell")).to_have_text("1")
    assert_no_serious_axe_violations(page)

    # Ask for the data: the progress page shows how far it is, then the download.
    submit(page, page.get_by_role("button", name=t("Download my data", "nl")))
    export = DataExport.objects.get(user=anna)
    expect(page).to_have_url(path_is(export.get_absolute_url()))
    progress = page.get_by_role("progressbar", name=t("Collecting your data", "nl"))
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("[data-export-text]")).to_contain_text(t("Your data is ready.", "nl"))
    assert_no_serious_axe_violations(page)
    # The e-mail links to this page.
    assert email_link(export.get_absolute_url(), to=anna.email).endswith(export.get_absolute_url())

    with page.expect_download() as waiting:
        page.get_by_role("link", name=t("Download the ZIP file", "nl")).click()
    download = waiting.value
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / "download.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("meent-data.json"))
    assert [p["title"] for p in data["blog_posts"]] == [TITLE]
    assert data["profile"]["email"] == anna.email

    # Delete the account: the page says what happens; a wrong word changes nothing.
    page.goto("/my-data/")
    page.get_by_role("link", name=t("Delete my account…", "nl")).click()
    expect(page).to_have_url(path_is("/my-data/delete/"))
    assert_no_serious_axe_violations(page)
    form = page.locator("main form")
    form.get_by_label(field(t, "Your password")).fill(DEFAULT_PASSWORD)
    form.get_by_label(field(t, "Type the word to confirm")).fill("misschien")
    submit(page, form.get_by_role("button", name=t("Delete my account for good", "nl")))
    expect(page.get_by_role("alert")).to_be_visible()
    assert User.objects.filter(pk=anna.pk).exists()
    assert_no_serious_axe_violations(page)

    form = page.locator("main form")
    form.get_by_label(field(t, "Your password")).fill(DEFAULT_PASSWORD)
    form.get_by_label(field(t, "Type the word to confirm")).fill(t("DELETE", "nl"))
    submit(page, form.get_by_role("button", name=t("Delete my account for good", "nl")))
    expect(page).to_have_url(path_is("/"))
    assert not User.objects.filter(pk=anna.pk).exists()
    assert Post.objects.get(pk=post.pk).author is None

    # Signed out; the group's post stays, by a former member.
    page.goto(post.get_absolute_url())
    expect(page.get_by_role("link", name=t("Sign in", "nl"))).to_be_visible()
    meta = page.locator(".blog-post__header .meta")
    expect(meta).to_contain_text(t("A former member", "nl"))
    expect(meta).not_to_contain_text("Anna")
    page.goto("/groups/regio/blog/")
    expect(page.locator("main")).to_contain_text(t("By a former member", "nl"))


def test_the_progress_page_updates_in_place_and_shows_the_download(page, sign_in, t, media):
    from privacy.tasks import build_data_export

    anna = UserFactory(email="anna@meent.nl", first_name="Anna", last_name="Jansen")
    export = DataExport.objects.create(user=anna, status="running", progress=10, step="comments")
    sign_in(page, anna.email, DEFAULT_PASSWORD)
    page.goto(export.get_absolute_url())
    progress = page.get_by_role("progressbar", name=t("Collecting your data", "nl"))
    expect(progress).to_have_attribute("value", "10")
    download = page.get_by_role("link", name=t("Download the ZIP file", "nl"))
    expect(download).to_be_hidden()
    assert_no_serious_axe_violations(page)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    DataExport.objects.filter(pk=export.pk).update(progress=60, step="chat_messages")
    expect(progress).to_have_attribute("value", "60")
    expect(page.locator("[data-export-text]")).to_contain_text(t("Chat messages", "nl"))
    assert page.evaluate("() => window.stillTheSamePage === true")  # no reload: in place

    DataExport.objects.filter(pk=export.pk).update(status="queued")
    build_data_export.call(export.pk)
    expect(download).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
