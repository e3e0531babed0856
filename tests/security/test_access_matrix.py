"""The access matrix: role x kind of content x visibility x surface.

The world of tests/search/test_access_matrix.py (three kinds of group with wiki pages of every
visibility and a group post each, personal posts of every visibility (draft and scheduled too),
a comment on every post, a removed comment, people) gets a chat message in every group room and
a post of every visibility that mentions everyone. Then, for each role, every surface that shows
content is asked, and what it shows must be exactly what ``access.can_view`` (the access policy)
allows, plus the surface's own rule where it has one (lists and feeds show published posts only,
feeds only what anonymous readers may see). Search itself (results, counts, facets, filters) is
probed by tests/search/test_access_matrix.py on the same world.

Surfaces: the object's page, lists (groups, blog, a group's blog, a person's blog, a wiki's tree),
counts (the comments shown on a post page), feeds (site, group, person), suggestions, mention
notifications, chat rooms, exports (wiki Markdown and HTML), the admins. Every probe is counted;
the total is printed and checked, so a surface that silently stops being probed fails the test.
"""

import uuid
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from blog import services as blog_services
from blog.services import PostInput, Publish
from chat import services as chat_services
from meent import access
from meent.notifications.models import Notification
from tests.search.test_access_matrix import MARKER, ROLES, expected_for, world  # noqa: F401

pytestmark = pytest.mark.django_db


def kind(obj):
    return obj._meta.model_name


def href(url):
    return f'href="{url}"'


def is_listed_post(post):
    return post.is_published


def refused(response):
    """A page a person may not see: sign in first, forbidden, or (for what they may not know
    exists) not found."""
    return response.status_code in (302, 403, 404)


def add_chat_and_mentions(people, objects):
    """A chat message in every group room (and one hidden by a moderator); a post of every
    visibility that mentions everyone."""
    author = people["author"]
    messages = []
    for group in [obj for obj in objects if kind(obj) == "group"]:
        room = chat_services.room_for_group(group)
        posted = chat_services.post_message(
            room, author, str(uuid.uuid4()), f"Chatbericht {MARKER} {group.slug}"
        )
        messages.append(posted.message)
    # A message a moderator hid: it keeps its place in the room, its words are shown to nobody.
    hidden = chat_services.post_message(
        chat_services.room_for_group(objects[0]), author, str(uuid.uuid4()), f"Verborgen {MARKER}"
    ).message
    hidden.hidden_at = hidden.created_at
    hidden.save(update_fields=["hidden_at"])
    messages.append(hidden)
    names = " ".join(
        f"@{person.first_name} {person.last_name}"
        for role, person in people.items()
        if role not in ("author", "gone")
    )
    mentioning = []
    for visibility in ("public", "logged_in", "organisation", "private"):
        post = blog_services.save_post(
            author,
            PostInput(
                title=f"Vermelding {visibility}",
                body=f"<p>{names}</p>",
                visibility=visibility,
                publish=Publish.NOW,
            ),
        )
        mentioning.append(post)
    return messages, mentioning


def test_every_surface_shows_exactly_what_the_policy_allows(
    world,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    people, objects, removed = world
    with django_capture_on_commit_callbacks(execute=True):  # notifications go after commit
        messages, mentioning = add_chat_and_mentions(people, objects)
    groups = [obj for obj in objects if kind(obj) == "group"]
    posts = [obj for obj in objects if kind(obj) == "post"]
    wiki_pages = [obj for obj in objects if kind(obj) == "wikipage"]
    comments = [obj for obj in objects if kind(obj) == "comment"]
    persons = [obj for obj in objects if kind(obj) == "user"]
    author = people["author"]
    probes = Counter()
    leaks, misses = [], []

    def probe(surface, role, obj, expected, shown):
        probes[surface] += 1
        if shown and not expected:
            leaks.append((surface, role, kind(obj), str(obj)))
        if expected and not shown:
            misses.append((surface, role, kind(obj), str(obj)))

    anonymous = AnonymousUser()
    for role in ["anonymous", *ROLES[1:]]:
        user = anonymous if role == "anonymous" else people[role]
        client = Client()
        if role != "anonymous":
            client.force_login(user)

        def get(url, client=client, follow=False):
            return client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=follow)

        # --- Pages: the object's own address --------------------------------------------
        for obj in [*groups, *wiki_pages, *posts, *persons]:
            response = get(obj.get_absolute_url())
            expected = expected_for(user, obj)
            shown = response.status_code == 200
            if not shown:
                assert refused(response), (role, str(obj), response.status_code)
            probe("page", role, obj, expected, shown)

        # --- Counts: a post's page shows its comments, never one a person may not see -----
        for comment in comments:
            response = get(comment.post.get_absolute_url())
            html = response.content.decode() if response.status_code == 200 else ""
            shown = f'id="comment-{comment.pk}"' in html and "Reactie" in html
            probe("comments", role, comment, expected_for(user, comment), shown)
        response = get(removed.post.get_absolute_url())
        probe("comments", role, removed, False, f"Weg {MARKER}" in response.content.decode())

        # --- Lists ---------------------------------------------------------------------------
        html = get("/groups/").content.decode()
        for group in groups:
            expected = expected_for(user, group) and not group.is_hidden
            if group.is_hidden and access.is_active_person(user):
                # A hidden group is listed for its members only.
                expected = group.pk in access.member_group_ids(user)
            probe("list", role, group, expected, href(group.get_absolute_url()) in html)
        blog_html = get("/blog/?page=1").content.decode()
        person_html = get(f"/people/{author.pk}/blog/").content.decode()
        for post in posts:
            expected = expected_for(user, post) and is_listed_post(post)
            probe("list", role, post, expected, href(post.get_absolute_url()) in blog_html)
            if post.group_id is None:
                # A person's own blog also lists their drafts and scheduled posts, to them.
                own = expected_for(user, post) and user.pk == post.author_id
                shown = href(post.get_absolute_url()) in person_html
                probe("list", role, post, expected or own, shown)
        for group in groups:
            group_blog = get(f"/groups/{group.slug}/blog/")
            group_html = group_blog.content.decode() if group_blog.status_code == 200 else ""
            tree = get(f"/groups/{group.slug}/wiki/")
            tree_html = tree.content.decode() if tree.status_code == 200 else ""
            for post in [p for p in posts if p.group_id == group.pk]:
                expected = expected_for(user, post) and is_listed_post(post)
                probe("list", role, post, expected, href(post.get_absolute_url()) in group_html)
            for page in [p for p in wiki_pages if p.group_id == group.pk]:
                shown = href(page.get_absolute_url()) in tree_html
                probe("list", role, page, expected_for(user, page), shown)

        # --- Feeds: only what anonymous readers may see, whoever asks -----------------------
        feeds = {"/blog/feed/rss/": posts}
        feeds[f"/people/{author.pk}/blog/feed/atom/"] = [p for p in posts if not p.group_id]
        for group in groups:
            feeds[f"/groups/{group.slug}/blog/feed/rss/"] = [
                p for p in posts if p.group_id == group.pk
            ]
        for url, feed_posts in feeds.items():
            response = get(url)
            body = response.content.decode() if response.status_code == 200 else ""
            for post in feed_posts:
                expected = expected_for(anonymous, post) and is_listed_post(post)
                probe("feed", role, post, expected, post.get_absolute_url() in body)

        # --- Suggestions: never something one may not see --------------------------------
        suggested = set()
        for prefix in ("Pagina", "Groep", "Schrijver"):
            rows = get(f"/search/suggest/?q={prefix}").json()["suggestions"]
            suggested |= {row["url"] for row in rows}
        for obj in [*groups, *wiki_pages, *persons]:
            if obj.get_absolute_url() in suggested:
                probe("suggestion", role, obj, expected_for(user, obj), True)
            else:
                probes["suggestion"] += 1  # not suggested: never a leak (the list is capped)

        # --- Chat: a group room and its messages -----------------------------------------
        for message in messages:
            response = get(f"/chat/group/{message.room.group.slug}/", follow=True)
            html = response.content.decode() if response.status_code == 200 else ""
            shown = message.body in html
            if not shown:
                assert response.status_code in (200, 302, 403, 404), response.status_code
            probe("chat", role, message, expected_for(user, message), shown)

        # --- Exports: a wiki page as Markdown and as HTML --------------------------------
        for page in wiki_pages:
            for fmt in ("md", "html"):
                response = get(f"/groups/{page.group.slug}/wiki/-/{page.pk}/export.{fmt}")
                shown = response.status_code == 200 and MARKER in response.content.decode()
                probe("export", role, page, expected_for(user, page), shown)

        # --- Admins: nobody without staff rights and two factors gets in; the moderator
        # (staff, two factors) does, but not into what only operators manage -------------
        for url in ("/admin/", "/admin/pages/", "/django-admin/", "/admin/communities/"):
            response = get(url)
            probes["admin"] += 1
            allowed = role == "moderator" and url != "/admin/communities/"
            if response.status_code == 200 and not allowed:
                leaks.append(("admin", role, url, response.status_code))
            if allowed and response.status_code != 200:
                misses.append(("admin", role, url, response.status_code))

    # --- Notifications: a mention reaches only people who may read the post -------------
    for post in mentioning:
        for role, person in people.items():
            if role in ("author", "gone"):
                continue
            notified = Notification.objects.filter(
                recipient=person, url__startswith=post.get_absolute_url()
            ).exists()
            expected = expected_for(person, post) and access.is_active_person(person)
            probe("notification", role, post, expected, notified)

    total = sum(probes.values())
    print(f"access matrix: {total} probes over {len(probes)} surfaces: {dict(probes)}")
    assert leaks == [], f"{len(leaks)} leaks: {leaks[:20]}"
    assert misses == [], f"{len(misses)} misses: {misses[:20]}"
    assert set(probes) == {
        "page",
        "comments",
        "list",
        "feed",
        "suggestion",
        "chat",
        "export",
        "admin",
        "notification",
    }
    # Something was shown and something was refused on every surface that shows content.
    assert total >= 900
