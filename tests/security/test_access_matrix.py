"""The access matrix: role x kind of content x visibility x switch x surface.

The world of tests/search/test_access_matrix.py (three kinds of group with wiki pages of every
visibility, a group post and a chat message each; an open group per part switched off (wiki,
blog, chat, members tab) with content in every part; personal posts of every visibility (draft
and scheduled too); a comment on every post, a removed comment; posts, pages and a chat message
hidden by a moderator; people) gets a post of every visibility that mentions everyone. Then, for
each role, every surface that shows content is asked, and what it shows must be exactly what
``expected_for`` allows: the access policy (``access.can_view``), except that what lives in a
switched-off part is expected to be read by nobody whatever the policy says; plus the surface's
own rule where it has one (lists and feeds show published posts only, feeds only what anonymous
readers may see). Who is in a group follows ``expected_members`` (with the members tab off: the
group's owners and admins only). Search itself (results, counts, facets, filters) is probed by
tests/search/test_access_matrix.py on the same world.

Surfaces: the object's page, lists (groups, blog, a group's blog, a person's blog, a wiki's tree),
counts (the comments shown on a post page), the group's activity stream (every line), what is new (the start page's and the
digest's lines, as if the person followed every group),
feeds (site, group, person), suggestions, chat (a
group's room, the chat list, unread counts, the history JSON), exports (wiki Markdown and HTML),
who is in a group (the members page, who joined or left in the group's stream, the organisations taking
part on the home and in the groups list, the people one may start a conversation with),
notifications (mentions in posts; per switch: wiki watchers, chat mentions, replies and mentions
in comments, scheduled posts that appear), the admins, and the policy itself (``can_view`` and
``visible_to`` object by object). Every probe is counted, per surface and per switch; the totals
are printed and checked, so a surface or switch that silently stops being probed fails the test.
"""

import json
import uuid
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from activity import services as activity_services
from activity.models import Entry
from blog import services as blog_services
from blog.models import Comment, Post
from blog.services import PostInput, Publish
from chat import services as chat_services
from chat.forms import DirectConversationForm
from chat.models import Message
from groups.models import Activity, Membership
from meent import access
from meent.mentions import mentioned_people
from meent.mentions import services as mention_services
from notifications.models import Notification
from tests.search.test_access_matrix import (  # noqa: F401
    MARKER,
    ROLES,
    SWITCHED_OFF,
    expected_for,
    expected_members,
    group_of,
    switch_of,
    world,
)
from wiki import services as wiki_services
from wiki.models import WikiWatch

pytestmark = pytest.mark.django_db

SURFACES = {
    "page",
    "comments",
    "list",
    "feed",
    "suggestion",
    "chat",
    "chat list",
    "unread",
    "history",
    "export",
    "members",
    "activity",
    "stream",
    "news",
    "organisations",
    "people",
    "admin",
    "notification",
    "policy",
}
# What every switch's group is probed on (the admins are not about content; suggestions are
# capped, so which objects they show varies).
# The stream shows no chat: not every switch has something in it.
SWITCH_SURFACES = SURFACES - {"admin", "suggestion", "stream", "news"}


def kind(obj):
    return obj._meta.model_name


def href(url):
    return f'href="{url}"'


def is_listed_post(post):
    return post.is_published


def stream_lines(get, group):
    """The lines of a group's Activity tab, every page of it."""
    lines, number = [], 1
    while True:
        status, text = get(f"/groups/{group.slug}/activity/?page={number}")
        if status != 200:
            return lines
        stream = section(text, '<ol class="stream">', "</ol>")
        lines += stream.split("<li")[1:]
        if 'rel="next"' not in text:
            return lines
        number += 1


def entry_url(target):
    return target.get_absolute_url()


def expected_line(user, entry, target):
    """A line is read by who may read what it is about, and only once that is there for others
    too: a published post, a comment not removed."""
    if isinstance(target, Post) and not target.is_published:
        return False
    if isinstance(target, Comment) and target.is_removed:
        return False
    return expected_for(user, target)


def refused(status):
    """A page a person may not see: sign in first, forbidden, or (for what they may not know
    exists) not found."""
    return status in (302, 403, 404)


def manages(user, group) -> bool:
    return access.is_active_person(user) and (
        Membership.objects.filter(group=group, user=user, role__in=("owner", "admin")).exists()
    )


def section(html, start, end):
    """The part of ``html`` from ``start`` to the next ``end`` ("" when absent)."""
    begin = html.find(start)
    if begin < 0:
        return ""
    stop = html.find(end, begin)
    return html[begin : stop if stop >= 0 else len(html)]


def group_card(html, group):
    """The card of a group in the groups list ("" when it is not listed)."""
    for card in html.split('<li class="card">')[1:]:
        if href(group.get_absolute_url()) in card:
            return card
    return ""


def mention_all(people):
    return " ".join(
        f"@{person.first_name} {person.last_name}"
        for role, person in people.items()
        if role not in ("author", "gone")
    )


def add_mentions(people):
    """A post of every visibility that mentions everyone."""
    names = mention_all(people)
    return [
        blog_services.save_post(
            people["author"],
            PostInput(
                title=f"Vermelding {visibility}",
                body=f"<p>{names}</p>",
                visibility=visibility,
                publish=Publish.NOW,
            ),
        )
        for visibility in ("public", "logged_in", "organisation", "private")
    ]


def notify_in_switched_groups(people, objects):
    """Per group of the switches dimension, everything that tells people about what lives in it,
    run afresh: wiki watchers, a chat mention, a reply and mentions in a comment, a scheduled post
    that appears. Returns (what it is about, the notification's address, whether the author is a
    recipient) per run."""
    author, names = people["author"], mention_all(people)
    recipients = [p for role, p in people.items() if role not in ("author", "gone")]
    runs = []
    for group in [obj for obj in objects if kind(obj) == "group" and switch_of(obj)]:
        page = next(o for o in objects if kind(o) == "wikipage" and o.group_id == group.pk)
        for person in recipients:
            WikiWatch.objects.create(page=page, user=person)
        wiki_services.notify_watchers(page.pk, page.revisions.order_by("-number").first().pk)
        runs.append((page, page.get_absolute_url(), False))

        room = chat_services.room_for_group(group)
        message = Message.objects.create(
            room=room, seq=room.last_seq + 1, author=author, client_id=str(uuid.uuid4()), body=names
        )
        # Mentions are decided when a text is saved (the services do it; this bypasses them).
        mention_services.record(message, chat_services.mentioned_people(room, author, names))
        chat_services.notify_mentions(message)
        runs.append((message, f"{room.get_absolute_url()}#m{message.seq}", False))

        post = next(o for o in objects if kind(o) == "post" and o.group_id == group.pk)
        # By someone who has left (their words stay): everyone else, the post's author too, hears.
        comment = Comment.objects.create(post=post, author=people["gone"], body=names)
        mention_services.record(comment, mentioned_people(names, exclude=people["gone"]))
        blog_services.notify_comment(comment.pk)
        runs.append((post, comment.get_absolute_url(), True))

        due = Post.objects.create(
            author=author,
            group=group,
            title=f"Gepland {group.slug}",
            slug=f"gepland-{group.slug}",
            body=f"<p>{names}</p>",
            published_at=timezone.now() - timedelta(minutes=1),
        )
        blog_services.notify_due_posts()
        runs.append((due, due.get_absolute_url(), False))
    return runs


def test_every_surface_shows_exactly_what_the_policy_allows(
    world,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    people, objects, removed = world
    with django_capture_on_commit_callbacks(execute=True):  # notifications go after commit
        mentioning = add_mentions(people)
    groups = [obj for obj in objects if kind(obj) == "group"]
    posts = [obj for obj in objects if kind(obj) == "post"]
    wiki_pages = [obj for obj in objects if kind(obj) == "wikipage"]
    comments = [obj for obj in objects if kind(obj) == "comment"]
    persons = [obj for obj in objects if kind(obj) == "user"]
    messages = [obj for obj in objects if kind(obj) == "message"]
    # One message per room that is not hidden: whether the room itself may be seen.
    rooms = {m.room_id: m for m in messages if m.hidden_at is None}
    memberships = list(Membership.objects.filter(group__in=groups).select_related("user", "group"))
    activities = list(Activity.objects.filter(group__in=groups).select_related("actor", "group"))
    entries = [
        e
        for e in Entry.objects.filter(group__in=groups).exclude(kind__startswith="groups.")
        if e.target is not None
    ]
    author = people["author"]
    probes = Counter()
    per_switch = Counter()
    leaks, misses = [], []

    def probe(surface, role, obj, expected, shown):
        probes[surface] += 1
        switch = switch_of(obj) if obj is not None and hasattr(obj, "_meta") else None
        if switch:
            per_switch[(switch, surface)] += 1
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
        answers = {}

        def get(url, client=client, answers=answers, follow=False):
            """(status, text) of a GET; each address is asked once per person (a GET changes
            nothing that another probe reads)."""
            if (url, follow) not in answers:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=follow)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                answers[url, follow] = (response.status_code, body.decode(errors="replace"))
            return answers[url, follow]

        def shown_text(url, **kwargs):
            status, text = get(url, **kwargs)
            return text if status == 200 else ""

        # --- Pages: the object's own address --------------------------------------------
        for obj in [*groups, *wiki_pages, *posts, *persons]:
            status, _text = get(obj.get_absolute_url())
            shown = status == 200
            if not shown:
                assert refused(status), (role, str(obj), status)
            probe("page", role, obj, expected_for(user, obj), shown)

        # --- Counts: a post's page shows its comments, never one a person may not see -----
        for comment in comments:
            html = shown_text(comment.post.get_absolute_url())
            shown = f'id="comment-{comment.pk}"' in html and "Reactie" in html
            probe("comments", role, comment, expected_for(user, comment), shown)
        html = shown_text(removed.post.get_absolute_url())
        probe("comments", role, removed, False, f"Weg {MARKER}" in html)

        # --- Lists ---------------------------------------------------------------------------
        groups_html = shown_text("/groups/")
        for group in groups:
            expected = expected_for(user, group) and not group.is_hidden
            if group.is_hidden and access.is_active_person(user):
                # A hidden group is listed for its members only.
                expected = group.pk in access.member_group_ids(user)
            probe("list", role, group, expected, href(group.get_absolute_url()) in groups_html)
        blog_html = shown_text("/blog/?page=1")
        person_html = shown_text(f"/people/{author.pk}/blog/")
        for post in posts:
            expected = expected_for(user, post) and is_listed_post(post)
            probe("list", role, post, expected, href(post.get_absolute_url()) in blog_html)
            if post.group_id is None:
                # A person's own blog also lists their drafts and scheduled posts, to them.
                own = expected_for(user, post) and user.pk == post.author_id
                shown = href(post.get_absolute_url()) in person_html
                probe("list", role, post, expected or own, shown)
        for group in groups:
            group_html = shown_text(f"/groups/{group.slug}/blog/")
            tree_html = shown_text(f"/groups/{group.slug}/wiki/")
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
            body = shown_text(url)
            for post in feed_posts:
                expected = expected_for(anonymous, post) and is_listed_post(post)
                probe("feed", role, post, expected, post.get_absolute_url() in body)

        # --- Suggestions: never something one may not see --------------------------------
        suggested = set()
        for prefix in ("Pagina", "Groep", "Schrijver"):
            status, text = get(f"/search/suggest/?q={prefix}")
            suggested |= {row["url"] for row in json.loads(text)["suggestions"]}
        for obj in [*groups, *wiki_pages, *persons]:
            if obj.get_absolute_url() in suggested:
                probe("suggestion", role, obj, expected_for(user, obj), True)
            else:
                probes["suggestion"] += 1  # not suggested: never a leak (the list is capped)

        # --- Chat: a group's room, the chat list, unread counts, the history ---------------
        for message in messages:
            status, text = get(f"/chat/group/{message.room.group.slug}/", follow=True)
            shown = status == 200 and message.body in text
            if not shown:
                assert status in (200, 302, 403, 404), status
            probe("chat", role, message, expected_for(user, message), shown)
            history = shown_text(f"/chat/{message.room_id}/history/")
            probe("history", role, message, expected_for(user, message), message.body in history)
        chat_list = shown_text("/chat/")
        unread = {}
        if access.is_active_person(user):
            unread = {room.pk: room.unread for room in chat_services.conversations(user)}
        for room_id, message in rooms.items():
            expected = expected_for(user, message)
            probe("chat list", role, message, expected, href(f"/chat/{room_id}/") in chat_list)
            # The author wrote every message: nothing is unread for them.
            expected_unread = expected and user.pk != author.pk
            probe("unread", role, message, expected_unread, unread.get(room_id, 0) > 0)
        if access.is_active_person(user):
            total = chat_services.unread_total(user)
            assert total == sum(unread.get(room_id, 0) for room_id in rooms), (role, total)

        # --- What is new (the start page, the content digest): as if the person followed
        # every group, also one they may not (or no longer) see --------------------------
        if access.is_active_person(user):
            news = activity_services.news_entries(
                user, None, group_ids={g.pk for g in groups}, people_ids=[]
            )
            shown_news = {(e.kind, e.target_id) for e in news}
            for entry in entries:
                if entry.actor_id == user.pk:
                    continue  # one's own doing is not news to oneself
                target = entry.target
                shown = (entry.kind, entry.target_id) in shown_news
                probe("news", role, target, expected_line(user, entry, target), shown)

        # --- Exports: a wiki page as Markdown and as HTML --------------------------------
        for page in wiki_pages:
            for fmt in ("md", "html"):
                text = shown_text(f"/groups/{page.group.slug}/wiki/-/{page.pk}/export.{fmt}")
                probe("export", role, page, expected_for(user, page), MARKER in text)

        # --- Who is in a group: members page, activity, organisations, conversations -------
        for group in groups:
            members_status, members_html = get(f"/groups/{group.slug}/members/")
            if members_status != 200:
                assert members_status in (403, 404), (role, group.slug, members_status)
                # With the tab off there is no such page for who may not see the members.
                if SWITCHED_OFF.get(group.slug) == "members_tab_enabled":
                    assert members_status == 404, (role, group.slug, members_status)
            members_html = members_html if members_status == 200 else ""
            home = shown_text(group.get_absolute_url())
            may_see_members = expected_members(user, group)
            for membership in [m for m in memberships if m.group_id == group.pk]:
                row = f'<th scope="row"><a href="{membership.user.get_absolute_url()}">'
                probe("members", role, membership, may_see_members, row in members_html)
            # The group's stream (activity/): every line, page by page; who joined follows the
            # members tab, the rest what the line is about.
            lines = stream_lines(get, group)
            for activity in [a for a in activities if a.group_id == group.pk]:
                # Its line names the person and links to the group (a content line links to
                # the item).
                actor = href(activity.actor.get_absolute_url())
                place = href(group.get_absolute_url())
                shown = any(actor in line and place in line for line in lines)
                probe("activity", role, activity, may_see_members, shown)
            for entry in [e for e in entries if e.group_id == group.pk]:
                target = entry.target
                shown = any(href(entry_url(target)) in line for line in lines)
                probe("stream", role, target, expected_line(user, entry, target), shown)
            # The members tab's link: offered to exactly those who may open it (whoever reads a
            # group's content; with the tab off, its owners and admins), never one that refuses.
            link = href(f"/groups/{group.slug}/members/")
            offered = expected_for(user, group) and may_see_members
            # The organisations taking part: for everyone who finds the group, unless its
            # members tab is off (then for its owners and admins).
            tab_open = SWITCHED_OFF.get(group.slug) != "members_tab_enabled" or manages(user, group)
            probe("members", role, group, offered, link in home)
            organisation = people["member"].organisation.name
            shown = organisation in section(home, 'id="orgs-heading"', "</section>")
            probe("organisations", role, group, expected_for(user, group) and tab_open, shown)
            card = section(group_card(groups_html, group), "<dt>Organisations</dt>", "</dd>")
            listed = bool(group_card(groups_html, group))
            probe("organisations", role, group, listed and tab_open, organisation in card)
        if access.is_active_person(user):
            offered = set(
                DirectConversationForm(user).fields["people"].queryset.values_list("pk", flat=True)
            )
            may_offer = set()
            for membership in [m for m in memberships if m.user_id == user.pk]:
                group = membership.group
                if SWITCHED_OFF.get(group.slug) == "members_tab_enabled" and not manages(
                    user, group
                ):
                    continue
                may_offer |= {
                    m.user_id for m in memberships if m.group_id == group.pk and m.user.is_active
                }
            for other in [m for m in memberships if m.user_id != user.pk]:
                expected = other.user_id in may_offer
                probe("people", role, other, expected, other.user_id in offered)

        # --- The policy itself: can_view and visible_to, object by object -----------------
        visible = {}
        for model in {type(obj) for obj in objects} | {Membership, Activity}:
            if hasattr(model._default_manager, "visible_to"):
                rows = model._default_manager.visible_to(user).values_list("pk", flat=True)
                visible[model] = set(rows)
        for obj in objects:
            expected = expected_for(user, obj)
            probe("policy", role, obj, expected, access.can_view(user, obj))
            if type(obj) in visible:
                probe("policy", role, obj, expected, obj.pk in visible[type(obj)])
        for row in [*memberships, *activities]:
            expected = expected_members(user, row.group)
            probe("policy", role, row, expected, access.can_view(user, row))
            probe("policy", role, row, expected, row.pk in visible[type(row)])

        # --- Admins: nobody without staff rights and two factors gets in; the moderator
        # (staff, two factors) does, but not into what only operators manage -------------
        for url in ("/admin/", "/admin/pages/", "/django-admin/", "/admin/communities/"):
            status, _text = get(url)
            probes["admin"] += 1
            allowed = role == "moderator" and url != "/admin/communities/"
            if status == 200 and not allowed:
                leaks.append(("admin", role, url, status))
            if allowed and status != 200:
                misses.append(("admin", role, url, status))

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
    # Per switch: what tells people about a group's wiki, chat and blog reaches nobody about a
    # part that is off, and everyone who may read it about the parts that are on.
    with django_capture_on_commit_callbacks(execute=True):
        runs = notify_in_switched_groups(people, objects)
    for about, url, author_hears in runs:
        for role, person in people.items():
            if role == "gone" or (role == "author" and not author_hears):
                continue
            notified = Notification.objects.filter(recipient=person, url=url).exists()
            expected = expected_for(person, about) and access.is_active_person(person)
            probe("notification", role, about, expected, notified)

    total = sum(probes.values())
    switches = dict.fromkeys(SWITCHED_OFF.values(), 0)
    for (switch, _surface), count in per_switch.items():
        switches[switch] += count
    print(f"access matrix: {total} probes over {len(probes)} surfaces: {dict(probes)}")
    print(f"switches dimension: {sum(switches.values())} probes, per switch off: {switches}")
    assert leaks == [], f"{len(leaks)} leaks: {leaks[:20]}"
    assert misses == [], f"{len(misses)} misses: {misses[:20]}"
    assert set(probes) == SURFACES
    # Every switch is probed on every surface that shows what a group holds.
    for switch in SWITCHED_OFF.values():
        missing = {s for s in SWITCH_SURFACES if not per_switch[(switch, s)]}
        assert not missing, (switch, missing)
    # Something was shown and something was refused on every surface that shows content.
    assert total >= 3500


# ---------------------------------------------------------------------------------------------
# Events (issue 23): every role x every event of the world (a group's in the open, members-only
# and hidden groups and in each switch's group, the agenda's switched off; community events for
# everyone and for who is signed in, one hidden by a moderator, cancelled ones) x every surface
# that shows an event.

EVENT_SURFACES = {
    "event page",
    "event file",
    "group agenda",
    "group home",
    "group feed",
    "community agenda",
    "month",
    "my agenda",
    "personal feed",
    "attendees",
    "search",
    "stream",
    "notification",
    "export",
    "policy",
}


def agenda_pages(get, url):
    """The text of every page of an agenda ("" when it is refused)."""
    text, number = "", 1
    while number < 20:
        status, page = get(f"{url}?page={number}")
        if status != 200:
            return text
        text += page
        if 'rel="next"' not in page:
            return text
        number += 1
    return text


def test_events_on_every_surface_show_exactly_what_the_policy_allows(
    world,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    from events import notices
    from events.calendar import make_feed
    from events.models import Attendance, Event
    from privacy import export as exporting
    from search.backends import SearchQuery, get_search_backend

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    people, objects, _removed = world
    author = people["author"]
    events = [obj for obj in objects if kind(obj) == "event"]
    groups = [obj for obj in objects if kind(obj) == "group"]
    assert len(events) == len(groups) + 5
    # Everyone signed up for everything (also what they may not see: a group they left, an
    # event hidden since); who hears of it and what they export is the policy's answer.
    Attendance.objects.bulk_create(
        Attendance(event=event, person=person, status="going")
        for event in events
        for person in people.values()
    )
    feeds = {role: make_feed(person) for role, person in people.items()}
    probes, leaks, misses = Counter(), [], []
    per_switch = Counter()

    def probe(surface, role, event, expected, shown):
        probes[surface] += 1
        if switch_of(event):
            per_switch[switch_of(event)] += 1
        if shown and not expected:
            leaks.append((surface, role, event.title))
        if expected and not shown:
            misses.append((surface, role, event.title))

    anonymous = AnonymousUser()
    for role in ["anonymous", *ROLES[1:]]:
        user = anonymous if role == "anonymous" else people[role]
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        answers = {}

        def get(url, client=client, answers=answers):
            if url not in answers:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                answers[url] = (response.status_code, body.decode(errors="replace"))
            return answers[url]

        def shown_text(url):
            status, text = get(url)
            return text if status == 200 else ""

        community = agenda_pages(get, "/events/")
        mine = agenda_pages(get, "/events/mine/") if role != "anonymous" else ""
        results = get_search_backend().search(
            SearchQuery(text=MARKER, user=user, types=("event",), per_page=100)
        )
        found = {hit.object_id for hit in results.hits}
        lines = {}
        for group in groups:
            lines[group.pk] = stream_lines(get, group)
        reads_news = access.is_active_person(user) and user.pk != author.pk
        news = set()
        if reads_news:
            news = {
                e.target_id
                for e in activity_services.news_entries(
                    user, None, group_ids={g.pk for g in groups}, people_ids=[author.pk]
                )
                if e.kind == "events.created"
            }
        personal = ""
        if role != "anonymous":
            personal = shown_text(f"/events/calendar/{feeds[role].token}.ics")
        visible = set(Event.objects.visible_to(user).values_list("pk", flat=True))

        for event in events:
            expected = expected_for(user, event)
            url = event.get_absolute_url()
            uid = str(event.uid).upper()

            status, _text = get(url)
            if status != 200:
                assert refused(status), (role, event.title, status)
            probe("event page", role, event, expected, status == 200)

            status, text = get(f"{url}event.ics")
            if status != 200:
                assert refused(status), (role, event.title, status)
            probe("event file", role, event, expected, uid in text.upper())

            if event.group_id:
                slug = event.group.slug
                agenda = shown_text(f"/groups/{slug}/agenda/")
                probe("group agenda", role, event, expected, href(url) in agenda)
                # The group's home shows its next dates (each group has at most three).
                home = shown_text(event.group.get_absolute_url())
                probe("group home", role, event, expected, href(url) in home)
                feed = shown_text(f"/groups/{slug}/agenda.ics")
                probe("group feed", role, event, expected, uid in feed.upper())
                shown = any(href(url) in line for line in lines[event.group_id])
                probe("stream", role, event, expected, shown)
            probe("community agenda", role, event, expected, href(url) in community)
            # The month the event is in (in the event's zone), as a table.
            month = event.starts_at.astimezone(ZoneInfo(event.time_zone)).strftime("%Y-%m")
            month_html = shown_text(f"/events/month/?month={month}")
            probe("month", role, event, expected, href(url) in month_html)
            # Everyone signed up for everything: my agenda and my feed list what I may see;
            # a suspended person's are empty (their feed's address stops working meanwhile).
            mine_expected = expected and access.is_active_person(user)
            if role != "anonymous":
                probe("my agenda", role, event, mine_expected, href(url) in mine)
                probe("personal feed", role, event, mine_expected, uid in personal.upper())
            if reads_news:  # what is new, as if one followed every group and the organiser
                probe("stream", role, event, expected, event.pk in news)

            # The attendee list: the organisers', of what they may see.
            status, text = get(f"{url}attendees/")
            if status != 200:
                assert refused(status), (role, event.title, status)
            organises = expected and access.is_active_person(user) and access.can_edit(user, event)
            probe("attendees", role, event, organises, status == 200)
            status, text = get(f"{url}attendees.csv")
            if status != 200:
                assert refused(status), (role, event.title, status)
            probe("attendees", role, event, organises, status == 200)

            probe("search", role, event, expected, event.pk in found)
            probe("policy", role, event, expected, access.can_view(user, event))
            probe("policy", role, event, expected, event.pk in visible)

    # --- Notifications: a change told to everyone signed up who may see the event, never to
    # the one who made it; export: a sign-up names only an event one may see ------------------
    with django_capture_on_commit_callbacks(execute=True):
        for event in events:
            if event.is_cancelled:
                notices.cancelled(event.pk, actor_id=author.pk)
            else:
                notices.changed(event.pk, ["location"], actor_id=author.pk)
    for role, person in people.items():
        if role == "gone":
            continue
        told = set(
            Notification.objects.filter(recipient=person, kind="events").values_list(
                "url", flat=True
            )
        )
        exported = {row["event"] for row in exporting.collect(person)[0]["event_signups"]}
        for event in events:
            expected = expected_for(person, event) and access.is_active_person(person)
            if role != "author":  # who made the change hears nothing (asserted below)
                probe("notification", role, event, expected, event.get_absolute_url() in told)
            probe("export", role, event, expected_for(person, event), event.title in exported)
    assert not Notification.objects.filter(recipient=author, kind="events").exists()

    total = sum(probes.values())
    print(f"events matrix: {total} probes over {len(probes)} surfaces: {dict(probes)}")
    print(f"events matrix, per switch off: {dict(per_switch)}")
    assert leaks == [], f"{len(leaks)} leaks: {leaks[:20]}"
    assert misses == [], f"{len(misses)} misses: {misses[:20]}"
    assert set(probes) == EVENT_SURFACES
    assert set(per_switch) == set(SWITCHED_OFF.values())
    assert total >= 1400
