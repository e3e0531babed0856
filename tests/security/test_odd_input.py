"""Odd input from the first-contact issue: unknown hosts, a thousand "@", right-to-left and
combining characters in names. A clear answer, never a 500, nothing lost."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Comment, Post
from chat import services as chat
from meent.mentions import candidate_names, mentioned_people
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ODD_NAMES = [
    ("\u202eAnna", "de Vries\u202c"),  # a right-to-left override around the name
    ("سارة", "الهاشمي"),  # Arabic, right to left
    ("Zoe\u0308", "Mu\u0308ller"),  # combining diaeresis
    ("Ŀucas", "Ęlżbieta" * 5),
]


@pytest.mark.parametrize("host", ["evil.example", "localhost:abc", "[::1", "a" * 300, "x y"])
def test_an_unknown_or_malformed_host_is_a_400_not_a_500(host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 400


def test_a_thousand_at_signs_are_text_not_work(client):
    text = "@" * 1000 + " @" * 1000 + "@Anna " * 500
    assert len(candidate_names(text)) <= 200
    assert mentioned_people(text) == []
    author = UserFactory()
    group = GroupFactory(content_default="open")
    MembershipFactory(group=group, user=author)
    post = Post.objects.create(
        author=author, group=group, title="Apenstaartjes", slug="apen", body="<p>x</p>"
    )
    post.published_at = post.created_at
    post.save(update_fields=["published_at"])
    client.force_login(author)
    response = client.post(
        reverse("blog:comment", args=[post.slug]), {"body": "@" * 1000}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code in (302, 400)
    assert Comment.objects.filter(post=post).count() in (0, 1)
    posted = chat.post_message(chat.room_for_group(group), author, uuid.uuid4().hex, "@" * 1000)
    assert posted.message.body.startswith("@@@")


@pytest.mark.parametrize(("first", "last"), ODD_NAMES)
def test_odd_names_are_kept_and_shown(client, first, last):
    """A name is kept as typed, except the invisible characters that turn the text around it."""
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("accounts:edit_profile"),
        {"first_name": first, "last_name": last, "job_title": "\u202eadviseur"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.first_name == first.replace("\u202e", "")
    assert person.last_name == last.replace("\u202c", "")
    assert person.job_title == "adviseur"
    html = Client().get(person.get_absolute_url()).content.decode()
    assert "\u202e" not in html and "\u202c" not in html
    assert person.first_name in html
