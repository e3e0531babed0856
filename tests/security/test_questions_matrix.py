"""The questions' access matrix: role x where the question is (kind of group, or the community's
visibility) x state x surface.

The world: four groups (an open listed one, a members-only one, a hidden one, and an open one
whose questions tab is switched off after its questions were asked), each with a question seen
as usual and one hidden by a moderator, each with an answer by the member and an answer hidden
by a moderator; on the community, a question for everyone, one for who is signed in and one for
the asker's organisation (the author's; the colleague shares it), each seen as usual and hidden,
answered by the colleague. The author asked them all. A question on the second community is
asked on this community's host.

What each role may see is written down here from the world's own description (``expected``), not
asked of the policy. Then every surface is asked: the lists (the question's link), the question's
page, an answer POSTed, a vote POSTed, the best answer POSTed, similar.json, search (by a word of
the question and of its answer), the activity stream, a notification about the answer, "download
my data", and the policy itself. Every probe is counted, per surface; the total is asserted so
that a surface that stops being probed fails.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from activity import services as activity_services
from meent import access
from notifications import notify
from notifications.models import Notification
from privacy import export as exporting
from questions import services
from questions.models import Answer, AnswerVote, Question
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)
from tests.security.matrix import Probes, Visitor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "colleague", "member", "owner", "admin", "moderator", "author"]
MEMBERS = {"member", "owner", "admin", "author"}
GROUP_KINDS = {
    "open": {"visibility": "listed", "content_default": "open"},
    "closed": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
    "off": {"visibility": "listed", "content_default": "open"},
}
COMMUNITY_KINDS = ("public", "logged_in", "organisation")
STATES = ("normal", "hidden")
SURFACES = {
    "list",
    "page",
    "hidden answer",
    "answer",
    "vote",
    "best",
    "similar",
    "search",
    "stream",
    "notification",
    "export",
    "policy",
    "community",
}
OTHER_HOST = "oost.testserver"
# The count of probes of this world: asserted, so a surface that stops being probed shows.
EXPECTED_PROBES = 2556


def expected(role, where, state) -> bool:
    if state != "normal" or where == "off":
        return False
    if where in GROUP_KINDS:
        return role in MEMBERS or where == "open"
    if where == "public":
        return True
    if where == "logged_in":
        return role != "anonymous"
    return role in ("author", "colleague")  # the author's organisation


def may_answer(role, where, state) -> bool:
    if not expected(role, where, state):
        return False
    return role in MEMBERS if where in GROUP_KINDS else role != "anonymous"


def may_choose_best(role, where, state) -> bool:
    if not expected(role, where, state):
        return False
    if role == "author":
        return True
    return role in ("owner", "admin") if where in GROUP_KINDS else role == "moderator"


@pytest.fixture
def questions_world(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", OTHER_HOST]
    home = OrganisationFactory(name="Gemeente Vraag")
    people = {
        role: UserFactory(
            first_name=role.capitalize(),
            last_name="Matrix",
            organisation=home if role in ("author", "colleague") else OrganisationFactory(),
        )
        for role in ROLES
        if role != "anonymous"
    }
    make_moderator(people["moderator"])
    rows = []  # (question, where, state, its answer, its hidden answer)
    groups = {}
    for kind, fields in GROUP_KINDS.items():
        group = GroupFactory(slug=f"vragen-{kind}", name=f"Vragen {kind}", **fields)
        groups[kind] = group
        for role in MEMBERS:
            MembershipFactory(
                group=group, user=people[role], role=role if role != "author" else "member"
            )
        for person in people.values():
            access.forget_memberships(person)
        for state in STATES:
            rows.append(_asked(people, kind, state, group=group, answerer="member"))
    for kind in COMMUNITY_KINDS:
        for state in STATES:
            rows.append(_asked(people, kind, state, visibility=kind, answerer="colleague"))
    off = groups["off"]
    off.questions_enabled = False
    off.save()
    other = Site.objects.create(
        hostname=OTHER_HOST, port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    elsewhere = services.ask(
        people["author"], "Vraagmerk oost hier", "", visibility="public", site_id=other.pk
    )
    for person in people.values():
        access.forget_memberships(person)
    drain_outbox()
    answers = Answer.objects.select_related("question__group")
    rows = [
        (
            Question.objects.select_related("group").get(pk=q.pk),
            where,
            state,
            answers.get(pk=a.pk),
            answers.get(pk=h.pk),
        )
        for q, where, state, a, h in rows
    ]
    return people, groups, rows, elsewhere


def _asked(people, where, state, *, answerer, group=None, visibility="public"):
    question = services.ask(
        people["author"],
        f"Vraagmerk {where} {state} hier",
        f"<p>toelichtingmerk {where}</p>",
        group=group,
        visibility=visibility,
    )
    shown = services.answer(people[answerer], question, f"<p>antwoordmerk {where} {state}</p>")
    hidden = services.answer(people[answerer], question, f"<p>verborgenmerk {where} {state}</p>")
    services.hide_answer(hidden)
    if state == "hidden":
        services.hide_question(question)
    return question, where, state, shown, hidden


def test_every_question_surface_shows_exactly_what_each_role_may_see(questions_world):
    people, groups, rows, elsewhere = questions_world
    main_site = Site.objects.get(is_default_site=True)
    probe = Probes()

    for role in ROLES:
        visitor = Visitor(None if role == "anonymous" else people[role])
        user, client, get = visitor.user, visitor.client, visitor.get

        def refused(status, what, role=role):
            assert status in (302, 400, 403, 404, 409), (role, what, status)

        for question, where, state, shown_answer, hidden_answer in rows:
            should = expected(role, where, state)
            what = question.title
            link = f'href="{question.get_absolute_url()}"'
            # --- The lists and the page --------------------------------------------------
            status, body, _response = get(reverse("questions:list"))
            probe("list", role, f"community list: {what}", should, status == 200 and link in body)
            if question.group_id:
                status, body, _response = get(
                    reverse("group_questions:list", args=[question.group.slug])
                )
                if status != 200:
                    refused(status, f"list {where}")
                probe("list", role, what, should, status == 200 and link in body)
            status, body, _response = get(question.get_absolute_url())
            if status != 200:
                refused(status, what)
            probe("page", role, what, should, status == 200 and shown_answer.body in body)
            probe("hidden answer", role, what, False, hidden_answer.body in body)

            # --- An answer, a vote and the best answer POSTed ----------------------------
            before = Answer.objects.count()
            response = client.post(
                reverse("questions:answer", args=[question.pk]),
                {"body": f"poging van {role}"},
            )
            made = Answer.objects.count() - before
            if not made:
                refused(response.status_code, f"answer {what}")
                if role == "anonymous":
                    assert "login" in response["Location"]
            probe("answer", role, what, may_answer(role, where, state), made == 1)
            Answer.objects.filter(body=f"poging van {role}").delete()

            response = client.post(
                reverse("questions:vote", args=[shown_answer.pk]), {"vote": "up"}
            )
            voted = AnswerVote.objects.filter(answer=shown_answer).exists()
            if not voted:
                refused(response.status_code, f"vote {what}")
            own = shown_answer.author_id == getattr(user, "pk", None)
            probe("vote", role, what, should and role != "anonymous" and not own, voted)
            AnswerVote.objects.filter(answer=shown_answer).delete()
            Answer.objects.filter(pk=shown_answer.pk).update(score=0)
            for target, label in ((hidden_answer, "hidden"),):
                client.post(reverse("questions:vote", args=[target.pk]), {"vote": "up"})
                probe("vote", role, f"{what}: {label}", False, target.votes.exists())

            response = client.post(
                reverse("questions:best", args=[question.pk]), {"answer": shown_answer.pk}
            )
            chosen = Question.objects.filter(pk=question.pk, best_answer=shown_answer).exists()
            if not chosen:
                refused(response.status_code, f"best {what}")
            probe("best", role, what, may_choose_best(role, where, state), chosen)
            client.post(reverse("questions:best", args=[question.pk]), {"answer": hidden_answer.pk})
            probe(
                "best",
                role,
                f"{what}: hidden answer",
                False,
                Question.objects.filter(pk=question.pk, best_answer=hidden_answer).exists(),
            )
            Question.objects.filter(pk=question.pk).update(best_answer=None, closed_at=None)

            # --- A notification about the answer -----------------------------------------
            if role != "anonymous":
                for target, visible in ((shown_answer, should), (hidden_answer, False)):
                    delivered = notify(
                        user,
                        "conversations",
                        "questions.answered",
                        target.get_absolute_url(),
                        params={"person": "Matrix", "title": question.title},
                        about=target,
                    )
                    probe("notification", role, f"{what} {target.pk}", visible, bool(delivered))

        # --- similar.json and search -------------------------------------------------------
        found = {}
        for word in ("vraagmerk", "antwoordmerk", "toelichtingmerk"):
            found[word] = {
                hit.object_id
                for hit in get_search_backend()
                .search(SearchQuery(text=word, user=user, types=("question",), per_page=100))
                .hits
            }
        hidden_words = get_search_backend().search(
            SearchQuery(text="verborgenmerk", user=user, types=("question",), per_page=100)
        )
        probe("search", role, "a hidden answer's word", False, hidden_words.total > 0)
        for question, where, state, _shown, _hidden in rows:
            should = expected(role, where, state)
            for word, ids in found.items():
                probe("search", role, f"{question.title} by {word}", should, question.pk in ids)
            # Its own words typed as a new question's title: suggested to its readers only.
            similar = get(reverse("questions:similar") + f"?q=Vraagmerk+{where}+{state}")
            urls = {row["url"] for row in similar[2].json()["results"]}
            probe("similar", role, question.title, should, question.get_absolute_url() in urls)

        # --- The groups' streams, and what is new on the start page -------------------------
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
                if e.kind == "questions.asked"
            }
        for question, where, state, _shown, _hidden in rows:
            should = expected(role, where, state)
            if where in groups:
                probe(
                    "stream",
                    role,
                    question.title,
                    should,
                    f'href="{question.get_absolute_url()}"' in streams[where],
                )
            if access.is_active_person(user) and role != "author":
                probe("stream", role, f"news {question.title}", should, question.pk in news)

        # --- Download my data ----------------------------------------------------------------
        if role != "anonymous":
            data, _files = exporting.collect(user)
            asked = {row["question"] for row in data["questions_asked"]}
            named = {row["question"] for row in data["answers_written"] if row["question"]}
            for question, where, state, shown_answer, _hidden in rows:
                probe(
                    "export",
                    role,
                    f"asked {question.title}",
                    role == "author",
                    question.title in asked,
                )
                wrote = shown_answer.author_id == user.pk
                probe(
                    "export",
                    role,
                    f"answered {question.title}",
                    wrote and expected(role, where, state),
                    question.title in named,
                )

        # --- The policy itself ---------------------------------------------------------------
        visible = set(Question.objects.visible_to(user).values_list("pk", flat=True))
        visible_answers = set(Answer.objects.visible_to(user).values_list("pk", flat=True))
        for question, where, state, shown_answer, hidden_answer in rows:
            should = expected(role, where, state)
            probe("policy", role, question.title, should, access.can_view(user, question))
            probe("policy", role, question.title, should, question.pk in visible)
            probe(
                "policy",
                role,
                f"answer {question.title}",
                should,
                shown_answer.pk in visible_answers,
            )
            probe(
                "policy",
                role,
                f"answer {question.title}",
                should,
                access.can_view(user, shown_answer),
            )
            probe(
                "policy",
                role,
                f"hidden answer {question.title}",
                False,
                hidden_answer.pk in visible_answers or access.can_view(user, hidden_answer),
            )

        # --- The other community's question, asked on this community's host ----------------
        url = elsewhere.get_absolute_url()
        status, _body, response = get(url)
        led_away = status == 302 and response["Location"].startswith(f"http://{OTHER_HOST}/")
        assert led_away, (role, url, status)
        probe("community", role, url, False, status == 200)
        status, _body, _response = get(url, HTTP_HOST=OTHER_HOST)
        probe("community", role, f"{url} on its host", True, status == 200)
        status, body, _response = get(reverse("questions:list"))
        probe("community", role, "the list here", False, elsewhere.title in body)
        status, body, _response = get(reverse("questions:list"), HTTP_HOST=OTHER_HOST)
        probe("community", role, "the list there", True, elsewhere.title in body)
        here = get_search_backend().search(
            SearchQuery(text="vraagmerk oost", user=user, site_id=main_site.pk, types=("question",))
        )
        probe(
            "community",
            role,
            "search here",
            False,
            elsewhere.pk in {h.object_id for h in here.hits},
        )

    Notification.objects.all().delete()
    probe.check("questions matrix", SURFACES, EXPECTED_PROBES)
