"""The polls' access matrix: role x kind of group x results mode x state x voted x surface.

The world: four groups (an open listed one, a members-only one, a hidden one, and an open one
whose Polls tab is switched off after its polls were asked), each with a named poll per results
mode ("after voting", "after closing") and per state (open, closed, hidden by a moderator), all
asked by the owner. The owner and the "voter" (a member) voted in every poll before it closed;
the admin and the other member did not. A group on the second community has an open poll.

What each role may see and do is written down here from the world's own description
(``sees``, ``shows_results``, ``shows_voters``, ``may_vote``), not asked of the policy: members
see every poll that is not hidden and not in a switched-off group; others only the open group's
(a suspended person is treated as anonymous). The counts are shown after closing to everyone
who sees the poll, before it to those who voted in an "after voting" poll and to nobody in an
"after closing" one (not in the page's source, not in results.json); who voted what to the
group's owners and admins when they see the counts; members vote in open polls only. Then every
surface is asked: the list, the poll's page (and whether its counts are in it), results.json,
who voted what, a vote, search, the group's stream, the export, and the other community's poll
on this community's host. Every probe is counted, per surface; the total is asserted.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from meent import access
from polls import privacy as poll_privacy
from polls import services
from polls.models import Poll
from polls.services import PollInput
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import GroupFactory, MembershipFactory, UserFactory, make_moderator
from tests.security.matrix import Probes, Visitor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "voter", "member", "owner", "admin", "moderator", "suspended"]
MEMBERS = {"voter", "member", "owner", "admin"}
VOTED = {"voter", "owner"}
MANAGERS = {"owner", "admin"}
GROUP_KINDS = {
    "open": {"visibility": "listed", "content_default": "open"},
    "closed": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
    "polls-off": {"visibility": "listed", "content_default": "open"},
}
RESULTS = ["after_vote", "after_close"]
STATES = ["open", "closed", "hidden"]
SURFACES = {
    "list",
    "page",
    "counts",
    "results.json",
    "voters",
    "vote",
    "search",
    "stream",
    "export",
    "community",
}
MARKER = "peilmerk"
OTHER_HOST = "oost.testserver"
EXPECTED_PROBES = 1648


def sees(role, kind, state) -> bool:
    if state == "hidden" or kind == "polls-off":
        return False
    return role in MEMBERS or kind == "open"


def shows_results(role, kind, results, state) -> bool:
    if not sees(role, kind, state):
        return False
    return state == "closed" or (results == "after_vote" and role in VOTED)


def shows_voters(role, kind, results, state) -> bool:
    return role in MANAGERS and shows_results(role, kind, results, state)


def may_vote(role, kind, state) -> bool:
    return role in MEMBERS and state == "open" and sees(role, kind, state)


@pytest.fixture
def polls_world(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", OTHER_HOST]
    people = {role: UserFactory(first_name=role.capitalize()) for role in ROLES[1:]}
    make_moderator(people["moderator"])
    groups = {}
    for kind, fields in GROUP_KINDS.items():
        group = GroupFactory(slug=f"peil-{kind}", name=f"Peil {kind}", **fields)
        groups[kind] = group
        MembershipFactory(group=group, user=people["owner"], role="owner")
        MembershipFactory(group=group, user=people["admin"], role="admin")
        for role in ("voter", "member", "suspended"):
            MembershipFactory(group=group, user=people[role], role="member")
    for person in people.values():
        access.forget_memberships(person)
    polls = []
    ends = timezone.now() + datetime.timedelta(days=7)
    for kind, group in groups.items():
        for results in RESULTS:
            for state in STATES:
                data = PollInput(
                    question=f"{MARKER} {kind} {results} {state}?",
                    ends_at=ends,
                    options=["Ja", "Nee"],
                    results=results,
                    anonymous=False,
                )
                poll = services.create_poll(people["owner"], group, data)
                for role in VOTED:
                    services.vote(people[role], poll, [poll.options.first().pk])
                if state == "closed":
                    Poll.objects.filter(pk=poll.pk).update(
                        ends_at=timezone.now() - datetime.timedelta(minutes=1)
                    )
                if state == "hidden":
                    services.hide_poll(poll)
                polls.append((poll, kind, results, state))
    off = groups["polls-off"]
    off.polls_enabled = False
    off.save()
    people["suspended"].suspended_until = timezone.now() + datetime.timedelta(days=3)
    people["suspended"].save()
    # The other community, with an open group and an open poll.
    other = Site.objects.create(
        hostname=OTHER_HOST, port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    oost = GroupFactory(slug="peil-oost", name="Peil Oost", site=other, content_default="open")
    MembershipFactory(group=oost, user=people["owner"], role="owner")
    access.forget_memberships(people["owner"])
    elsewhere = services.create_poll(
        people["owner"],
        oost,
        PollInput(question=f"{MARKER} oost?", ends_at=ends, options=["Ja", "Nee"]),
    )
    for person in people.values():
        access.forget_memberships(person)
    drain_outbox()
    polls = [(Poll.objects.get(pk=p.pk), k, r, s) for p, k, r, s in polls]
    return people, groups, polls, elsewhere


def test_every_poll_surface_shows_exactly_what_each_role_may_see(polls_world):
    people, groups, polls, elsewhere = polls_world
    main_site = Site.objects.get(is_default_site=True)
    probe = Probes()

    for role in ROLES:
        visitor = Visitor(None if role == "anonymous" else people[role], remember=False)
        user, client, get = visitor.user, visitor.client, visitor.get

        # --- The groups' lists ---------------------------------------------------------------
        lists = {}
        for kind, group in groups.items():
            status, body, _response = get(reverse("polls:list", args=[group.slug]))
            assert status in (200, 403, 404), (role, kind, status)
            lists[kind] = body if status == 200 else ""
        for poll, kind, _results, state in polls:
            what = poll.question
            probe("list", role, what, sees(role, kind, state), what in lists[kind])

        # --- A poll's page, its counts, results.json, who voted what --------------------------
        for poll, kind, results, state in polls:
            what = poll.question
            slug = groups[kind].slug
            status, body, _response = get(poll.get_absolute_url())
            assert status in (200, 404), (role, what, status)
            probe("page", role, what, sees(role, kind, state), status == 200)
            counts_shown = "poll-chart" in body or "<table" in body or "votes," in body
            probe("counts", role, what, shows_results(role, kind, results, state), counts_shown)
            status, body, _response = get(reverse("polls:results", args=[slug, poll.pk]))
            assert status in (200, 403, 404), (role, what, status)
            if status == 403:
                assert "error" in body  # the reason
            shown = status == 200
            probe("results.json", role, what, shows_results(role, kind, results, state), shown)
            status, body, _response = get(reverse("polls:voters", args=[slug, poll.pk]))
            assert status in (200, 302, 403, 404), (role, what, status)
            should = shows_voters(role, kind, results, state)
            probe("voters", role, what, should, status == 200 and "Voter" in body)

        # --- Search --------------------------------------------------------------------------
        found = {
            hit.object_id
            for hit in get_search_backend()
            .search(SearchQuery(text=MARKER, user=user, types=("poll",), per_page=100))
            .hits
        }
        for poll, kind, _results, state in polls:
            probe("search", role, poll.question, sees(role, kind, state), poll.pk in found)

        # --- The group's activity stream -------------------------------------------------------
        streams = {}
        for kind, group in groups.items():
            status, body, _response = get(f"/groups/{group.slug}/activity/")
            streams[kind] = body if status == 200 else ""
        for poll, kind, _results, state in polls:
            shown = f'href="{poll.get_absolute_url()}"' in streams[kind]
            probe("stream", role, poll.question, sees(role, kind, state), shown)

        # --- The export: one's own votes name only what one may see; one's own polls carry
        # their counts only when the page shows them ----------------------------------------
        if role in VOTED:
            named = {row["link"] for row in poll_privacy.votes(user, None) if row["poll"]}
            for poll, kind, _results, state in polls:
                shown = any(link.endswith(poll.get_absolute_url()) for link in named)
                probe("export", role, poll.question, sees(role, kind, state), shown)
        if role == "owner":
            asked = {row["question"]: row for row in poll_privacy.asked(user, None)}
            for poll, kind, results, state in polls:
                # The page's rule, also for one's own poll (hidden: nobody sees its counts).
                should = shows_results(role, kind, results, state)
                shown = asked[poll.question]["voters"] is not None
                probe("export", role, f"counts {poll.question}", should, shown)

        # --- The other community's poll, asked on this community's host -------------------------
        for url in (
            elsewhere.get_absolute_url(),
            reverse("polls:list", args=[elsewhere.group.slug]),
        ):
            status, _body, response = get(url)
            led_away = status == 302 and response["Location"].startswith(f"http://{OTHER_HOST}/")
            assert led_away or status == 404, (role, url, status)
            probe("community", role, url, False, status == 200)
            status, _body, _response = get(url, HTTP_HOST=OTHER_HOST)
            probe("community", role, f"{url} on its host", True, status == 200)
        here = get_search_backend().search(
            SearchQuery(text=MARKER, user=user, site_id=main_site.pk, types=("poll",))
        )
        probe(
            "community",
            role,
            "search here",
            False,
            elsewhere.pk in {h.object_id for h in here.hits},
        )

        # --- A vote (last: it changes who voted) -------------------------------------------------
        for poll, kind, _results, state in polls:
            slug = groups[kind].slug
            before = Poll.objects.get(pk=poll.pk).voter_count
            response = client.post(
                reverse("polls:vote", args=[slug, poll.pk]),
                {"option": [poll.options.last().pk]},
            )
            status = response.status_code
            assert status in (302, 400, 403, 404, 409), (role, poll.question, status)
            counted = Poll.objects.get(pk=poll.pk).voter_count - before
            accepted = status == 302 and response["Location"] == poll.get_absolute_url()
            should = may_vote(role, kind, state)
            probe("vote", role, poll.question, should, accepted)
            assert counted == (1 if accepted and role not in VOTED else 0), (role, poll.question)

    probe.check("polls matrix", SURFACES, EXPECTED_PROBES)
