"""Every page of the blogs passes axe-core's WCAG 2.1 A/AA rules (serious, critical).

The pages are checked in the states that add markup: the list empty, with posts (covers, tags,
groups) and with filters active (also matching nothing); a post with its cover, tags, comments,
replies, both kinds of tombstone, a mention and a link, seen anonymously, by a commenter (edit and
delete on their own comment, liked buttons pressed, the reply form open, a comment refused), and by
a group admin (remove on every comment); the post form with the rich-text editor (new, in a group,
after a refused save, editing a post with a cover); a draft's preview and a scheduled post; the
comment edit, delete and remove pages (also refused); the likes pages; the group blog for a member
and a non-member; a person's blog, their own with drafts and someone else's; the refusal page and
the 413 page. The lists, the post and the form are also checked in English.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from blog import services
from blog.models import Comment, Post
from blog.services import PostInput, Publish
from groups.models import Membership
from meent.media import serve_media
from tests.e2e.helpers import field, plural, starts_with, submit
from tests.factories import (
    DEFAULT_PASSWORD,
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

POST_BODY = (
    "<h2>Begin</h2><p>Samen <strong>delen</strong> werkt, zie "
    '<a href="https://www.example.nl">het verslag</a>.</p>'
    "<h3>Details</h3><ul><li>Eén</li><li>Twee</li></ul>"
    "<blockquote><p>Een citaat.</p></blockquote>"
)
LANGUAGES = pytest.mark.parametrize(
    ("browser_locale", "language"), [("nl-NL", "nl"), ("en-US", "en")], ids=["nl", "en"]
)


def editor(page, t, language="nl"):
    """The rich-text editor's editable area, once it has replaced the textarea."""
    area = page.locator("main form").get_by_role("textbox", name=field(t, "Text", language))
    expect(area).to_be_visible()
    expect(page.locator("main textarea[name=body]")).to_be_hidden()
    return area


def save_button(page, t, language="nl"):
    return page.locator("main form.blog-form").get_by_role(
        "button", name=t("Save", language), exact=True
    )


def png_upload(name="omslag.png", size=(64, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def png_file(tmp_path, name="omslag.png", size=(64, 40)):
    path = tmp_path / name
    Image.new("RGB", size, "teal").save(path, format="PNG")
    return path


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


def build_world():
    """People, an open and a members-only group, posts in every state, comments in every state.

    - Anna (Gemeente Meent) writes "Verslag van de werkdag" in the open group Open Overheid (cover,
      tags, a heading, a list, a quote, a link), "Open source in de gemeente" on her own blog
      (cover, tags), a draft and a post scheduled for next week.
    - On the group post: Bram's comment (with a mention and a link, liked by Lies) and Anna's
      reply to it; Lies's comment removed by Bas (group admin) with a reason, with Anna's reply
      under it; Noor's comment that she deleted herself, with a reply by Bram under it. Bram
      likes the post.
    - Noor writes "Interne planning" in the members-only group Besloten.
    """
    organisation = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    people = {
        "anna": UserFactory(first_name="Anna", last_name="Jansen", organisation=organisation),
        "bram": UserFactory(first_name="Bram", last_name="Peters"),
        "bas": UserFactory(first_name="Bas", last_name="Beheer"),
        "lies": UserFactory(first_name="Lies", last_name="Lid"),
        "noor": UserFactory(first_name="Noor", last_name="van Dijk"),
        "otto": UserFactory(first_name="Otto", last_name="Buiten"),
    }
    open_group = GroupFactory(name="Open Overheid", slug="open-overheid", content_default="open")
    closed = GroupFactory(name="Besloten", slug="besloten", content_default="members")
    for person, role in (
        ("bas", Membership.Role.OWNER),
        ("anna", Membership.Role.MEMBER),
        ("bram", Membership.Role.MEMBER),
        ("lies", Membership.Role.MEMBER),
        ("noor", Membership.Role.MEMBER),
    ):
        MembershipFactory(group=open_group, user=people[person], role=role)
    MembershipFactory(group=closed, user=people["noor"], role=Membership.Role.OWNER)
    MembershipFactory(group=closed, user=people["anna"], role=Membership.Role.MEMBER)

    anna = people["anna"]
    personal = publish(
        anna,
        "Open source in de gemeente",
        summary="Wat we leerden van een jaar delen.",
        body="<p>Over delen.</p>",
        tags="Open source, privacy",
        cover=png_upload(),
        cover_alt="Drie collega's bij een whiteboard",
    )
    post = publish(
        anna,
        "Verslag van de werkdag",
        group=open_group,
        summary="Wat er besproken is.",
        body=POST_BODY,
        tags="Open source, verslag",
        cover=png_upload("werkdag.png"),
        cover_alt="Een volle zaal met mensen die luisteren",
    )
    publish(people["noor"], "Interne planning", group=closed, body="<p>Intern.</p>")
    draft = services.save_post(
        anna, PostInput(title="Nog niet af", body="<p>Een begin.</p>", tags="concept")
    )
    scheduled = services.save_post(
        anna,
        PostInput(
            title="Volgende week",
            body="<p>Straks.</p>",
            publish=Publish.LATER,
            publish_at=timezone.now() + timedelta(days=7),
        ),
    )
    comment = services.add_comment(
        people["bram"], post, "Mooi verslag, @Anna Jansen! Meer op https://www.example.nl/ ."
    )
    reply = services.add_comment(anna, post, "Dank je, Bram.", parent=comment)
    removed = services.add_comment(people["lies"], post, "Jan woont op Dorpsstraat 12.")
    # A reply keeps the removed comment's tombstone on the page (a lone one is not shown).
    services.add_comment(anna, post, "Dat hoort hier niet.", parent=removed)
    services.remove_comment(people["bas"], removed, "Persoonsgegevens van iemand anders")
    deleted = services.add_comment(people["noor"], post, "Vergeten te zeggen.")
    services.add_comment(people["bram"], post, "Wat was het?", parent=deleted)
    services.delete_comment(people["noor"], deleted)
    services.react(people["bram"], post=post)
    services.react(people["lies"], comment=comment)
    return {
        **people,
        "open_group": open_group,
        "closed": closed,
        "post": post,
        "personal": personal,
        "draft": draft,
        "scheduled": scheduled,
        "comment": comment,
        "reply": reply,
        "removed": removed,
        "deleted": deleted,
    }


# The lists ------------------------------------------------------------------------------------


@LANGUAGES
def test_blog_list_empty_with_posts_and_with_filters(page, axe, sign_in, t, media_root, language):
    reader = UserFactory(first_name="Rita", last_name="Lezer")
    sign_in(page, reader.email, DEFAULT_PASSWORD)
    main = page.locator("main")

    # No posts at all.
    page.goto("/blog/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(main.locator(".result-count")).to_have_text(
        plural("%(counter)s post", "%(counter)s posts", 0, language)
    )
    expect(main.locator(".blog-card")).to_have_count(0)
    expect(main.get_by_role("link", name=t("New post", language), exact=True)).to_be_visible()
    axe.check(page)

    # Posts with covers, summaries, tags, a group and counts.
    build_world()
    page.goto("/blog/")
    cards = main.locator(".blog-card")
    expect(cards.locator(".card__title")).to_have_text(
        ["Verslag van de werkdag", "Open source in de gemeente"]
    )
    expect(cards.get_by_role("img")).to_have_count(2)
    expect(cards.first).to_contain_text(
        plural("%(counter)s comment", "%(counter)s comments", 4, language)
    )
    axe.check(page)

    # Two filters active (chosen in the form), with their Remove links.
    form = main.get_by_role("search", name=t("Filter posts", language))
    form.get_by_label(t("Tag", language), exact=True).select_option("open-source")
    form.get_by_label(t("Group", language), exact=True).select_option("open-overheid")
    submit(page, form.get_by_role("button", name=t("Filter", language), exact=True))
    expect(page).to_have_url(re.compile(r"/blog/\?tag=open-source&group=open-overheid"))
    expect(main.locator(".blog-filters li")).to_have_count(3)
    expect(cards.locator(".card__title")).to_have_text(["Verslag van de werkdag"])
    axe.check(page)

    # A filter that matches nothing.
    page.goto("/blog/?tag=bestaat-niet")
    expect(cards).to_have_count(0)
    expect(main).to_contain_text(t("No posts match. Try another filter.", language))
    axe.check(page)

    # Signed out: the same list, without the New post button.
    page.context.clear_cookies()
    page.goto("/blog/")
    expect(main.get_by_role("link", name=t("New post", language), exact=True)).to_have_count(0)
    expect(cards).to_have_count(2)
    axe.check(page)
    axe.done()


def test_group_blog_and_person_blogs(page, axe, sign_in, t, media_root):
    world = build_world()
    anna, main = world["anna"], page.locator("main")

    # Anna's own blog: her drafts and scheduled posts, then what she published.
    sign_in(page, anna.email, DEFAULT_PASSWORD)
    page.goto(f"/people/{anna.pk}/blog/")
    unpublished = main.locator("section", has=page.locator("#unpublished-title"))
    expect(unpublished.locator(".card__title")).to_have_text(["Nog niet af", "Volgende week"])
    expect(unpublished.locator(".badge")).to_have_text([t("Draft", "nl")])
    published = main.locator("section", has=page.locator("#published-title"))
    expect(published.locator(".card__title")).to_have_text(
        ["Verslag van de werkdag", "Open source in de gemeente"]
    )
    axe.check(page)

    # A member's view of the group blog of a members-only group, with its New post button.
    page.goto("/groups/besloten/blog/")
    expect(main.locator(".card__title")).to_have_text(["Interne planning"])
    expect(main.get_by_role("link", name=t("New post in this group", "nl"))).to_be_visible()
    axe.check(page)

    # The open group's blog.
    page.goto("/groups/open-overheid/blog/")
    expect(main.locator(".card__title")).to_have_text(["Verslag van de werkdag"])
    axe.check(page)

    # Someone else's blog, and the members-only group's blog, for someone not in the group.
    page.context.clear_cookies()
    sign_in(page, world["otto"].email, DEFAULT_PASSWORD)
    page.goto(f"/people/{world['noor'].pk}/blog/")
    expect(main.locator("#unpublished-title")).to_have_count(0)
    expect(main.locator(".blog-card")).to_have_count(0)
    expect(main).to_contain_text(t("No posts that you can read yet.", "nl"))
    axe.check(page)
    page.goto(f"/people/{anna.pk}/blog/")
    expect(main.locator(".card__title")).to_have_text(
        ["Verslag van de werkdag", "Open source in de gemeente"]
    )
    axe.check(page)
    page.goto("/groups/besloten/blog/")
    expect(main).to_contain_text(t("Only members of this group can read its blog.", "nl"))
    axe.check(page)

    # Signed out: the members-only blog, with a sign-in link.
    page.context.clear_cookies()
    page.goto("/groups/besloten/blog/")
    expect(main.get_by_role("link", name=t("Sign in", "nl"), exact=True)).to_be_visible()
    axe.check(page)
    axe.done()


# A post --------------------------------------------------------------------------------------


@LANGUAGES
def test_post_page_for_readers_commenters_and_moderators(
    page, axe, sign_in, t, media_root, language
):
    world = build_world()
    post, comment = world["post"], world["comment"]
    url = post.get_absolute_url()
    main = page.locator("main")
    tombstones = main.locator(".comment__tombstone")

    # Signed out: cover, tags, comments, replies, both kinds of tombstone; a sign-in link.
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(main.get_by_role("img", name="Een volle zaal met mensen die luisteren")).to_be_visible()
    expect(main.locator(".blog-post .blog-tags a")).to_have_text(["Open source", "verslag"])
    expect(main.locator(".comments__replies .comment__body")).to_have_text(
        ["Dank je, Bram.", "Dat hoort hier niet.", "Wat was het?"]
    )
    expect(tombstones).to_have_text(
        [
            t("This comment was removed by a group admin.", language),
            t("This comment was deleted by its author.", language),
        ]
    )
    expect(main.locator("#comments")).to_contain_text(t("Sign in to comment or like.", language))
    axe.check(page)

    # Bram: his own comment with Edit and Delete, his like of the post pressed.
    sign_in(page, world["bram"].email, DEFAULT_PASSWORD)
    page.goto(url)
    own = main.locator(f"#comment-{comment.pk}")
    expect(own.get_by_role("link", name=starts_with(t("Edit", language)))).to_be_visible()
    expect(own.get_by_role("link", name=starts_with(t("Delete", language)))).to_be_visible()
    expect(main.locator("#likes button[aria-pressed=true]")).to_have_count(1)
    axe.check(page)

    # The reply form (replying to Anna's reply), open under the thread of his comment.
    page.goto(f"{url}?reply={world['reply'].pk}")
    thread = main.locator(".comments__thread", has=page.locator(f"#comment-{comment.pk}"))
    form = thread.locator("#comment-form")
    expect(form.locator("input[name=parent]")).to_have_value(str(world["reply"].pk))
    axe.check(page)

    # The reply sent empty: refused, the form with its error.
    response = submit(page, form.get_by_role("button", name=t("Send reply", language), exact=True))
    assert response.status == 400
    expect(main.locator("#comment-form .field--error")).to_contain_text(
        t("Write something before you send your comment.", language)
    )
    axe.check(page)

    # Bas, the group's owner: Remove on every comment still shown.
    page.context.clear_cookies()
    sign_in(page, world["bas"].email, DEFAULT_PASSWORD)
    page.goto(url)
    expect(main.locator(".comment__actions a[href$='/remove/']")).to_have_count(4)
    expect(
        main.locator("#likes").get_by_role("button", name=t("Unpublish", language), exact=True)
    ).to_be_visible()
    axe.check(page)

    # Anna's personal post, on her own page: Edit and Unpublish.
    page.context.clear_cookies()
    sign_in(page, world["anna"].email, DEFAULT_PASSWORD)
    page.goto(world["personal"].get_absolute_url())
    expect(main.get_by_role("img", name="Drie collega's bij een whiteboard")).to_be_visible()
    axe.check(page)

    # Her draft's preview and her scheduled post.
    page.goto(world["draft"].get_absolute_url())
    expect(main.locator(".blog-preview h2")).to_have_text(t("Preview: not published", language))
    expect(
        main.locator(".blog-preview").get_by_role(
            "button", name=t("Publish now", language), exact=True
        )
    ).to_be_visible()
    axe.check(page)
    page.goto(world["scheduled"].get_absolute_url())
    expect(main.locator(".blog-preview h2")).to_have_text(t("Scheduled", language))
    expect(main.locator(".blog-preview time")).to_be_visible()
    axe.check(page)
    axe.done()


# The post form -------------------------------------------------------------------------------


@LANGUAGES
def test_post_form_new_refused_in_a_group_and_editing(
    page, axe, sign_in, t, media_root, tmp_path, language
):
    world = build_world()
    sign_in(page, world["anna"].email, DEFAULT_PASSWORD)
    main = page.locator("main")

    # The new-post form with the editor loaded.
    page.goto("/blog/new/")
    expect(main.locator("h1")).to_have_text(t("New blog post", language))
    editor(page, t, language)
    form = main.locator("form.blog-form")
    expect(form.locator("input[type=radio][name=visibility]")).to_have_count(4)
    axe.check(page)

    # Saved without a title and with a cover but no description: both errors, the notice.
    form.get_by_label(field(t, "Cover image (optional)", language)).set_input_files(
        png_file(tmp_path)
    )
    response = submit(page, save_button(page, t, language))
    assert response.status == 400
    expect(main.locator(".form-errors[role=alert]")).to_be_visible()
    expect(form.locator(".field--error")).to_have_count(1)  # the title is checked first
    form.get_by_label(field(t, "Title", language)).fill("Met omslag")
    form.get_by_label(field(t, "Cover image (optional)", language)).set_input_files(
        png_file(tmp_path)
    )
    form.get_by_role("radio", name=t("Publish at a set time", language), exact=True).check()
    response = submit(page, save_button(page, t, language))
    assert response.status == 400
    expect(form.locator(".field--error")).to_contain_text(
        [t("Describe the cover image for people who cannot see it.", language)]
    )
    expect(main.locator(".notice")).to_be_visible()
    editor(page, t, language)
    axe.check(page)
    assert not Post.objects.filter(title="Met omslag").exists()

    # A new post in a group: the notice, no choice of readers.
    page.goto("/blog/new/?group=besloten")
    expect(main.locator(".notice")).to_contain_text(
        t("This post is in the group's blog: only members of the group can read it.", language)
    )
    editor(page, t, language)
    axe.check(page)

    # Editing a published post with a cover: the current image, Remove the cover image.
    page.goto(f"/blog/{world['personal'].slug}/edit/")
    expect(main.locator(".blog-form__cover img")).to_have_accessible_name(
        "Drie collega's bij een whiteboard"
    )
    expect(
        main.get_by_role("checkbox", name=field(t, "Remove the cover image", language))
    ).to_be_visible()
    expect(editor(page, t, language).locator("h2")).to_have_count(0)
    axe.check(page)
    axe.done()


# Comments, likes, refusals -------------------------------------------------------------------


def test_comment_edit_delete_remove_likes_and_refusal_pages(page, axe, sign_in, t, media_root):
    world = build_world()
    comment, post = world["comment"], world["post"]
    main = page.locator("main")

    # Bram edits his comment; then sends it empty (refused).
    sign_in(page, world["bram"].email, DEFAULT_PASSWORD)
    page.goto(f"/blog/comments/{comment.pk}/edit/")
    expect(main.locator("h1")).to_have_text(t("Edit your comment", "nl"))
    textarea = main.get_by_label(field(t, "Your comment"))
    expect(textarea).to_have_value(comment.body)
    axe.check(page)
    textarea.fill("")
    response = submit(page, main.get_by_role("button", name=t("Save", "nl"), exact=True))
    assert response.status == 400
    expect(main.locator(".field--error")).to_contain_text(
        t("Write something before you send your comment.", "nl")
    )
    axe.check(page)

    # The delete page.
    page.goto(f"/blog/comments/{comment.pk}/delete/")
    expect(main.locator("h1")).to_have_text(t("Delete your comment?", "nl"))
    expect(main.locator("blockquote")).to_contain_text("Mooi verslag")
    axe.check(page)

    # A refusal: liking the post again by a forged POST (409).
    page.goto(post.get_absolute_url())
    likes = main.locator("#likes")
    likes.locator("input[name=like]").evaluate("input => { input.value = '1'; }")
    response = submit(page, likes.get_by_role("button", name=starts_with(t("Like", "nl"))))
    assert response.status == 409
    expect(main.locator(".messages")).to_contain_text(t("You already like this.", "nl"))
    axe.check(page)

    # The likes of the post, of a comment, and of a comment that nobody likes.
    page.goto(f"{post.get_absolute_url()}likes/")
    expect(main.locator(".blog-likes li")).to_have_text(["Bram Peters"])
    axe.check(page)
    page.goto(f"/blog/comments/{comment.pk}/likes/")
    expect(main.locator("h1")).to_have_text(t("Who likes this comment", "nl"))
    expect(main.locator(".blog-likes li")).to_have_text(["Lies Lid"])
    axe.check(page)
    page.goto(f"/blog/comments/{world['reply'].pk}/likes/")
    expect(main).to_contain_text(t("Nobody yet.", "nl"))
    axe.check(page)

    # Bas (group owner) removes Bram's comment: the form, then refused without a reason.
    page.context.clear_cookies()
    sign_in(page, world["bas"].email, DEFAULT_PASSWORD)
    page.goto(f"/blog/comments/{comment.pk}/remove/")
    expect(main.locator("h1")).to_have_text(t("Remove a comment", "nl"))
    axe.check(page)
    response = submit(page, main.get_by_role("button", name=t("Remove comment", "nl"), exact=True))
    assert response.status == 400
    expect(main.locator(".field--error")).to_contain_text(
        t("Give a reason: the author is told why.", "nl")
    )
    axe.check(page)
    assert Comment.objects.get(pk=comment.pk).removed_at is None
    axe.done()


def test_too_big_page(page, axe, sign_in, t, settings):
    """The 413 page, reached in the browser: a comment larger than the server reads at once.

    The comment box allows 5000 characters, far less than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so
    the limit is lowered for this test to let an ordinary comment cross it.
    """
    author = UserFactory()
    post = publish(author, "Lange teksten", body="<p>Schrijf maar.</p>")
    sign_in(page, author.email, DEFAULT_PASSWORD)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000  # after signing in, whose form is smaller
    page.goto(post.get_absolute_url())
    form = page.locator("main #comment-form")
    form.get_by_label(field(t, "Your comment")).fill("Veel woorden. " * 300)
    response = submit(page, form.get_by_role("button", name=t("Send comment", "nl"), exact=True))
    assert response.status == 413
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(t("The text is too long", "nl"))
    expect(main.locator(".messages")).to_contain_text(
        t("The text is too long: nothing was saved.", "nl")
    )
    axe.check(page)
    assert Comment.objects.count() == 0
    axe.done()
