"""A blog post or comment posted twice is stored once (meent/idempotency.py)."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from blog import services
from blog.models import Comment, Post
from blog.services import PostInput, Publish
from tests.submissions import key_in, keys_in, post_twice

pytestmark = pytest.mark.django_db

NEW = reverse("blog:create")


@pytest.fixture
def writer(client, blog_world):
    client.force_login(blog_world["people"]["author"])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_data(key, title="Twee keer verstuurd", **changes):
    data = {
        "title": title,
        "summary": "",
        "body": "<p>Eén keer opgeslagen.</p>",
        "tags": "",
        "cover_alt": "",
        "visibility": "public",
        "publish": "now",
        "submission_key": key,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("in_group", [False, True], ids=["personal", "group"])
def test_a_post_sent_twice_is_one_post(writer, blog_world, in_group):
    url = f"{NEW}?group=team" if in_group else NEW
    key = key_in(writer.get(url))
    first, _again = post_twice(writer, url, post_data(key), Post.objects.count)
    post = Post.objects.get()
    assert post.group_id == (blog_world["group"].pk if in_group else None)
    assert first["Location"] == post.get_absolute_url()
    shown = writer.get(first["Location"]).content.decode()
    assert "You had sent this already: it was saved once." in shown
    # Another key is another post: a person may really write twice.
    writer.post(url, post_data(str(uuid.uuid4())))
    assert Post.objects.count() == 2


def test_a_post_with_errors_keeps_its_key(writer):
    key = key_in(writer.get(NEW))
    response = writer.post(NEW, post_data(key, title=""))
    assert response.status_code == 400
    assert keys_in(response) == [uuid.UUID(key)]
    # It made nothing: sent again, corrected, with the same key, it is stored.
    writer.post(NEW, post_data(key))
    assert Post.objects.count() == 1


def test_a_post_refused_by_the_service_frees_its_key(writer):
    key = key_in(writer.get(NEW))
    # Publishing at a time in the past is refused by blog/services.py, after the form.
    response = writer.post(NEW, post_data(key, publish="later", publish_at="2000-01-01T10:00"))
    assert response.status_code == 400
    assert not Post.objects.exists()
    assert keys_in(response) == [uuid.UUID(key)]
    writer.post(NEW, post_data(key))
    assert Post.objects.count() == 1


def test_a_malformed_key_is_refused_with_a_message_and_nothing_is_stored(writer):
    response = writer.post(NEW, post_data("not-a-key"))
    assert response.status_code == 400
    assert "This form was not sent completely, so nothing was saved." in response.content.decode()
    assert not Post.objects.exists()
    assert len(keys_in(response)) == 1  # a fresh one: sending it again works


def test_editing_is_not_affected_by_the_key(writer, blog_world):
    post = services.save_post(
        blog_world["people"]["author"], PostInput(title="Bewerken", publish=Publish.NOW)
    )
    url = reverse("blog:edit", args=[post.slug])
    key = key_in(writer.get(url))
    for title in ("Eerste versie", "Tweede versie"):
        writer.post(url, post_data(key, title=title, publish="now"))
    post.refresh_from_db()
    assert post.title == "Tweede versie"


def test_a_comment_sent_twice_is_one_comment(writer, blog_world):
    post = services.save_post(
        blog_world["people"]["author"],
        PostInput(title="Praat mee", visibility="logged_in", publish=Publish.NOW),
    )
    url = reverse("blog:comment", args=[post.slug])
    key = key_in(writer.get(post.get_absolute_url()))
    first, _again = post_twice(
        writer, url, {"body": "Dubbel?", "submission_key": key}, Comment.objects.count
    )
    comment = Comment.objects.get()
    assert first["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    writer.post(url, {"body": "Dubbel?", "submission_key": str(uuid.uuid4())})
    assert Comment.objects.count() == 2
    # A reply carries a key too.
    page = writer.get(f"{post.get_absolute_url()}?reply={comment.pk}")
    key = key_in(page)
    data = {"body": "Antwoord", "parent": comment.pk, "submission_key": key}
    post_twice(writer, url, data, Comment.objects.count)


def test_a_comment_with_errors_keeps_its_key(writer, blog_world):
    post = services.save_post(
        blog_world["people"]["author"], PostInput(title="Leeg", publish=Publish.NOW)
    )
    key = key_in(writer.get(post.get_absolute_url()))
    url = reverse("blog:comment", args=[post.slug])
    response = writer.post(url, {"body": "  ", "submission_key": key})
    assert response.status_code == 400
    assert keys_in(response) == [uuid.UUID(key)]
