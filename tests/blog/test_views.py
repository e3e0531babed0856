"""The blogs over HTTP: writing, previewing, publishing, comments, likes, lists, bad input, speed."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import Comment, Post, Reaction, Tag
from blog.services import PostInput, Publish
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.helpers import count_queries

from .conftest import png

pytestmark = pytest.mark.django_db

LIST = reverse("blog:list")
NEW = reverse("blog:create")


def english(client):
    """The site in English, the source language of the messages (signing out drops cookies)."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def web(client):
    return english(client)


def as_person(client, person):
    client.force_login(person)
    return english(client)


def anonymous(client):
    client.logout()
    return english(client)


def publish(author, title="Bericht", group=None, **fields):
    fields.setdefault("publish", Publish.NOW)
    return services.save_post(author, PostInput(title=title, **fields), group=group)


def text(response):
    return response.content.decode()


def local_input(when):
    """What a <input type="datetime-local"> sends, in the site's time zone."""
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def at_noon(when):
    """The same day at 12:00, local time: never a time that daylight saving makes ambiguous."""
    return timezone.localtime(when).replace(hour=12, minute=0, second=0, microsecond=0)


def stored_files(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


# ---------------------------------------------------------------------------------------------
# Writing, previewing, publishing


def test_write_a_draft_preview_it_then_publish(web, blog_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = blog_world["people"]["author"]
    client = as_person(web, author)
    form = text(client.get(NEW))
    assert "data-rich-text" in form
    assert 'enctype="multipart/form-data"' in form
    assert 'type="datetime-local"' in form
    assert 'name="visibility"' in form
    assert 'name="remove_cover"' not in form  # nothing to remove yet
    response = client.post(
        NEW,
        {
            "title": "Open  source in de gemeente",
            "summary": "Wat we leerden.",
            "body": "<h2>Begin</h2><p>Samen <strong>delen</strong>.</p><script>alert(1)</script>",
            "tags": "Open source, privacy, open source",
            "cover": png("mijn foto.html"),
            "cover_alt": "Drie collega's bij een whiteboard",
            "visibility": "logged_in",
            "publish": "draft",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url() == "/blog/open-source-in-de-gemeente/"
    assert post.title == "Open source in de gemeente"
    assert post.published_at is None and post.visibility == "logged_in"
    assert "<script>" not in post.body and "<strong>delen</strong>" in post.body
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["open-source", "privacy"]
    # The cover is named by what it is, never by the name it came with.
    assert post.cover.name.endswith(".png")
    assert stored_files(tmp_path) == [post.cover.name.rpartition("/")[2]]

    preview = text(client.get(post.get_absolute_url()))
    assert "Preview: not published" in preview
    assert reverse("blog:publish", args=[post.slug]) in preview
    assert f'alt="{post.cover_alt.replace(chr(39), "&#x27;")}"' in preview
    assert "<strong>delen</strong>" in preview
    for person in ("member", "outsider"):
        assert (
            as_person(web, blog_world["people"][person]).get(post.get_absolute_url()).status_code
            == 404
        )
    anonymous(web)
    assert web.get(post.get_absolute_url()).status_code == 404

    client = as_person(web, author)
    published = client.post(reverse("blog:publish", args=[post.slug]), follow=True)
    assert "Your post is published." in text(published)
    post.refresh_from_db()
    assert post.is_published
    assert sorted(post.tags.values_list("slug", flat=True)) == ["open-source", "privacy"]
    reader = as_person(web, blog_world["people"]["outsider"])
    shown = text(reader.get(post.get_absolute_url()))
    assert "Preview" not in shown
    assert f'<time datetime="{timezone.localtime(post.published_at).isoformat()}' in shown
    assert reverse("blog:list") + "?tag=privacy" in shown
    assert author.get_absolute_url() in shown
    assert "Gemeente Meent" in shown


def test_a_scheduled_post_shows_to_its_author_only_until_its_time(web, blog_world):
    author = blog_world["people"]["author"]
    client = as_person(web, author)
    when = at_noon(timezone.now() + timedelta(days=2))
    response = client.post(
        NEW,
        {
            "title": "Later",
            "body": "<p>Straks.</p>",
            "visibility": "public",
            "publish": "later",
            "publish_at": local_input(when),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.published_at == when  # read in the site's time zone
    page = text(client.get(post.get_absolute_url()))
    assert "Scheduled for" in page
    assert timezone.localtime(when).strftime("%H:%M") in page
    edit = text(client.get(reverse("blog:edit", args=[post.slug])))
    assert f'value="{local_input(when)}"' in edit

    other = english(Client())
    assert other.get(post.get_absolute_url()).status_code == 404
    assert post.get_absolute_url() not in text(other.get(LIST))
    assert post.get_absolute_url() not in text(other.get(reverse("person_blog", args=[author.pk])))
    own_blog = text(client.get(reverse("person_blog", args=[author.pk])))
    assert "Your drafts and scheduled posts" in own_blog and post.get_absolute_url() in own_blog

    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert other.get(post.get_absolute_url()).status_code == 200
    assert post.get_absolute_url() in text(other.get(LIST))


def test_edit_a_post_change_its_cover_and_unpublish_it(
    web, blog_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    author = blog_world["people"]["author"]
    post = publish(author, "Eerste versie", cover=png(), cover_alt="Een plaatje", tags="a, b")
    client = as_person(web, author)
    edit_url = reverse("blog:edit", args=[post.slug])
    form = text(client.get(edit_url))
    assert 'value="Eerste versie"' in form
    assert 'value="a, b"' in form
    assert 'name="remove_cover"' in form
    assert "Keep it published (its date stays the same)" in form
    published_at = post.published_at
    # The old file is deleted once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url,
            {
                "title": "Tweede versie",
                "body": "<p>Nieuw.</p>",
                "tags": "b, c",
                "cover_alt": "",
                "remove_cover": "on",
                "visibility": "public",
                "publish": "now",
            },
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.slug, post.cover.name) == ("Tweede versie", "eerste-versie", "")
    assert post.published_at == published_at  # editing keeps the date
    assert sorted(post.tags.values_list("name", flat=True)) == ["b", "c"]
    assert stored_files(tmp_path) == []

    # Choosing "draft" on a published post unpublishes it.
    client.post(edit_url, {"title": "Tweede versie", "visibility": "public", "publish": "draft"})
    post.refresh_from_db()
    assert post.published_at is None


def test_unpublish_by_author_group_managers_and_moderators_only(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "In de groep", group=group)
    url = reverse("blog:unpublish", args=[post.slug])
    refused = as_person(web, people["member"]).post(url)
    assert refused.status_code == 403
    assert "You may not unpublish this post." in text(refused)
    assert as_person(web, people["outsider"]).post(url).status_code == 404
    post.refresh_from_db()
    assert post.is_published
    for person in ("admin", "owner", "author"):
        client = as_person(web, people[person])
        assert "Unpublish" in text(client.get(post.get_absolute_url()))
        response = client.post(url, follow=True)
        assert response.status_code == 200
        post.refresh_from_db()
        assert post.published_at is None
        post = services.save_post(
            people["author"], PostInput(title=post.title, publish=Publish.NOW), post=post
        )
    personal = publish(people["author"], "Persoonlijk")
    client = as_person(web, people["moderator"])
    assert client.post(reverse("blog:unpublish", args=[personal.slug])).status_code == 302
    personal.refresh_from_db()
    assert personal.published_at is None
    # Group admins have no say over posts outside their group.
    other = publish(people["author"], "Nog een")
    assert (
        as_person(web, people["admin"])
        .post(reverse("blog:unpublish", args=[other.slug]))
        .status_code
        == 403
    )


def test_only_the_author_edits(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Van mij")
    edit = reverse("blog:edit", args=[post.slug])
    response = as_person(web, people["moderator"]).get(edit)
    assert response.status_code == 403
    assert "You may not edit this post." in text(response)
    response = as_person(web, people["outsider"]).post(edit, {"title": "Gekaapt", "publish": "now"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "Van mij"
    anonymous(web)
    assert web.get(edit).status_code == 302  # to the sign-in page


def test_group_posts_only_by_members_of_groups_with_a_blog(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    url = f"{NEW}?group={group.slug}"
    form = as_person(web, people["member"])
    page = text(form.get(url))
    assert 'name="visibility"' not in page  # the group decides who reads it
    assert 'aria-current="page">Blog<' in page  # the group's tabs
    response = form.post(url, {"title": "Teamnieuws", "publish": "now"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.group == group and post.visibility == "public"
    # A group post is for the group's members: this one is members-only.
    outsider = as_person(web, people["outsider"])
    assert outsider.get(post.get_absolute_url()).status_code == 404
    for group_url in (url, f"{NEW}?group={GroupFactory(content_default='open').slug}"):
        refused = outsider.post(group_url, {"title": "Ik ook", "publish": "now"})
        assert refused.status_code == 403
        assert "Only members of the group can post in its blog." in text(refused)
    hidden = GroupFactory(visibility="hidden")
    assert outsider.get(f"{NEW}?group={hidden.slug}").status_code == 404
    group.blog_enabled = False
    group.save()
    assert as_person(web, people["member"]).get(url).status_code == 404
    assert web.get(reverse("group_blog", args=[group.slug])).status_code == 404
    assert Post.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message, nothing saved


def test_publishing_without_a_title(web, blog_world):
    client = as_person(web, blog_world["people"]["author"])
    for title in ("", "   ", "<b></b>"):
        response = client.post(
            NEW, {"title": title, "body": "<p>Tekst</p>", "publish": "now", "visibility": "public"}
        )
        assert response.status_code == 400
        content = text(response)
        assert "Give the post a title." in content
        assert "&lt;p&gt;Tekst&lt;/p&gt;" in content  # the text is kept in the form
    assert Post.objects.count() == 0


def test_a_cover_without_a_description_saves_nothing(web, blog_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_person(web, blog_world["people"]["author"])
    response = client.post(
        NEW,
        {
            "title": "Met plaatje",
            "cover": png(),
            "cover_alt": " ",
            "publish": "now",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    content = text(response)
    assert "Describe the cover image for people who cannot see it." in content
    assert "choose the cover image again" in content
    assert 'aria-describedby="id_cover_alt_error' in content or "id_cover_alt_error" in content
    assert Post.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_a_file_that_is_not_an_image_is_refused(web, blog_world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = as_person(web, blog_world["people"]["author"])
    fake = SimpleUploadedFile("foto.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(
        NEW,
        {
            "title": "Nep",
            "cover": fake,
            "cover_alt": "Iets",
            "publish": "now",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "This file is not an image we can read." in text(response)
    assert Post.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_a_far_past_or_far_future_schedule_is_refused(web, blog_world):
    client = as_person(web, blog_world["people"]["author"])
    cases = [
        (at_noon(timezone.now() - timedelta(days=400)), "This time has passed."),
        (at_noon(timezone.now() + timedelta(days=800)), "Schedule at most a year ahead."),
    ]
    for when, message in cases:
        response = client.post(
            NEW,
            {
                "title": "Ooit",
                "publish": "later",
                "publish_at": local_input(when),
                "visibility": "public",
            },
        )
        assert response.status_code == 400
        assert message in text(response)
    response = client.post(
        NEW, {"title": "Ooit", "publish": "later", "publish_at": "", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Give the date and time to publish at." in text(response)
    response = client.post(
        NEW, {"title": "Ooit", "publish": "later", "publish_at": "gisteren", "visibility": "public"}
    )
    assert response.status_code == 400
    assert Post.objects.count() == 0


def test_a_tag_list_of_thousands_is_refused(web, blog_world):
    client = as_person(web, blog_world["people"]["author"])
    tags = ", ".join(f"tag{n}" for n in range(3000))
    response = client.post(
        NEW, {"title": "Veel tags", "tags": tags, "publish": "now", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Use at most 10 tags; you gave 3000." in text(response)
    assert (Post.objects.count(), Tag.objects.count()) == (0, 0)


def test_a_5_mb_body_answers_413_with_the_limit(web, blog_world):
    client = as_person(web, blog_world["people"]["author"])
    body = "<p>" + "x" * (5 * 1024 * 1024) + "</p>"
    response = client.post(NEW, {"title": "Lang", "body": body, "publish": "now"})
    assert response.status_code == 413
    content = text(response)
    assert "The text is too long" in content
    assert "500,000 characters" in content
    assert "2.5\xa0MB" in content
    assert Post.objects.count() == 0
    # Editing too, and a body under Django's limit but over the blog's.
    post = publish(blog_world["people"]["author"], "Kort")
    edit = reverse("blog:edit", args=[post.slug])
    assert (
        client.post(
            edit, {"title": "Lang", "body": body, "publish": "now", "visibility": "public"}
        ).status_code
        == 413
    )
    long = "<p>" + "y" * (django_settings.MEENT_BLOG_MAX_BODY + 10) + "</p>"
    response = client.post(
        edit, {"title": "Lang", "body": long, "publish": "now", "visibility": "public"}
    )
    assert response.status_code == 413
    assert "The text is too long: at most 500000 characters of HTML." in text(response)
    post.refresh_from_db()
    assert post.title == "Kort"


def test_a_5_mb_body_with_csrf_checks_on_still_answers_413(blog_world):
    """The CSRF middleware reads the form before the view: the views check the token themselves."""
    client = english(Client(enforce_csrf_checks=True))
    client.force_login(blog_world["people"]["author"])
    client.get(NEW)
    token = client.cookies["csrftoken"].value
    body = "x" * (5 * 1024 * 1024)
    response = client.post(NEW, {"csrfmiddlewaretoken": token, "title": "Lang", "body": body})
    assert response.status_code == 413
    assert "The text is too long" in text(response)
    # The token is still required when the form can be read.
    assert client.post(NEW, {"title": "Zonder token", "publish": "now"}).status_code == 403
    response = client.post(
        NEW,
        {"csrfmiddlewaretoken": token, "title": "Met", "publish": "now", "visibility": "public"},
    )
    assert response.status_code == 302
    assert list(Post.objects.values_list("title", flat=True)) == ["Met"]


def test_new_is_never_a_post_address(web, blog_world):
    post = publish(blog_world["people"]["author"], "New")
    assert post.slug == "new-2"
    assert web.get(post.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------------------------------------
# Comments


def test_comment_reply_and_reply_to_a_reply_joins_the_thread(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Praat mee", visibility="logged_in")
    url = reverse("blog:comment", args=[post.slug])
    client = as_person(web, people["outsider"])
    response = client.post(url, {"body": "Mooi stuk!\nZie https://example.org/x <b>vet</b>"})
    first = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{first.pk}"
    page = text(client.get(post.get_absolute_url()))
    assert "Mooi stuk!<br>" in page
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in page
    assert "&lt;b&gt;vet&lt;/b&gt;" not in page or "<b>vet</b>" not in page
    assert "<b>vet</b>" not in page

    # Without JavaScript: "Reply" opens the form under the comment, with the parent set.
    replying = text(client.get(f"{post.get_absolute_url()}?reply={first.pk}"))
    assert f'href="?reply={first.pk}#comment-form"' in page
    assert f'name="parent" value="{first.pk}"' in replying
    assert "Reply to Otto Buiten" in replying
    client = as_person(web, people["member"])
    client.post(url, {"body": "Eens.", "parent": first.pk})
    reply = Comment.objects.get(body="Eens.")
    assert reply.parent == first
    client.post(url, {"body": "Op jouw reactie.", "parent": reply.pk})
    deeper = Comment.objects.get(body="Op jouw reactie.")
    assert deeper.parent == first  # one level of replies
    page = text(client.get(post.get_absolute_url()))
    assert "3 comments" in page
    replies = page.split('class="comments__replies"', 1)[1].split("</ol>", 1)[0]
    assert "Eens." in replies and "Op jouw reactie." in replies


def test_bad_comments_are_refused_and_nothing_is_saved(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    hidden = publish(people["author"], "Intern", group=group)
    draft = services.save_post(people["author"], PostInput(title="Nog niet"))
    visible = publish(people["author"], "Open")
    other = publish(people["author"], "Ander")
    elsewhere = services.add_comment(people["member"], other, "Daar")
    client = as_person(web, people["outsider"])
    for post in (hidden, draft):
        response = client.post(reverse("blog:comment", args=[post.slug]), {"body": "Hoi"})
        assert response.status_code == 404
        assert "This post does not exist or you may not see it." in text(response)
        assert post.title not in text(response)
    response = client.post(reverse("blog:comment", args=["bestaat-niet"]), {"body": "Hoi"})
    assert response.status_code == 404
    url = reverse("blog:comment", args=[visible.slug])
    for body in ("", "   ", "<p></p>"):
        response = client.post(url, {"body": body})
        assert response.status_code == 400
        assert "Write something before you send your comment." in text(response)
    response = client.post(url, {"body": "x" * 5001})
    assert response.status_code == 400
    assert "A comment has at most 5000 characters." in text(response)
    response = client.post(url, {"body": "Antwoord", "parent": elsewhere.pk})
    assert response.status_code == 400
    assert "You can only reply to a comment on this post." in text(response)
    response = client.post(url, {"body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "5,000 characters" in text(response)
    assert Comment.objects.count() == 1
    anonymous(web)
    assert web.post(url, {"body": "Anoniem"}).status_code == 302
    assert Comment.objects.count() == 1


def test_edit_and_delete_own_comments_only(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Reacties")
    comment = services.add_comment(people["member"], post, "Eerste gedachte")
    reply = services.add_comment(people["outsider"], post, "Antwoord", parent=comment)
    edit = reverse("blog:comment_edit", args=[comment.pk])
    delete = reverse("blog:comment_delete", args=[comment.pk])

    stranger = as_person(web, people["outsider"])
    assert stranger.get(edit).status_code == 403
    response = stranger.post(edit, {"body": "Gekaapt"})
    assert response.status_code == 403
    assert "You can only edit your own comments." in text(response)
    assert stranger.post(delete).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Eerste gedachte" and not comment.is_removed

    owner = as_person(web, people["member"])
    assert "Eerste gedachte" in text(owner.get(edit))
    assert owner.post(edit, {"body": ""}).status_code == 400
    response = owner.post(edit, {"body": "Tweede gedachte"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Tweede gedachte" and comment.edited_at
    page = text(owner.get(post.get_absolute_url()))
    assert "edited" in page
    assert "Delete your comment?" in text(owner.get(delete))
    assert owner.post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.is_removed and comment.body == ""
    page = text(as_person(web, people["outsider"]).get(post.get_absolute_url()))
    assert "This comment was deleted by its author." in page
    assert "Tweede gedachte" not in page
    assert "Antwoord" in page  # the reply keeps its place
    assert "1 comment" in page
    assert as_person(web, people["member"]).get(edit).status_code == 403
    assert Comment.objects.filter(pk=reply.pk, removed_at__isnull=True).exists()


@pytest.mark.parametrize("remover", ["moderator", "admin", "owner"])
def test_moderators_and_group_admins_remove_comments_with_a_reason(web, blog_world, remover):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Groepsbericht", group=group)
    comment = services.add_comment(people["member"], post, "Iets ongepasts")
    services.add_comment(people["author"], post, "Mijn antwoord", parent=comment)
    url = reverse("blog:comment_remove", args=[comment.pk])
    if remover == "moderator":
        # Moderators do not read members-only groups: they act on what they may see.
        MembershipFactory(group=group, user=people["moderator"])
    client = as_person(web, people[remover])
    page = text(client.get(post.get_absolute_url()))
    assert url in page
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Persoonsgegevens van een ander"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_removed and comment.removal_reason == "Persoonsgegevens van een ander"
    page = text(as_person(Client(), people["member"]).get(post.get_absolute_url()))
    if remover == "moderator":
        assert "This comment was hidden by a moderator." in page
    else:
        assert "This comment was removed by a group admin." in page
    assert "Iets ongepasts" not in page
    assert "Mijn antwoord" in page
    assert "1 comment" in page
    again = client.post(url, {"reason": "Nog eens"})
    assert again.status_code == 409
    assert "This comment was already removed." in text(again)


def test_members_cannot_remove_comments(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Groepsbericht", group=group)
    comment = services.add_comment(people["admin"], post, "Blijft staan")
    url = reverse("blog:comment_remove", args=[comment.pk])
    client = as_person(web, people["member"])
    assert url not in text(client.get(post.get_absolute_url()))
    response = client.post(url, {"reason": "Weg ermee"})
    assert response.status_code == 403
    assert "You may not remove this comment." in text(response)
    assert as_person(web, people["outsider"]).post(url, {"reason": "x"}).status_code == 404
    comment.refresh_from_db()
    assert not comment.is_removed


def test_mentions_in_comments_link_to_the_person(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Vermeld")
    services.add_comment(people["member"], post, "Wat vind jij, @Otto Buiten? En @Niemand Hier.")
    page = text(web.get(post.get_absolute_url()))
    profile = people["outsider"].get_absolute_url()
    assert f'<a class="mention" href="{profile}">@Otto Buiten</a>?' in page
    assert "@Niemand Hier." in page


# ---------------------------------------------------------------------------------------------
# Likes


def test_like_unlike_and_liking_twice(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Leuk")
    url = reverse("blog:like", args=[post.slug])
    client = as_person(web, people["member"])
    page = text(client.get(post.get_absolute_url()))
    assert 'aria-pressed="false"' in page
    response = client.post(url, {"like": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#likes"
    page = text(client.get(post.get_absolute_url()))
    assert 'aria-pressed="true"' in page
    assert "1 like" in page
    twice = client.post(url, {"like": "1"})
    assert twice.status_code == 409
    assert "You already like this." in text(twice)
    assert Reaction.objects.count() == 1
    likes = text(web.get(reverse("blog:likes", args=[post.slug])))
    assert "Lies Lid" in likes and people["member"].get_absolute_url() in likes
    assert client.post(url, {"like": "0"}).status_code == 302
    assert Reaction.objects.count() == 0
    assert "0 likes" in text(client.get(post.get_absolute_url()))


def test_like_a_comment_and_see_who(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Reageer")
    comment = services.add_comment(people["member"], post, "Goed punt")
    url = reverse("blog:comment_like", args=[comment.pk])
    client = as_person(web, people["outsider"])
    page = text(client.get(post.get_absolute_url()))
    assert 'Like<span class="visually-hidden">: comment by Lies Lid</span>' in page
    assert client.post(url, {"like": "1"}).status_code == 302
    assert client.post(url, {"like": "1"}).status_code == 409
    assert Reaction.objects.filter(comment=comment).count() == 1
    likes = text(web.get(reverse("blog:comment_likes", args=[comment.pk])))
    assert "Otto Buiten" in likes
    services.delete_comment(people["member"], comment)
    assert web.get(reverse("blog:comment_likes", args=[comment.pk])).status_code == 404
    assert client.post(url, {"like": "0"}).status_code == 302
    assert client.post(url, {"like": "1"}).status_code == 409  # removed: nothing to like


def test_likes_of_a_hidden_post_are_not_found(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Intern", group=group)
    comment = services.add_comment(people["member"], post, "Binnen")
    services.react(people["member"], post=post)
    services.react(people["member"], comment=comment)
    client = as_person(web, people["outsider"])
    assert client.get(reverse("blog:likes", args=[post.slug])).status_code == 404
    assert client.get(reverse("blog:comment_likes", args=[comment.pk])).status_code == 404
    response = client.post(reverse("blog:comment_like", args=[comment.pk]), {"like": "1"})
    assert response.status_code == 404
    assert "Binnen" not in text(response)
    assert Reaction.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# Lists, filters and who sees what


def test_the_list_filters_by_tag_group_organisation_and_author(web, blog_world):
    people, group, home = blog_world["people"], blog_world["group"], blog_world["home"]
    open_group = GroupFactory(slug="open", name="Open groep", content_default="open")
    MembershipFactory(group=open_group, user=people["admin"])
    a = publish(people["author"], "Over privacy", tags="privacy")
    b = publish(people["admin"], "In de open groep", group=open_group, tags="privacy, data")
    c = publish(people["owner"], "Van de eigenaar", tags="data")
    secret = publish(people["member"], "Geheim", group=group, tags="geheimtag")

    def shown(query=""):
        content = text(web.get(LIST + query))
        return {p.title for p in (a, b, c, secret) if p.get_absolute_url() in content}, content

    titles, content = shown()
    assert titles == {a.title, b.title, c.title}
    assert "geheimtag" not in content and "Team" not in content.split("<main", 1)[1]
    assert 'for="filter-tag"' in content and 'for="filter-author"' in content
    assert shown("?tag=privacy")[0] == {a.title, b.title}
    titles, content = shown("?tag=data")
    assert titles == {b.title, c.title}
    assert "Active filters" in content and "Tag: data" in content
    assert 'type="application/rss+xml"' in content
    assert reverse("blog_tag_feed_rss", kwargs={"tag": "data"}) in content
    assert shown(f"?group={open_group.slug}")[0] == {b.title}
    assert shown(f"?organisation={home.slug}")[0] == {a.title, c.title}
    titles, content = shown(f"?author={people['owner'].pk}")
    assert titles == {c.title}
    assert "Author: Olga Eigen" in content
    assert shown(f"?tag=data&author={people['owner'].pk}")[0] == {c.title}
    assert shown("?tag=geheimtag")[0] == set()
    assert shown(f"?group={group.slug}")[0] == set()
    assert shown("?author=abc")[0] == {a.title, b.title, c.title}
    member = as_person(web, people["member"])
    assert secret.get_absolute_url() in text(member.get(LIST + "?tag=geheimtag"))


def test_the_list_is_paginated_newest_first(web, blog_world):
    author = blog_world["people"]["author"]
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                author=author,
                title=f"Bericht {n}",
                slug=f"bericht-{n}",
                published_at=now - timedelta(hours=n),
            )
            for n in range(25)
        ]
    )
    first = text(web.get(LIST))
    assert "25 posts" in first
    assert first.index("/blog/bericht-0/") < first.index("/blog/bericht-1/")
    assert "/blog/bericht-19/" in first and "/blog/bericht-20/" not in first
    assert "Page 1 of 2" in first
    second = text(web.get(LIST + "?page=2"))
    assert "/blog/bericht-24/" in second


def test_a_group_post_stays_with_the_members_everywhere(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Alleen voor leden", group=group)
    surfaces = [
        post.get_absolute_url(),
        LIST,
        reverse("group_blog", args=[group.slug]),
        reverse("person_blog", args=[people["author"].pk]),
    ]
    member = as_person(web, people["member"])
    for url in surfaces[1:]:
        assert post.get_absolute_url() in text(member.get(url)), url
    for client in (as_person(Client(), people["outsider"]), english(Client())):
        assert client.get(surfaces[0]).status_code == 404
        for url in surfaces[1:]:
            response = client.get(url)
            assert response.status_code == 200
            assert post.get_absolute_url() not in text(response) and post.title not in text(
                response
            )
    group_blog = text(english(Client()).get(surfaces[2]))
    assert "Only members of this group can read its blog." in group_blog


def test_the_group_blog_for_members_and_a_hidden_group(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    client = as_person(web, people["member"])
    page = text(client.get(reverse("group_blog", args=[group.slug])))
    assert "New post in this group" in page
    assert f"{NEW}?group={group.slug}" in page
    assert 'aria-current="page">Blog<' in page
    hidden = GroupFactory(slug="verborgen", visibility="hidden", content_default="open")
    assert (
        as_person(web, people["outsider"])
        .get(reverse("group_blog", args=[hidden.slug]))
        .status_code
        == 404
    )
    home = text(as_person(web, people["member"]).get(group.get_absolute_url()))
    assert reverse("group_blog", args=[group.slug]) in home


def test_the_person_blog_shows_drafts_to_that_person_only(web, blog_world):
    people = blog_world["people"]
    draft = services.save_post(people["author"], PostInput(title="Concept"))
    public = publish(people["author"], "Openbaar")
    private = publish(people["author"], "Privé", visibility="private")
    colleague = publish(people["author"], "Collega's", visibility="organisation")
    url = reverse("person_blog", args=[people["author"].pk])
    own = text(as_person(web, people["author"]).get(url))
    for post in (draft, public, private, colleague):
        assert post.get_absolute_url() in own
    assert "Your drafts and scheduled posts" in own
    owner = text(as_person(web, people["owner"]).get(url))  # same organisation
    assert {
        p.title for p in (draft, public, private, colleague) if p.get_absolute_url() in owner
    } == {
        public.title,
        colleague.title,
    }
    assert "drafts" not in owner
    profile = text(web.get(people["author"].get_absolute_url()))
    assert url in profile
    assert web.get(reverse("person_blog", args=[999999])).status_code == 404


def test_counters_never_count_removed_or_hidden_things(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Geteld")
    kept = services.add_comment(people["member"], post, "Blijft")
    gone = services.add_comment(people["outsider"], post, "Verdwijnt")
    deleted = services.add_comment(people["member"], post, "Zelf weg", parent=kept)
    services.react(people["owner"], comment=gone)
    services.remove_comment(people["moderator"], gone, "Spam")
    services.delete_comment(people["member"], deleted)
    services.react(people["member"], post=post)
    services.react(people["outsider"], post=post)
    inactive = UserFactory(first_name="Weg", last_name="Geweest")
    services.react(inactive, post=post)
    inactive.is_active = False
    inactive.save()
    listing = text(web.get(LIST))
    assert "1 comment" in listing and "2 likes" in listing
    page = text(web.get(post.get_absolute_url()))
    assert "1 comment" in page and "2 likes" in page
    assert "Verdwijnt" not in page and "Zelf weg" not in page and "Spam" not in page
    # Neither has replies, so neither leaves a tombstone (nor a like count) behind.
    assert f'id="comment-{gone.pk}"' not in page and f'id="comment-{deleted.pk}"' not in page
    likes = text(web.get(reverse("blog:likes", args=[post.slug])))
    assert "2 people like this" in likes and "Weg Geweest" not in likes


def test_main_navigation_marks_the_blog(web, blog_world):
    page = text(web.get(LIST))
    assert f'<a href="{LIST}" aria-current="page">Blog</a>' in page


# ---------------------------------------------------------------------------------------------
# Speed: constant queries


def _many_posts(author, group, count, start=0):
    now = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                author=author,
                group=group if n % 3 == 0 else None,
                title=f"Snel {n}",
                slug=f"snel-{n}",
                summary="Kort",
                published_at=now - timedelta(minutes=n),
            )
            for n in range(start, start + count)
        ]
    )
    tag = Tag.objects.get_or_create(slug="snel", defaults={"name": "snel"})[0]
    Post.tags.through.objects.bulk_create(
        [Post.tags.through(post_id=post.pk, tag_id=tag.pk) for post in posts]
    )
    return posts


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_lists_take_the_same_queries_for_5_and_500_posts(web, blog_world, signed_in):
    people = blog_world["people"]
    open_group = GroupFactory(slug="open", content_default="open")
    client = as_person(web, people["member"]) if signed_in else web
    urls = [
        LIST,
        LIST + "?tag=snel",
        reverse("group_blog", args=[open_group.slug]),
        reverse("person_blog", args=[people["author"].pk]),
    ]
    posts = _many_posts(people["author"], open_group, 5)
    for post in posts[:2]:
        services.add_comment(people["member"], post, "Hallo")
        services.react(people["owner"], post=post)
    small = [count_queries(client, url) for url in urls]
    more = _many_posts(people["author"], open_group, 495, start=5)
    for post in more[:50]:
        services.add_comment(people["owner"], post, "Nog een")
        services.react(people["member"], post=post)
    assert Post.objects.count() == 500
    assert [count_queries(client, url) for url in urls] == small
    assert text(client.get(LIST)).count('class="card blog-card"') == 20


def _many_comments(post, people, count):
    authors = [people["member"], people["outsider"], people["owner"], people["admin"]]
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        [
            Comment(
                post=post,
                author=authors[n % 4],
                body=f"Reactie {n} voor @Anna Jansen, zie https://example.org/{n}",
                created_at=now + timedelta(seconds=n),
            )
            for n in range(count // 2)
        ]
    )
    replies = Comment.objects.bulk_create(
        [
            Comment(
                post=post,
                parent=tops[n % len(tops)],
                author=authors[(n + 1) % 4],
                body=f"Antwoord {n}",
                created_at=now + timedelta(seconds=count + n),
                removed_at=now if n % 7 == 0 else None,
                removed_by=people["moderator"] if n % 7 == 0 else None,
            )
            for n in range(count - len(tops))
        ]
    )
    Reaction.objects.bulk_create(
        [
            Reaction(user=authors[n % 4], comment=comment)
            for n, comment in enumerate(tops + replies)
            if n % 2 == 0
        ]
    )


@pytest.mark.parametrize("who", ["member", "admin", "moderator", None])
def test_a_post_with_200_comments_takes_the_same_queries_as_5(web, blog_world, who):
    people, group = blog_world["people"], blog_world["group"]
    MembershipFactory(group=group, user=people["moderator"])
    client = as_person(web, people[who]) if who else web
    group.content_default = "open"
    group.save()
    small_post = publish(people["author"], "Klein", group=group)
    big_post = publish(people["author"], "Groot", group=group)
    _many_comments(small_post, people, 5)
    _many_comments(big_post, people, 200)
    for post in (small_post, big_post):
        services.react(people["member"], post=post)
    assert Comment.objects.filter(post=big_post).count() == 200
    small = count_queries(client, small_post.get_absolute_url())
    big = count_queries(client, big_post.get_absolute_url())
    assert big == small
    content = text(client.get(big_post.get_absolute_url()))
    # Every readable comment; the removed replies leave no tombstone (nothing hangs under them).
    readable = Comment.objects.filter(post=big_post, removed_at__isnull=True).count()
    assert readable < 200
    assert content.count('class="comment"') == readable
    assert 'class="comment comment--removed"' not in content
    assert 'class="mention"' in content


def test_an_archived_group_keeps_its_blog_but_nothing_changes(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Voor het archief", group=group)
    comment = services.add_comment(people["member"], post, "Laatste woord")
    group.is_archived = True
    group.save()
    client = as_person(web, people["author"])
    page = text(client.get(post.get_absolute_url()))
    assert "This group is archived" in page and "Laatste woord" in page
    assert 'id="comment-form"' not in page
    response = client.post(reverse("blog:comment", args=[post.slug]), {"body": "Nog iets"})
    assert response.status_code == 409
    assert "This group is archived: nothing can be added to it." in text(response)
    response = client.get(reverse("blog:edit", args=[post.slug]))
    assert response.status_code == 409
    assert "This group is archived: its blog can no longer change." in text(response)
    response = client.post(f"{NEW}?group={group.slug}", {"title": "Nieuw", "publish": "now"})
    assert response.status_code == 409
    assert (Post.objects.count(), Comment.objects.count()) == (1, 1)
    assert comment.pk


def test_a_refused_reply_comes_back_under_its_thread(web, blog_world):
    people = blog_world["people"]
    post = publish(people["author"], "Draad")
    first = services.add_comment(people["member"], post, "Begin")
    reply = services.add_comment(people["owner"], post, "Antwoord", parent=first)
    client = as_person(web, people["outsider"])
    response = client.post(
        reverse("blog:comment", args=[post.slug]), {"body": " ", "parent": reply.pk}
    )
    assert response.status_code == 400
    content = text(response)
    thread = content.split(f'id="comment-{first.pk}"', 1)[1].split("</li>\n            \n", 1)[0]
    assert 'id="comment-form"' in content.split(f'id="comment-{first.pk}"', 1)[1]
    assert "Reply to Olga Eigen" in thread
    assert f'name="parent" value="{reply.pk}"' in content
    assert "Write something before you send your comment." in content
    assert Comment.objects.count() == 2


def test_comment_text_is_plain_whatever_it_holds():
    from blog.templatetags.blog_text import render_comment
    from tests.security.html_safety import assert_safe_html
    from tests.security.xss_corpus import PAYLOADS

    person = UserFactory.build(pk=7, first_name="Otto", last_name="Buiten")
    for payload in PAYLOADS:
        html = render_comment(
            f"@Otto Buiten {payload} https://example.org/?a=1&b=2", {"otto buiten": person}
        )
        assert_safe_html(
            html,
            allowed_tags={"a", "br"},
            allowed_attributes={"a": ["href", "rel", "class"]},
        )
    html = render_comment(
        "Zie https://voorbeeld.nl/@Otto Buiten en\n(@Otto Buiten)", {"otto buiten": person}
    )
    assert html.count('class="mention"') == 1  # not inside a web address
    assert "<br>" in html


def test_tombstones_say_who_removed_and_the_heading_counts_what_one_reads(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    MembershipFactory(group=group, user=people["moderator"])
    # On a personal blog a moderator hides; on a group's blog a group admin removes.
    personal = publish(people["author"], "Persoonlijk")
    hidden = services.add_comment(people["member"], personal, "Reclame")
    services.add_comment(people["outsider"], personal, "Wat bedoel je?", parent=hidden)
    services.remove_comment(people["moderator"], hidden, "Spam")
    lone = services.add_comment(people["member"], personal, "Nog meer reclame")
    services.remove_comment(people["moderator"], lone, "Spam")
    page = text(as_person(web, people["outsider"]).get(personal.get_absolute_url()))
    assert "This comment was hidden by a moderator." in page
    assert "group admin" not in page
    # The lone tombstone keeps no thread readable: it is gone, and the heading counts the reply.
    assert f'id="comment-{lone.pk}"' not in page
    assert "1 comment" in page

    grouped = publish(people["author"], "In de groep", group=group)
    removed = services.add_comment(people["member"], grouped, "Ongepast")
    services.add_comment(people["owner"], grouped, "Inderdaad", parent=removed)
    services.remove_comment(people["admin"], removed, "Ongepast")
    by_moderator = services.add_comment(people["member"], grouped, "Ook ongepast")
    services.add_comment(people["owner"], grouped, "Ja", parent=by_moderator)
    services.remove_comment(people["moderator"], by_moderator, "Ongepast")
    page = text(as_person(web, people["member"]).get(grouped.get_absolute_url()))
    assert "This comment was removed by a group admin." in page
    assert "This comment was hidden by a moderator." in page
    assert "2 comments" in page

    # Only a tombstone left: no "0 comments" above it, since it is not shown either.
    alone = publish(people["author"], "Stil")
    only = services.add_comment(people["member"], alone, "Weg")
    services.delete_comment(people["member"], only)
    page = text(as_person(web, people["outsider"]).get(alone.get_absolute_url()))
    assert "0 comments" in page and "This comment was deleted by its author." not in page


def test_ones_own_comment_has_one_delete_and_one_edit(web, blog_world):
    people, group = blog_world["people"], blog_world["group"]
    post = publish(people["author"], "Eigen reactie", group=group)
    own = services.add_comment(people["admin"], post, "Van de beheerder")
    other = services.add_comment(people["member"], post, "Van een lid", parent=own)
    page = text(as_person(web, people["admin"]).get(post.get_absolute_url()))
    mine = page.split(f'id="comment-{own.pk}"', 1)[1].split("</article>", 1)[0]
    assert mine.count(reverse("blog:comment_delete", args=[own.pk])) == 1
    assert mine.count(reverse("blog:comment_edit", args=[own.pk])) == 1
    assert reverse("blog:comment_remove", args=[own.pk]) not in mine
    # Someone else's reply: the group admin's Remove, no Edit or Delete.
    theirs = page.split(f'id="comment-{other.pk}"', 1)[1].split("</article>", 1)[0]
    assert reverse("blog:comment_remove", args=[other.pk]) in theirs
    assert reverse("blog:comment_delete", args=[other.pk]) not in theirs
