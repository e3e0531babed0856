"""Role x kind of post x surface, for blogs.

Expectations follow the issue's rules, written here independently of blog/policies.py:
drafts and scheduled posts are their author's alone; a published group post is read by the group's
members, and by everyone when the group is listed and open for reading; a published personal post
by everyone (public), signed-in people (logged_in), the author's organisation (organisation) or
the author only (private). Suspended people are anonymous. Feeds carry only what anonymous
visitors may read.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import Comment, Post, Reaction
from blog.services import PostInput, Publish
from meent import access
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "colleague", "member", "author", "moderator", "suspended"]
KINDS = [
    "public",
    "logged_in",
    "organisation",
    "private",
    "draft",
    "scheduled",
    "group-open",
    "group-members",
    "group-hidden",
]


def may_read(role, kind):
    if role == "author":
        return True
    if kind in ("draft", "scheduled", "private"):
        return False
    signed_in = role not in ("anonymous", "suspended")
    if kind == "public" or kind == "group-open":
        return True
    if kind == "logged_in":
        return signed_in
    if kind == "organisation":
        return role == "colleague"
    if kind in ("group-members", "group-hidden"):
        return role == "member"
    raise AssertionError(kind)


@pytest.fixture
def world(db):
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    people = {
        "author": UserFactory(organisation=home),
        "colleague": UserFactory(organisation=home),
        "outsider": UserFactory(organisation=elsewhere),
        "member": UserFactory(organisation=elsewhere),
        "moderator": UserFactory(organisation=elsewhere, is_staff=True),
        "suspended": UserFactory(organisation=home),
    }
    make_moderator(people["moderator"])
    groups = {
        "group-open": GroupFactory(slug="open", content_default="open"),
        "group-members": GroupFactory(slug="leden", content_default="members"),
        "group-hidden": GroupFactory(slug="verborgen", visibility="hidden", content_default="open"),
    }
    for group in groups.values():
        MembershipFactory(group=group, user=people["author"], role="owner")
        MembershipFactory(group=group, user=people["member"], role="member")
        MembershipFactory(group=group, user=people["suspended"], role="member")
    access.forget_memberships(people["author"])
    posts = {}
    author = people["author"]
    for kind in KINDS:
        data = PostInput(title=f"Bericht {kind}", body=f"<p>{kind}</p>", publish=Publish.NOW)
        group = groups.get(kind)
        if kind in ("public", "logged_in", "organisation", "private"):
            data.visibility = kind
        if kind == "draft":
            data.publish = Publish.DRAFT
        if kind == "scheduled":
            data.publish = Publish.LATER
            data.publish_at = timezone.now() + timedelta(days=3)
        posts[kind] = services.save_post(author, data, group=group)
    people["suspended"].suspended_until = timezone.now() + timedelta(days=3)
    people["suspended"].save()
    return people, groups, posts


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_which_post_on_every_surface(client, world, role):
    people, groups, posts = world
    if role != "anonymous":
        client.force_login(people[role])
    user = AnonymousUser() if role in ("anonymous",) else people[role]
    listing = client.get(reverse("blog:list")).content.decode()
    author_blog = client.get(reverse("person_blog", args=[people["author"].pk])).content.decode()
    feed = client.get(reverse("blog_feed_rss")).content.decode()
    mismatches = []
    probes = 0
    for kind, post in posts.items():
        expected = may_read(role, kind)
        published = kind not in ("draft", "scheduled")
        surfaces = {
            "page": client.get(post.get_absolute_url()).status_code == 200,
            "visible_to": Post.objects.visible_to(user).filter(pk=post.pk).exists(),
            "can_view": access.can_view(user, post),
        }
        if published:
            surfaces["list"] = post.get_absolute_url() in listing
        # The author's own blog shows them their drafts too; others see what they may read.
        surfaces["person blog"] = post.get_absolute_url() in author_blog
        if kind in groups:
            group_page = client.get(reverse("group_blog", args=[groups[kind].slug]))
            surfaces["group blog"] = (
                group_page.status_code == 200
                and post.get_absolute_url() in group_page.content.decode()
            )
        feed_expected = may_read("anonymous", kind)
        if (post.get_absolute_url() in feed) != feed_expected:
            mismatches.append((kind, "feed", not feed_expected, feed_expected))
        probes += 1
        for surface, seen in surfaces.items():
            probes += 1
            if seen != expected:
                mismatches.append((kind, surface, seen, expected))
    assert mismatches == []
    assert probes >= len(KINDS) * 5


@pytest.mark.parametrize("role", ["outsider", "colleague", "member", "moderator"])
def test_comments_and_reactions_only_where_one_may_read(client, world, role):
    people, groups, posts = world
    client.force_login(people[role])
    for kind, post in posts.items():
        allowed = may_read(role, kind) and kind not in ("draft", "scheduled")
        before = (Comment.objects.count(), Reaction.objects.count())
        comment = client.post(reverse("blog:comment", args=[post.slug]), {"body": "Hallo"})
        like = client.post(reverse("blog:like", args=[post.slug]), {"like": "1"})
        after = (Comment.objects.count(), Reaction.objects.count())
        if allowed:
            assert after == (before[0] + 1, before[1] + 1), kind
        else:
            assert comment.status_code in (403, 404, 409), (kind, comment.status_code)
            assert like.status_code in (403, 404, 409), (kind, like.status_code)
            assert after == before, kind


def test_counts_never_reveal_what_one_may_not_read(client, world):
    people, groups, posts = world
    hidden = posts["group-members"]
    for person in ("member", "author"):
        services.add_comment(people[person], hidden, "Intern")
        services.react(people[person], post=hidden)
    client.force_login(people["outsider"])
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("blog:likes", args=[hidden.slug])).status_code == 404
    listing = client.get(reverse("blog:list")).content.decode()
    assert "Intern" not in listing and hidden.title not in listing
