"""What is new, in the browser: a member follows their group at "every new item", a colleague
posts, the member sees it on the start page, as a notification and in the next content digest
(read from the outbox, with its link on the group's own community), saves the post for later,
and stops following in one click. axe-core checks every new page, in Dutch and English, and
the pages reflow at 320 px without horizontal scroll."""

import re

import pytest
from playwright.sync_api import expect

from activity import digest
from activity.models import Bookmark, Follow
from blog import services as blog_services
from blog.services import PostInput, Publish
from groups import services as group_services
from groups.models import Group
from tests.e2e.helpers import path_is
from tests.factories import DEFAULT_PASSWORD, UserFactory

LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)
NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def world(server):
    anna = UserFactory(first_name="Anna", last_name="Jansen", email="anna@utrecht.nl")
    bram = UserFactory(first_name="Bram", last_name="de Vries", email="bram@minbzk.nl")
    group = group_services.create_group(
        anna, Group(name="Digitale toegankelijkheid", slug="toegankelijkheid")
    )
    group_services.join(group, bram)
    return {"anna": anna, "bram": bram, "group": group}


@LANGUAGES
def test_follow_a_group_see_the_news_and_stop_in_one_click(
    page, world, sign_in, t, axe, language, mailoutbox
):
    anna, bram, group = world["anna"], world["bram"], world["group"]
    sign_in(page, bram.email, DEFAULT_PASSWORD)

    # On the group's page: tell me about every new item.
    page.goto(group.get_absolute_url())
    follow = page.locator("form.follow")
    follow.get_by_label(t("Tell me about", language)).select_option("all")
    follow.get_by_role("button", name=t("Save", language)).click()
    expect(page).to_have_url(path_is(group.get_absolute_url()))
    assert Follow.objects.get(user=bram).level == Follow.Level.ALL
    axe.check(page)

    # A colleague posts in the group.
    post = blog_services.save_post(
        anna,
        PostInput(title="Werkafspraken voor de audit", body="<p>Tekst</p>", publish=Publish.NOW),
        group=group,
    )

    # The start page shows it; the bell has it.
    page.goto("/")
    news = page.locator("section.start__news")
    expect(news).to_contain_text("Werkafspraken voor de audit")
    expect(news.get_by_role("link", name="Anna Jansen").first).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Werkafspraken voor de audit").first.click()
    expect(page).to_have_url(path_is(post.get_absolute_url()))

    # Save it for later; the list has it.
    page.get_by_role("button", name=t("Save for later", language)).click()
    assert Bookmark.objects.filter(user=bram).count() == 1
    page.goto("/saved/")
    expect(page.locator("main")).to_contain_text("Werkafspraken voor de audit")
    axe.check(page)

    # The group's Activity tab.
    page.goto(group.get_absolute_url())
    page.locator("nav.tabs").get_by_role("link", name=t("Activity", language)).click()
    expect(page).to_have_url(path_is(f"/groups/{group.slug}/activity/"))
    expect(page.locator("ol.stream")).to_contain_text("Werkafspraken voor de audit")
    axe.check(page)

    # The next weekly digest has it, in Bram's language, with a link on the group's host.
    bram.refresh_from_db()
    bram.language = language
    bram.save(update_fields=["language"])
    result = digest.send_digests("weekly")
    assert result.sent >= 1
    mail = next(m for m in mailoutbox if bram.email in m.to)
    assert "Werkafspraken voor de audit" in mail.body
    assert re.search(r"https?://[^\s]+" + re.escape(post.get_absolute_url()), mail.body)
    assert mail.extra_headers.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"

    # Stop following in one click, from the list of what one follows.
    page.goto("/following/")
    expect(page.locator("main")).to_contain_text(group.name)
    axe.check(page)
    page.get_by_role("button", name=re.compile(t("Stop following", language))).first.click()
    expect(page).to_have_url(path_is("/following/"))
    assert not Follow.objects.filter(user=bram, target_id=group.pk).exists()
    axe.done()


@LANGUAGES
def test_the_new_pages_reflow_at_320_px(page, world, sign_in, axe, language):
    anna, bram, group = world["anna"], world["bram"], world["group"]
    blog_services.save_post(
        anna,
        PostInput(
            title="Een heel lange titel over informatiehuishoudingsverbeteringsprogramma's",
            body="<p>x</p>",
            publish=Publish.NOW,
        ),
        group=group,
    )
    sign_in(page, bram.email, DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/",
        f"/groups/{group.slug}/activity/",
        "/following/",
        "/saved/",
        group.get_absolute_url(),
    ):
        page.goto(path)
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{path} scrolls sideways at 320 px"
        axe.check(page)
    axe.done()
