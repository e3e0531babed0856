"""The discussions' access matrix: role x kind of group x state x surface.

The world: four groups (an open listed one, a members-only one, a hidden one, and an open one
whose discussions tab is switched off after its discussions were started), each with a discussion
that is seen as usual (with a reply, and a reply hidden by a moderator) and one hidden by a
moderator. The author started them; the member replied. A group on the second community has an
open discussion.

What each role may see is written down here from the world's own description (``expected``),
not asked of the policy: members (author, member, owner, admin) see every discussion that is not
hidden and not in a group whose tab is off; others only those of the open listed group. Nobody
reads a hidden reply's text anywhere. Who may reply is a member, in a discussion they see. Then
every surface is asked: the list (the thread's link in it), the thread's page, a reply POSTed,
search, the group's activity stream and what is new on the start page, a notification about the
reply, "download my data", and the policy itself (``can_view`` and ``visible_to``). The other
community's discussion is asked on this community's host: it leads to its own host. Every probe
is counted, per surface; the total is asserted so that a surface that stops being probed fails.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from activity import services as activity_services
from discussions import services
from discussions.models import Discussion, Reply
from meent import access
from notifications import notify
from notifications.models import Notification
from privacy import export as exporting
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import GroupFactory, MembershipFactory, UserFactory, make_moderator
from tests.security.matrix import Probes, Visitor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "owner", "admin", "moderator", "author"]
MEMBERS = {"member", "owner", "admin", "author"}
GROUP_KINDS = {
    "open": {"visibility": "listed", "content_default": "open"},
    "closed": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
    "off": {"visibility": "listed", "content_default": "open"},
}
STATES = ("normal", "hidden")
SURFACES = {
    "list",
    "thread",
    "hidden reply",
    "reply",
    "search",
    "stream",
    "notification",
    "export",
    "policy",
    "community",
}
OTHER_HOST = "oost.testserver"
# The count of probes of this world: asserted, so a surface that stops being probed shows.
EXPECTED_PROBES = 961


def expected(role, group_kind, state) -> bool:
    if state != "normal" or group_kind == "off":
        return False
    return role in MEMBERS or group_kind == "open"


@pytest.fixture
def forum_world(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", OTHER_HOST]
    people = {
        role: UserFactory(first_name=role.capitalize(), last_name="Matrix")
        for role in ROLES
        if role != "anonymous"
    }
    make_moderator(people["moderator"])
    discussions = []  # (discussion, group kind, state, its visible reply, its hidden reply)
    groups = {}
    for kind, fields in GROUP_KINDS.items():
        group = GroupFactory(slug=f"forum-{kind}", name=f"Forum {kind}", **fields)
        groups[kind] = group
        for role in MEMBERS:
            MembershipFactory(
                group=group, user=people[role], role=role if role != "author" else "member"
            )
        for person in people.values():
            access.forget_memberships(person)
        for state in STATES:
            discussion = services.start(
                people["author"], group, f"Onderwerp {kind} {state}", f"<p>forummerk {kind}</p>"
            )
            shown = services.reply(people["member"], discussion, f"antwoordmerk {kind} {state}")
            hidden = services.reply(people["member"], discussion, f"verborgenmerk {kind} {state}")
            services.hide_reply(hidden)
            if state == "hidden":
                services.hide(discussion)
            discussions.append((discussion, kind, state, shown, hidden))
    off = groups["off"]
    off.discussions_enabled = False
    off.save()
    # The other community, with an open group and a discussion for everyone.
    other = Site.objects.create(
        hostname=OTHER_HOST, port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    oost = GroupFactory(slug="forum-oost", name="Forum Oost", site=other, content_default="open")
    MembershipFactory(group=oost, user=people["author"], role="owner")
    access.forget_memberships(people["author"])
    elsewhere = services.start(people["author"], oost, "Oost", "<p>forummerk oost</p>")
    for person in people.values():
        access.forget_memberships(person)
    drain_outbox()
    replies = Reply.objects.select_related("discussion__group")
    discussions = [
        (
            Discussion.objects.select_related("group").get(pk=d.pk),
            k,
            s,
            replies.get(pk=r.pk),
            replies.get(pk=h.pk),
        )
        for d, k, s, r, h in discussions
    ]
    return people, groups, discussions, elsewhere


def test_every_discussion_surface_shows_exactly_what_each_role_may_see(forum_world):
    people, groups, discussions, elsewhere = forum_world
    main_site = Site.objects.get(is_default_site=True)
    probe = Probes()

    for role in ROLES:
        visitor = Visitor(None if role == "anonymous" else people[role])
        user, client, get = visitor.user, visitor.client, visitor.get

        def refused(status, what, role=role):
            assert status in (302, 403, 404), (role, what, status)

        for discussion, kind, state, shown_reply, hidden_reply in discussions:
            should = expected(role, kind, state)
            what = f"{discussion.title}"
            # --- The list and the thread's page ------------------------------------------
            status, body, _response = get(reverse("discussions:list", args=[discussion.group.slug]))
            if status != 200:
                refused(status, f"list {kind}")
            listed = status == 200 and f'href="{discussion.get_absolute_url()}"' in body
            probe("list", role, what, should, listed)
            status, body, _response = get(discussion.get_absolute_url())
            if status != 200:
                refused(status, what)
            probe("thread", role, what, should, status == 200 and shown_reply.body in body)
            # A hidden reply's text is nowhere; its place is said where the thread is shown.
            probe("hidden reply", role, what, False, hidden_reply.body in body)
            if status == 200:
                probe(
                    "hidden reply",
                    role,
                    f"{what}: its place",
                    True,
                    "This reply was hidden by a moderator." in body,
                )
            # --- A reply POSTed: members, in what they see -------------------------------
            before = Reply.objects.count()
            response = client.post(
                reverse("discussions:reply_post", args=[discussion.group.slug, discussion.pk]),
                {"body": f"poging van {role}"},
            )
            made = Reply.objects.count() - before
            assert made in (0, 1)
            if not made:
                assert response.status_code in (302, 403, 404), (role, what, response.status_code)
                if role == "anonymous":
                    assert "login" in response["Location"]
            probe("reply", role, what, should and role in MEMBERS, made == 1)
            if made:
                Reply.objects.filter(body=f"poging van {role}").delete()

            # --- A notification about the visible reply ----------------------------------
            if role != "anonymous":
                delivered = notify(
                    user,
                    "conversations",
                    "discussions.reply",
                    shown_reply.get_absolute_url(),
                    params={"person": "Matrix", "title": discussion.title},
                    about=shown_reply,
                )
                probe("notification", role, what, should, delivered is not None)
                probe(
                    "notification",
                    role,
                    f"{what}: hidden reply",
                    False,
                    notify(
                        user,
                        "conversations",
                        "discussions.reply",
                        "/",
                        params={"person": "Matrix", "title": discussion.title},
                        about=hidden_reply,
                    )
                    is not None,
                )

        # --- Search ------------------------------------------------------------------------
        found = {
            hit.object_id
            for hit in get_search_backend()
            .search(SearchQuery(text="forummerk", user=user, types=("discussion",), per_page=100))
            .hits
        }
        by_reply = {
            hit.object_id
            for hit in get_search_backend()
            .search(
                SearchQuery(text="antwoordmerk", user=user, types=("discussion",), per_page=100)
            )
            .hits
        }
        hidden_words = get_search_backend().search(
            SearchQuery(text="verborgenmerk", user=user, types=("discussion",), per_page=100)
        )
        for discussion, kind, state, _shown, _hidden in discussions:
            should = expected(role, kind, state)
            probe("search", role, discussion.title, should, discussion.pk in found)
            probe(
                "search", role, f"{discussion.title} by a reply", should, discussion.pk in by_reply
            )
        probe("search", role, "a hidden reply's word", False, hidden_words.total > 0)

        # --- The group's activity stream, and what is new on the start page ---------------
        streams = {}
        for kind, group in groups.items():
            status, body, _response = get(f"/groups/{group.slug}/activity/")
            streams[kind] = body if status == 200 else ""
        news = set()
        if access.is_active_person(user) and role != "author":
            news = {
                e.target_id
                for e in activity_services.news_entries(
                    user,
                    None,
                    group_ids={g.pk for g in groups.values()},
                    people_ids=[people["author"].pk],
                )
                if e.kind.startswith("discussions.")
            }
        for discussion, kind, state, _shown, _hidden in discussions:
            should = expected(role, kind, state)
            probe(
                "stream",
                role,
                discussion.title,
                should,
                f'href="{discussion.get_absolute_url()}"' in streams[kind],
            )
            if access.is_active_person(user) and role != "author":
                probe("stream", role, f"news {discussion.title}", should, discussion.pk in news)

        # --- Download my data: the replier's rows name only what they may still see -------
        if role != "anonymous":
            data, _files = exporting.collect(user)
            started = {row["title"] for row in data["discussions_started"]}
            written = data["discussion_replies"]
            for discussion, kind, state, _shown, _hidden in discussions:
                probe(
                    "export",
                    role,
                    f"started {discussion.title}",
                    role == "author",
                    discussion.title in started,
                )
                named = {row["discussion"] for row in written if row["discussion"]}
                probe(
                    "export",
                    role,
                    f"replied in {discussion.title}",
                    role == "member" and expected(role, kind, state),
                    discussion.title in named,
                )

        # --- The policy itself ---------------------------------------------------------------
        visible = set(Discussion.objects.visible_to(user).values_list("pk", flat=True))
        visible_replies = set(Reply.objects.visible_to(user).values_list("pk", flat=True))
        for discussion, kind, state, shown_reply, hidden_reply in discussions:
            should = expected(role, kind, state)
            probe("policy", role, discussion.title, should, access.can_view(user, discussion))
            probe("policy", role, discussion.title, should, discussion.pk in visible)
            probe(
                "policy",
                role,
                f"reply {discussion.title}",
                should,
                shown_reply.pk in visible_replies,
            )
            probe(
                "policy",
                role,
                f"hidden reply {discussion.title}",
                False,
                hidden_reply.pk in visible_replies,
            )
            probe(
                "policy",
                role,
                f"hidden reply {discussion.title}",
                False,
                access.can_view(user, hidden_reply),
            )

        # --- The other community's discussion, asked on this community's host ------------
        for url in (
            elsewhere.get_absolute_url(),
            reverse("discussions:list", args=[elsewhere.group.slug]),
        ):
            status, _body, response = get(url)
            led_away = status == 302 and response["Location"].startswith(f"http://{OTHER_HOST}/")
            assert led_away, (role, url, status)
            probe("community", role, url, False, status == 200)
            status, _body, _response = get(url, HTTP_HOST=OTHER_HOST)
            probe("community", role, f"{url} on its host", True, status == 200)
        here = get_search_backend().search(
            SearchQuery(
                text="forummerk oost", user=user, site_id=main_site.pk, types=("discussion",)
            )
        )
        probe(
            "community",
            role,
            "search here",
            False,
            elsewhere.pk in {h.object_id for h in here.hits},
        )

    Notification.objects.all().delete()
    probe.check("discussions matrix", SURFACES, EXPECTED_PROBES)
