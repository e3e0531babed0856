"""The blogs in the browser: write, preview, publish, comment, reply, like, moderate, keyboard.

Each journey drives the pages as people would (the main navigation, links, forms, the rich-text
editor, the keyboard), checks what the pages show and then what the database holds. Where two or
more people act, each has their own browser context.
"""

import re
from datetime import timedelta

import pytest
from django.urls import get_resolver
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from blog import services
from blog.models import Comment, Post, Reaction, Tag
from blog.services import PostInput, Publish
from groups.models import Membership
from meent.media import serve_media
from notifications.models import Notification
from tests.e2e.helpers import (
    field,
    path_is,
    plural,
    starts_with,
    submit,
    toolbar_button,
    wait_for_editor,
)
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory

TAB_LIMIT = 100


def likes_text(count, language="nl"):
    return plural("%(counter)s like", "%(counter)s likes", count, language)


def save_button(page, t):
    return page.locator("main form.blog-form").get_by_role(
        "button", name=t("Save", "nl"), exact=True
    )


def comment_article(page, t, person):
    """A comment, by the name its article has for screen readers."""
    name = t("Comment by %(person)s", "nl") % {"person": person.display_name}
    return page.locator("main").get_by_role("article", name=name, exact=True)


def has_focus(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, target):
    """Press Tab, as a keyboard user does, until ``target`` has the focus."""
    for _ in range(TAB_LIMIT):
        if has_focus(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never reached {target}")


def cover_png(tmp_path, name="omslag.png", size=(64, 40)):
    path = tmp_path / name
    Image.new("RGB", size, "teal").save(path, format="PNG")
    return path


def noon(when):
    return when.replace(hour=12, minute=0, second=0, microsecond=0)


def publish(author, title, group=None, **fields):
    fields.setdefault("publish", Publish.NOW)
    return services.save_post(author, PostInput(title=title, **fields), group=group)


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Uploads go to tmp_path, and the live server serves them from there (meent/media.py
    reads MEDIA_ROOT on every request)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    routes = [p for p in get_resolver().url_patterns if getattr(p, "callback", None) is serve_media]
    assert routes, "no media route: MEENT_SERVE_FILES should be on in the test settings"
    return root


# 1. Write, preview, publish, comment, reply, like ---------------------------------------------


def test_write_preview_publish_comment_reply_and_like(
    page, open_page, sign_in, t, media_root, tmp_path
):
    anna = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="Peters")
    sign_in(page, anna.email, DEFAULT_PASSWORD)
    main = page.locator("main")

    # From the main navigation to the (still empty) list of posts and on to the form.
    page.goto("/")
    nav = page.get_by_role("navigation", name=t("Main", "nl"))
    nav.get_by_role("link", name=t("Blog", "nl"), exact=True).click()
    expect(page).to_have_url(path_is("/blog/"))
    expect(nav.get_by_role("link", name=t("Blog", "nl"), exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(main.locator("h1")).to_have_text(t("Blogs", "nl"))
    expect(main.locator(".blog-card")).to_have_count(0)
    main.get_by_role("link", name=t("New post", "nl"), exact=True).click()
    expect(page).to_have_url(path_is("/blog/new/"))
    expect(main.locator("h1")).to_have_text(t("New blog post", "nl"))

    # Title, summary, tags; a heading and bold text typed into the editor; a cover with its text.
    form = main.locator("form.blog-form")
    form.get_by_label(field(t, "Title")).fill("Open source in de gemeente")
    form.get_by_label(field(t, "Summary (optional)")).fill("Wat we leerden van een jaar delen.")
    form.get_by_label(field(t, "Tags (optional)")).fill("Open source, privacy")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Begin")
    heading = toolbar_button(page, t, "Heading level 2")
    heading.click()
    expect(heading).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    page.keyboard.type("Samen ")
    page.keyboard.press("Control+B")
    page.keyboard.type("delen")
    page.keyboard.press("Control+B")
    page.keyboard.type(" werkt.")
    expect(form.locator("textarea[name=body]")).to_have_value(
        "<h2>Begin</h2><p>Samen <strong>delen</strong> werkt.</p>"
    )
    form.get_by_label(field(t, "Cover image (optional)")).set_input_files(cover_png(tmp_path))
    form.get_by_label(field(t, "Description of the cover image")).fill(
        "Drie collega's bij een whiteboard"
    )
    draft = form.get_by_role("radio", name=t("Save as a draft: only you can see it", "nl"))
    expect(draft).to_be_checked()
    submit(page, save_button(page, t))

    # The preview: only the author sees it, with a Publish button.
    post_url = "/blog/open-source-in-de-gemeente/"
    expect(page).to_have_url(path_is(post_url))
    expect(main.locator(".messages")).to_contain_text(
        t("Your draft is saved. Only you can see it.", "nl")
    )
    preview = main.locator(".blog-preview")
    expect(preview.get_by_role("heading", level=2)).to_have_text(t("Preview: not published", "nl"))
    expect(main.locator("h1")).to_have_text("Open source in de gemeente")
    body = main.locator(".blog-post .rich-text")
    expect(body.locator("h2")).to_have_text("Begin")
    expect(body.locator("strong")).to_have_text("delen")
    cover = main.get_by_role("img", name="Drie collega's bij een whiteboard")
    expect(cover).to_be_visible()
    expect(cover).to_have_js_property("naturalWidth", 64)  # the uploaded file, served back
    expect(main.locator(".blog-post .blog-tags a")).to_have_text(["Open source", "privacy"])
    expect(main.locator("#likes").get_by_role("button")).to_have_count(0)  # no likes on a draft
    expect(main.locator("#comments")).to_contain_text(
        t("Comments open once the post is published.", "nl")
    )
    post = Post.objects.get()
    assert (post.author, post.published_at, post.slug) == (anna, None, "open-source-in-de-gemeente")
    assert post.summary == "Wat we leerden van een jaar delen."
    assert post.body == "<h2>Begin</h2><p>Samen <strong>delen</strong> werkt.</p>"
    assert post.cover_alt == "Drie collega's bij een whiteboard"
    assert post.cover.name.endswith(".png")
    assert (media_root / post.cover.name).is_file()
    assert sorted(post.tags.values_list("slug", flat=True)) == ["open-source", "privacy"]

    # Someone else: the draft does not exist for them, nor is it on the list.
    other = open_page()
    sign_in(other, bram.email, DEFAULT_PASSWORD)
    response = other.goto(post_url)
    assert response.status == 404
    expect(other.locator("main")).not_to_contain_text("Open source in de gemeente")
    other.goto("/blog/")
    expect(other.locator("main .blog-card")).to_have_count(0)

    # The author publishes from the preview.
    submit(page, preview.get_by_role("button", name=t("Publish now", "nl"), exact=True))
    expect(page).to_have_url(path_is(post_url))
    expect(main.locator(".messages")).to_contain_text(t("Your post is published.", "nl"))
    expect(main.locator(".blog-preview")).to_have_count(0)
    post.refresh_from_db()
    assert post.is_published

    # It is on the list, and on the list of one of its tags (reached from the post's tag link).
    page.goto("/blog/")
    card = main.locator(".blog-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading", level=2)).to_have_text("Open source in de gemeente")
    expect(card).to_contain_text("Wat we leerden van een jaar delen.")
    card.get_by_role("link", name="Open source in de gemeente").click()
    expect(page).to_have_url(path_is(post_url))
    main.locator(".blog-post .blog-tags").get_by_role("link", name="privacy").click()
    expect(page).to_have_url(re.compile(r"/blog/\?tag=privacy$"))
    expect(main.locator(".blog-filters")).to_contain_text("privacy")
    expect(main.locator(".blog-card .card__title")).to_have_text(["Open source in de gemeente"])
    publish(anna, "Iets anders", tags="vergaderen")
    page.reload()
    expect(main.locator(".blog-card .card__title")).to_have_text(["Open source in de gemeente"])
    page.goto("/blog/")
    expect(main.locator(".blog-card")).to_have_count(2)

    # Bram can read it now and comments.
    other.goto(post_url)
    other_main = other.locator("main")
    comment_form = other_main.locator("#comment-form")
    expect(comment_form.get_by_role("heading")).to_have_text(t("Write a comment", "nl"))
    comment_form.get_by_label(field(t, "Your comment")).fill("Mooi verhaal, @Anna Jansen!")
    submit(other, comment_form.get_by_role("button", name=t("Send comment", "nl"), exact=True))
    comment = Comment.objects.get()
    expect(other).to_have_url(re.compile(rf"{re.escape(post_url)}#comment-{comment.pk}$"))
    expect(other_main.locator(".messages")).to_contain_text(t("Your comment is posted.", "nl"))
    bram_comment = comment_article(other, t, bram)
    expect(bram_comment.locator(".comment__body")).to_have_text("Mooi verhaal, @Anna Jansen!")
    expect(other_main.locator("#comments-title")).to_have_text(
        plural("%(counter)s comment", "%(counter)s comments", 1)
    )
    assert (comment.author, comment.parent, comment.post) == (bram, None, post)

    # Anna replies to it, through the comment's Reply link.
    page.goto(post_url)
    comment_article(page, t, bram).get_by_role("link", name=starts_with(t("Reply", "nl"))).click()
    expect(page).to_have_url(
        re.compile(rf"{re.escape(post_url)}\?reply={comment.pk}#comment-form$")
    )
    reply_form = main.locator("#comment-form")
    expect(reply_form.get_by_role("heading")).to_have_text(
        t("Reply to %(person)s", "nl") % {"person": "Bram Peters"}
    )
    expect(reply_form.locator("input[name=parent]")).to_have_value(str(comment.pk))
    reply_form.get_by_label(field(t, "Your comment")).fill("Dank je, Bram.")
    submit(page, reply_form.get_by_role("button", name=t("Send reply", "nl"), exact=True))
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert (reply.author, reply.parent) == (anna, comment)
    replies = main.get_by_role(
        "list", name=t("Replies to %(person)s", "nl") % {"person": "Bram Peters"}
    )
    expect(replies.locator(".comment__body")).to_have_text(["Dank je, Bram."])
    expect(main.locator("#comments-title")).to_have_text(
        plural("%(counter)s comment", "%(counter)s comments", 2)
    )

    # Bram likes the post: the button is pressed, the count is 1, the likes page names him.
    other.goto(post_url)
    footer = other_main.locator("#likes")
    like = footer.get_by_role("button", name=starts_with(t("Like", "nl")))
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(footer.get_by_role("link", name=starts_with(likes_text(0)))).to_be_visible()
    submit(other, like)
    expect(other).to_have_url(re.compile(rf"{re.escape(post_url)}#likes$"))
    expect(other_main.locator(".messages")).to_contain_text(t("You like this.", "nl"))
    expect(like).to_have_attribute("aria-pressed", "true")
    likes_link = footer.get_by_role("link", name=starts_with(likes_text(1)))
    likes_link.click()
    expect(other).to_have_url(path_is(f"{post_url}likes/"))
    expect(other_main.locator(".blog-likes li")).to_have_text(["Bram Peters"])
    expect(other_main.locator(".result-count")).to_have_text(
        plural("%(counter)s person likes this", "%(counter)s people like this", 1)
    )

    # Liking again, by a forged POST (the form's like=0 changed to like=1): refused, still 1.
    other.goto(post_url)
    footer.locator("input[name=like]").evaluate("input => { input.value = '1'; }")
    response = submit(other, like)
    assert response.status == 409
    expect(other_main.locator(".messages")).to_contain_text(t("You already like this.", "nl"))
    assert Reaction.objects.filter(post=post).count() == 1
    other.goto(post_url)
    expect(footer.get_by_role("link", name=starts_with(likes_text(1)))).to_be_visible()
    expect(like).to_have_attribute("aria-pressed", "true")
    assert list(Reaction.objects.values_list("user", "post", "comment")) == [
        (bram.pk, post.pk, None)
    ]


# 2. Bad input: each refused, shown, nothing saved ---------------------------------------------


def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    page, sign_in, t, media_root, tmp_path
):
    person = UserFactory()
    sign_in(page, person.email, DEFAULT_PASSWORD)
    page.goto("/blog/new/")
    main = page.locator("main")
    form = main.locator("form.blog-form")
    title = form.get_by_label(field(t, "Title"))
    summary = form.get_by_label(field(t, "Summary (optional)"))
    tags = form.get_by_label(field(t, "Tags (optional)"))

    def error_of(name):
        return form.locator(".field--error", has=page.locator(f"[name={name}]"))

    # Publish without a title: the title's error; summary, tags, text and choice are kept.
    summary.fill("Een samenvatting die blijft.")
    tags.fill("onderzoek, data")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Een tekst die blijft.")
    form.get_by_role("radio", name=t("Publish now", "nl"), exact=True).check()
    response = submit(page, save_button(page, t))
    assert response.status == 400
    expect(page).to_have_url(path_is("/blog/new/"))
    expect(main.locator(".form-errors[role=alert]")).to_be_visible()
    expect(error_of("title")).to_contain_text(t("Give the post a title.", "nl"))
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field--error")).to_have_count(1)
    expect(summary).to_have_value("Een samenvatting die blijft.")
    expect(tags).to_have_value("onderzoek, data")
    expect(wait_for_editor(page, t)).to_have_text("Een tekst die blijft.")
    expect(form.get_by_role("radio", name=t("Publish now", "nl"), exact=True)).to_be_checked()
    assert Post.objects.count() == 0

    # A cover image without its description: the description's error, no file stored.
    title.fill("Onderzoek naar data")
    form.get_by_label(field(t, "Cover image (optional)")).set_input_files(cover_png(tmp_path))
    response = submit(page, save_button(page, t))
    assert response.status == 400
    expect(error_of("cover_alt")).to_contain_text(
        t("Describe the cover image for people who cannot see it.", "nl")
    )
    expect(form.locator(".field--error")).to_have_count(1)
    expect(main.locator(".notice")).to_contain_text(
        t(
            "Your browser does not keep a chosen file when the form comes back: choose the cover "
            "image again.",
            "nl",
        )
    )
    expect(title).to_have_value("Onderzoek naar data")
    expect(form.get_by_label(field(t, "Cover image (optional)"))).to_have_value("")
    assert Post.objects.count() == 0
    assert not [path for path in media_root.rglob("*") if path.is_file()]

    # A publication time in the past: the time's error.
    form.get_by_role("radio", name=t("Publish at a set time", "nl"), exact=True).check()
    # Noon: never a time that a change of daylight saving time makes ambiguous or missing.
    yesterday = noon(timezone.localtime() - timedelta(days=1))
    when = form.get_by_label(field(t, "Publish at (date and time)"))
    when.fill(yesterday.strftime("%Y-%m-%dT%H:%M"))
    response = submit(page, save_button(page, t))
    assert response.status == 400
    expect(error_of("publish_at")).to_contain_text(
        t("This time has passed. Choose a time in the future, or publish now.", "nl")
    )
    expect(form.locator(".field--error")).to_have_count(1)
    expect(when).to_have_value(yesterday.strftime("%Y-%m-%dT%H:%M"))
    expect(wait_for_editor(page, t)).to_have_text("Een tekst die blijft.")
    assert Post.objects.count() == 0
    assert Tag.objects.count() == 0

    # Corrected (a time tomorrow), the same form saves: it was only the input that was wrong.
    tomorrow = noon(timezone.localtime() + timedelta(days=1))
    when.fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    submit(page, save_button(page, t))
    expect(page).to_have_url(path_is("/blog/onderzoek-naar-data/"))
    expect(main.locator(".blog-preview h2")).to_have_text(t("Scheduled", "nl"))
    post = Post.objects.get()
    assert post.is_scheduled and post.published_at == tomorrow
    assert post.summary == "Een samenvatting die blijft."
    assert sorted(post.tags.values_list("slug", flat=True)) == ["data", "onderzoek"]


# 3. A group post stays inside the group -------------------------------------------------------


def test_group_post_is_invisible_to_a_non_member(page, open_page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    noor = UserFactory(first_name="Noor", last_name="van Dijk")
    outsider = UserFactory(first_name="Otto", last_name="Buiten")
    group = GroupFactory(name="Besloten", slug="besloten", content_default="members")
    MembershipFactory(group=group, user=owner, role=Membership.Role.OWNER)
    MembershipFactory(group=group, user=noor)
    # What the outsider may read, so that each "not there" below is about the group post alone.
    publish(noor, "Open voor iedereen", body="<p>Dit mag iedereen lezen.</p>")

    # Noor writes a post in the group's blog.
    sign_in(page, noor.email, DEFAULT_PASSWORD)
    main = page.locator("main")
    page.goto("/groups/besloten/")
    page.locator("main nav.tabs").get_by_role("link", name=t("Blog", "nl"), exact=True).click()
    expect(page).to_have_url(path_is("/groups/besloten/blog/"))
    main.get_by_role("link", name=t("New post in this group", "nl")).click()
    expect(page).to_have_url(re.compile(r"/blog/new/\?group=besloten$"))
    expect(main.locator(".notice")).to_contain_text(
        t("This post is in the group's blog: only members of the group can read it.", "nl")
    )
    form = main.locator("form.blog-form")
    expect(form.locator("[name=visibility]")).to_have_count(0)  # the group decides
    form.get_by_label(field(t, "Title")).fill("Interne planning")
    form.get_by_label(field(t, "Tags (optional)")).fill("intern")
    area = wait_for_editor(page, t)
    area.click()
    page.keyboard.type("Alleen voor de leden.")
    form.get_by_role("radio", name=t("Publish now", "nl"), exact=True).check()
    submit(page, save_button(page, t))
    expect(page).to_have_url(path_is("/blog/interne-planning/"))
    expect(main.locator(".messages")).to_contain_text(t("Your post is published.", "nl"))
    post = Post.objects.get(slug="interne-planning")
    assert post.group == group and post.is_published

    # For a member it is everywhere it belongs.
    page.goto("/blog/")
    expect(main.locator(".blog-card .card__title")).to_have_text(
        ["Interne planning", "Open voor iedereen"]
    )
    page.goto("/groups/besloten/blog/")
    expect(main.locator(".blog-card .card__title")).to_have_text(["Interne planning"])

    # A signed-in person who is not a member.
    other = open_page()
    sign_in(other, outsider.email, DEFAULT_PASSWORD)
    other_main = other.locator("main")
    response = other.goto("/blog/interne-planning/")
    assert response.status == 404
    expect(other_main).not_to_contain_text("Alleen voor de leden.")
    response = other.goto("/blog/interne-planning/likes/")
    assert response.status == 404
    other.goto("/blog/?tag=intern")
    expect(other_main.locator(".blog-card")).to_have_count(0)
    expect(other_main).not_to_contain_text("Interne planning")
    # Not on the list, nor among its filter choices.
    other.goto("/blog/")
    expect(other_main.locator(".blog-card .card__title")).to_have_text(["Open voor iedereen"])
    expect(other_main.locator("#filter-group option[value=besloten]")).to_have_count(0)
    expect(other_main.locator("#filter-tag option[value=intern]")).to_have_count(0)
    # The group's blog says it is for members.
    other.goto("/groups/besloten/blog/")
    expect(other_main).to_contain_text(t("Only members of this group can read its blog.", "nl"))
    expect(other_main.locator(".blog-card")).to_have_count(0)
    expect(other_main.get_by_role("link", name=t("New post in this group", "nl"))).to_have_count(0)
    # Noor's own blog shows only what the outsider may read.
    other.goto(f"/people/{noor.pk}/blog/")
    expect(other_main.locator(".blog-card .card__title")).to_have_text(["Open voor iedereen"])
    # The feed (what anyone may read) has the open post and not the group's.
    feed = other.request.get("/blog/feed/rss/")
    assert feed.status == 200
    assert "Open voor iedereen" in feed.text()
    assert "Interne planning" not in feed.text()
    assert "interne-planning" not in feed.text()
    # Search does not exist yet (search/ holds only the backend selection, no interface and no
    # index of posts): nothing to check there until it does.

    # Commenting or liking by a forged POST is refused the same way: 404, nothing stored.
    other.goto("/blog/")
    token = other.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    for path, data in (
        ("/blog/interne-planning/comments/", {"body": "Ik lees mee."}),
        ("/blog/interne-planning/like/", {"like": "1"}),
    ):
        answer = other.request.post(path, form={**data, "csrfmiddlewaretoken": token})
        assert answer.status == 404, (path, answer.status)
        assert "Ik lees mee." not in answer.text()
    assert Comment.objects.count() == 0
    assert Reaction.objects.count() == 0


# 4. A group admin removes a comment, with a reason --------------------------------------------


def test_group_admin_removes_a_comment_with_a_reason(page, open_page, sign_in, t):
    owner = UserFactory(first_name="Eva", last_name="Smit")
    admin = UserFactory(first_name="Bas", last_name="Beheer")
    author = UserFactory(first_name="Anna", last_name="Jansen")
    lies = UserFactory(first_name="Lies", last_name="Lid")
    noor = UserFactory(first_name="Noor", last_name="van Dijk")
    group = GroupFactory(name="Werkgroep", slug="werkgroep", content_default="members")
    for person, role in (
        (owner, Membership.Role.OWNER),
        (admin, Membership.Role.ADMIN),
        (author, Membership.Role.MEMBER),
        (lies, Membership.Role.MEMBER),
        (noor, Membership.Role.MEMBER),
    ):
        MembershipFactory(group=group, user=person, role=role)
    post = publish(author, "Verslag van de werkdag", group=group, body="<p>Een verslag.</p>")
    comment = services.add_comment(lies, post, "Jan de Vries woont op Dorpsstraat 12.")
    reply = services.add_comment(noor, post, "Goed dat je het deelt.", parent=comment)
    post_url = post.get_absolute_url()

    # The admin sees a Remove link on every comment and opens the one on Lies's comment.
    sign_in(page, admin.email, DEFAULT_PASSWORD)
    page.goto(post_url)
    main = page.locator("main")
    expect(main.locator(f"a[href='/blog/comments/{reply.pk}/remove/']")).to_have_count(1)
    remove = comment_article(page, t, lies).locator(
        f"a[href='/blog/comments/{comment.pk}/remove/']"
    )
    expect(remove).to_have_accessible_name(starts_with(t("Remove", "nl")))
    remove.click()
    expect(page).to_have_url(path_is(f"/blog/comments/{comment.pk}/remove/"))
    expect(main.locator("h1")).to_have_text(t("Remove a comment", "nl"))
    expect(main.locator("blockquote")).to_have_text("Jan de Vries woont op Dorpsstraat 12.")

    # Without a reason: refused, the author must be told why.
    form = main.locator("form.form")
    button = form.get_by_role("button", name=t("Remove comment", "nl"), exact=True)
    response = submit(page, button)
    assert response.status == 400
    expect(form.locator(".field--error")).to_contain_text(
        t("Give a reason: the author is told why.", "nl")
    )
    assert Comment.objects.get(pk=comment.pk).removed_at is None

    form.get_by_label(field(t, "Reason (shown to the author)")).fill(
        "Persoonsgegevens van iemand anders"
    )
    submit(page, button)
    expect(page).to_have_url(re.compile(rf"{re.escape(post_url)}#comment-{comment.pk}$"))
    expect(main.locator(".messages")).to_contain_text(
        t("The comment is removed; its author is told why.", "nl")
    )

    # The tombstone, for the admin: no text, no actions; the reply stays in its thread.
    tombstone = main.locator(f"#comment-{comment.pk}")
    expect(tombstone).to_have_class(re.compile(r"\bcomment--removed\b"))
    expect(tombstone.locator(".comment__tombstone")).to_have_text(
        t("This comment was removed by a group admin.", "nl")
    )
    expect(tombstone).not_to_contain_text("Dorpsstraat")
    expect(tombstone.get_by_role("link", name=starts_with(t("Remove", "nl")))).to_have_count(0)
    thread = main.locator(".comments__thread", has=page.locator(f"#comment-{comment.pk}"))
    expect(thread.locator(f"#comment-{reply.pk} .comment__body")).to_have_text(
        "Goed dat je het deelt."
    )
    expect(main.locator("#comments-title")).to_have_text(
        plural("%(counter)s comment", "%(counter)s comments", 1)
    )
    assert "Dorpsstraat" not in page.content()
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.removed_by == admin
    assert stored.removal_reason == "Persoonsgegevens van iemand anders"

    # Lies hears of it, with the reason, among her notifications.
    other = open_page()
    sign_in(other, lies.email, DEFAULT_PASSWORD)
    other.goto("/")
    nav = other.get_by_role("navigation", name=t("Main", "nl"))
    nav.get_by_role("link", name=starts_with(t("Notifications", "nl"))).click()
    expect(other).to_have_url(path_is("/notifications/"))
    text = (
        t("Your comment on “%(title)s” was removed.", "nl") % {"title": "Verslag van de werkdag"}
        + " "
        + t("Reason: %(reason)s", "nl") % {"reason": "Persoonsgegevens van iemand anders"}
    )
    expect(other.locator("main .notification__text")).to_contain_text([text])
    expect(other.locator("main .notification__meta")).to_contain_text(["Bas Beheer"])
    told = Notification.objects.get(recipient=lies, kind="moderation")
    assert told.message == "blog.comment_removed"
    with translation.override("nl"):
        assert told.display_text == text
    # And on the post the same tombstone, without a Reply link for the removed comment.
    other.goto(post_url)
    lies_tombstone = other.locator(f"main #comment-{comment.pk}")
    expect(lies_tombstone.locator(".comment__tombstone")).to_have_text(
        t("This comment was removed by a group admin.", "nl")
    )
    expect(lies_tombstone.get_by_role("link")).to_have_count(1)  # her name, nothing else


# 5. With the keyboard alone -------------------------------------------------------------------


def test_like_reply_and_comment_with_the_keyboard(page, sign_in, t):
    anna = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="Peters")
    post = publish(anna, "Toegankelijk schrijven", body="<p>Over toetsenborden.</p>")
    comment = services.add_comment(anna, post, "Wat vinden jullie?")
    post_url = post.get_absolute_url()
    sign_in(page, bram.email, DEFAULT_PASSWORD)
    page.goto(post_url)
    main = page.locator("main")

    # Tab to the post's Like button; Space presses it.
    like = main.locator("#likes").get_by_role("button", name=starts_with(t("Like", "nl")))
    tab_to(page, like)
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(rf"{re.escape(post_url)}#likes$"))
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(main.locator("#likes")).to_contain_text(likes_text(1))

    # Tab to the comment's Like button; Enter presses it.
    anna_comment = comment_article(page, t, anna)
    comment_like = anna_comment.get_by_role("button", name=starts_with(t("Like", "nl")))
    expect(comment_like).to_have_attribute("aria-pressed", "false")
    tab_to(page, comment_like)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(comment_like).to_have_attribute("aria-pressed", "true")
    expect(anna_comment).to_contain_text(likes_text(1))
    assert Reaction.objects.filter(user=bram).count() == 2

    # Tab to Reply, Enter: the form for the reply, with the comment as its parent.
    page.goto(post_url)
    reply_link = anna_comment.get_by_role("link", name=starts_with(t("Reply", "nl")))
    tab_to(page, reply_link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?reply={comment.pk}#comment-form$"))
    form = main.locator("#comment-form")
    expect(form.get_by_role("heading")).to_have_text(
        t("Reply to %(person)s", "nl") % {"person": "Anna Jansen"}
    )
    expect(form.locator("input[name=parent]")).to_have_value(str(comment.pk))

    # The form has the focus (its fragment, tabindex=-1): one Tab reaches the text. Typed and
    # sent with the keyboard: type, Tab to the button, Enter.
    expect(form).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_label(field(t, "Your comment"))).to_be_focused()
    page.keyboard.type("Ik vind het heel duidelijk.")
    page.keyboard.press("Tab")
    send = form.get_by_role("button", name=t("Send reply", "nl"), exact=True)
    expect(send).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reply = Comment.objects.get(author=bram)
    assert reply.parent == comment and reply.body == "Ik vind het heel duidelijk."
    expect(page).to_have_url(re.compile(rf"#comment-{reply.pk}$"))
    expect(main.locator(f"#comment-{reply.pk} .comment__body")).to_have_text(
        "Ik vind het heel duidelijk."
    )

    # A new comment (not a reply), from the top of the page, by keyboard too.
    page.goto(post_url)
    form = main.locator("#comment-form")
    expect(form.get_by_role("heading")).to_have_text(t("Write a comment", "nl"))
    tab_to(page, form.get_by_label(field(t, "Your comment")))
    page.keyboard.type("Nog een gedachte.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    new = Comment.objects.get(author=bram, parent=None)
    assert new.body == "Nog een gedachte."
    expect(main.locator(f"#comment-{new.pk} .comment__body")).to_have_text("Nog een gedachte.")
