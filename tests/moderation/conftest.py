import pytest
from django.utils import timezone

from blog.models import Comment, Post
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)


@pytest.fixture
def world(db):
    """An open group with an owner, an admin, two members (one writes, one reads), an outsider, a
    moderator; a published group post with a comment; a members-only group with a post."""
    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    people = {
        "owner": UserFactory(first_name="Olga", last_name="Eigen", organisation=home),
        "admin": UserFactory(first_name="Bas", last_name="Beheer", organisation=home),
        "author": UserFactory(first_name="Anna", last_name="Jansen", organisation=home),
        "reader": UserFactory(first_name="Rik", last_name="Lezer", organisation=home),
        "second": UserFactory(first_name="Sanne", last_name="Tweede", organisation=home),
        "outsider": UserFactory(first_name="Otto", last_name="Buiten"),
        "moderator": UserFactory(first_name="Mo", last_name="Derator", is_staff=True),
    }
    make_moderator(people["moderator"])
    group = GroupFactory(slug="team", name="Team", content_default="open")
    closed = GroupFactory(slug="dicht", name="Dicht", content_default="members")
    for role, person in (
        ("owner", "owner"),
        ("admin", "admin"),
        ("member", "author"),
        ("member", "reader"),
        ("member", "second"),
    ):
        MembershipFactory(group=group, user=people[person], role=role)
    MembershipFactory(group=closed, user=people["author"], role="owner")
    now = timezone.now()
    post = Post.objects.create(
        author=people["author"],
        group=group,
        title="Parkeerbeleid",
        slug="parkeerbeleid",
        body="<p>Over parkeren.</p>",
        published_at=now,
    )
    comment = Comment.objects.create(
        post=post, author=people["author"], body="Koop nu goedkope horloges"
    )
    secret = Post.objects.create(
        author=people["author"],
        group=closed,
        title="Geheim plan",
        slug="geheim-plan",
        body="<p>Alleen voor leden.</p>",
        published_at=now,
    )
    return {
        "people": people,
        "group": group,
        "closed": closed,
        "post": post,
        "comment": comment,
        "secret": secret,
    }
