"""Questions with the rest of Meent: two votes of one person at one moment (PostgreSQL), search
and similar.json (only what the person may see), the activity stream, notifications in the
reader's language, reports, and a person's data (export and erasure)."""

import pytest
from django.urls import reverse
from django.utils import translation

from activity import services as stream
from activity.models import Follow
from moderation import services as moderation
from moderation.models import Kind, Report
from moderation.targets import may_report, target_for
from notifications.models import Notification
from privacy import export as exporting
from privacy import services as privacy
from questions import services
from questions.models import Answer, AnswerVote, Question
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.helpers import at_once, require_row_locks
from tests.questions.conftest import ask, ask_in_group

# ---------------------------------------------------------------------------------------------
# At the same moment (PostgreSQL: SQLite has one writer at a time)


@pytest.mark.django_db(transaction=True)
def test_two_votes_of_one_person_at_once_count_once():
    require_row_locks()
    group = GroupFactory(content_default="open")
    asker, writer, voter = UserFactory(), UserFactory(), UserFactory()
    for person in (asker, writer, voter):
        MembershipFactory(group=group, user=person, role="member")
    question = services.ask(asker, "Wie weet hoe dit werkt?", "", group=group)
    answer = services.answer(writer, question, "Zo werkt het.")
    results, errors = at_once(
        *[
            lambda: services.vote(
                type(voter).objects.get(pk=voter.pk),
                Answer.objects.select_related("question__group").get(pk=answer.pk),
            )
            for _ in range(2)
        ]
    )
    assert errors == []
    assert sorted(results) == [False, True]
    answer.refresh_from_db()
    assert answer.score == 1 and AnswerVote.objects.filter(answer=answer).count() == 1


# ---------------------------------------------------------------------------------------------
# Search and similar questions


def find(user, text, **filters):
    drain_outbox()
    results = get_search_backend().search(
        SearchQuery(text=text, user=user, types=("question",), per_page=50, **filters)
    )
    return {hit.object_id for hit in results.hits}


def test_a_question_is_found_by_its_title_details_and_answers_and_only_by_its_readers(world):
    people = world["people"]
    question = ask_in_group(world, body="<p>Over de bewaartermijn</p>")
    answer = services.answer(people["lotte"], question, "<p>Vraag het de archivaris</p>")
    for word in ("archief", "bewaartermijn", "archivaris"):
        assert find(people["bram"], word) == {question.pk}, word
    assert find(people["outsider"], "archivaris") == set()
    services.hide_answer(answer)
    assert find(people["bram"], "archivaris") == set()
    services.hide_question(question)
    assert find(people["bram"], "archief") == set()


def test_switching_the_tab_off_takes_the_questions_out_of_search(world):
    question = ask_in_group(world)
    owner = world["people"]["owner"]
    assert find(owner, "archief") == {question.pk}
    group = world["group"]
    group.questions_enabled = False
    group.save()  # as the settings form: part_switched re-indexes the group's questions
    assert find(owner, "archief") == set()
    group.questions_enabled = True
    group.save()
    assert find(owner, "archief") == {question.pk}


def similar(client, **params):
    drain_outbox()
    return client.get(reverse("questions:similar"), params)


def test_similar_questions_are_only_those_the_person_may_see(client, world):
    people = world["people"]
    in_group = ask_in_group(world, title="Hoe vraag ik toegang aan tot het archief?")
    answer = services.answer(people["lotte"], in_group, "Via het formulier.")
    services.mark_best(people["anna"], in_group, answer.pk)
    public = ask(world, who="stranger", title="Waar vind ik het archief van Oost?")
    response = similar(client, q="archief")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "results": [
            {
                "title": public.title,
                "url": public.get_absolute_url(),
                "answers": 0,
                "answered": False,
            }
        ]
    }
    client.force_login(people["bram"])
    results = similar(client, q="archief")
    assert {row["title"] for row in results.json()["results"]} == {in_group.title, public.title}
    [mine] = similar(client, q="archief", group="team").json()["results"]
    assert mine == {
        "title": in_group.title,
        "url": in_group.get_absolute_url(),
        "answers": 1,
        "answered": True,
    }
    # The last word may still be being typed.
    assert similar(client, q="toegang archief arch").json()["results"][0]["title"] == in_group.title


def test_similar_refuses_what_makes_no_sense(client, world):
    ask_in_group(world)
    assert similar(client, q="").json() == {"results": []}
    assert similar(client, q="a").json() == {"results": []}
    too_long = similar(client, q="a" * 201)
    assert too_long.status_code == 400 and "200" in too_long.json()["error"]
    # A members-only group's questions are not for others; an unknown group is no group.
    assert similar(client, q="archief", group="team").json() == {"results": []}
    assert similar(client, q="archief", group="nergens").status_code == 404
    assert similar(client, q="archief", group="no such!").status_code == 400


def test_at_most_five_similar_questions(client, world):
    for number in range(8):
        ask(world, title=f"Vraag {number} over het archief")
    assert len(similar(client, q="archief").json()["results"]) == 5


# ---------------------------------------------------------------------------------------------
# The stream and notifications


def test_the_stream_follows_asking_answering_and_the_best_answer(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    services.mark_best(people["anna"], question, answer.pk)
    kinds = [
        line.kind.key for line in stream.lines(stream.group_entries(people["bram"], world["group"]))
    ]
    assert {"questions.asked", "questions.answered", "questions.best_answer"} <= set(kinds)
    assert stream.lines(stream.group_entries(people["outsider"], world["group"])) == []
    # Asking and answering follow the question.
    assert Follow.objects.filter(user=people["anna"]).exists()
    assert Follow.objects.filter(user=people["lotte"]).exists()


def test_the_asker_and_the_best_answers_author_are_told_in_their_language(
    world, django_capture_on_commit_callbacks
):
    from notifications.messages import render

    people = world["people"]
    question = ask_in_group(world)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer(people["lotte"], question, "Via het formulier.")
    told = Notification.objects.get(recipient=people["anna"], message="questions.answered")
    assert told.kind == "conversations" and told.url == answer.get_absolute_url()
    with translation.override("en"):
        assert render(told.message, told.params) == (
            f"Lotte Test answered your question “{question.title}”"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_best(people["anna"], question, answer.pk)
    best = Notification.objects.get(recipient=people["lotte"], message="questions.best_answer")
    assert best.params["person"] == "Anna Test"
    # Nobody hears of what they did themselves.
    assert not Notification.objects.filter(
        recipient=people["anna"], message="questions.best_answer"
    )


def test_mentions_in_a_question_and_an_answer_are_told_once(
    world, django_capture_on_commit_callbacks
):
    people = world["people"]
    lotte, bram = people["lotte"], people["bram"]
    mention = f'<p>Vraag <a class="mention" data-person="{lotte.pk}" href="/people/{lotte.pk}/">@Lotte Test</a></p>'
    with django_capture_on_commit_callbacks(execute=True):
        question = ask_in_group(world, body=mention)
    assert Notification.objects.filter(recipient=lotte, message="questions.mention").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(people["owner"], question, f"<p>Zie ook @Bram Test</p>{mention}")
    assert Notification.objects.filter(recipient=bram, message="questions.answer_mention").exists()


# ---------------------------------------------------------------------------------------------
# Reports


def test_targets_describe_questions_and_answers(world):
    people = world["people"]
    question = ask_in_group(world, body="<p>Meer uitleg</p>")
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    target = target_for(Kind.QUESTION)
    assert target.get(question.pk) == question and target.author(question) == people["anna"]
    with translation.override("en"):
        assert target.title(question) == f"Question “{question.title}”"
        assert target_for(Kind.ANSWER).title(answer) == f"Answer to the question “{question.title}”"
    assert target_for(Kind.ANSWER).group(answer) == world["group"]
    assert target_for(Kind.ANSWER).url(answer) == answer.get_absolute_url()


def test_hiding_a_reported_best_answer_reopens_the_question(
    world, django_capture_on_commit_callbacks, client
):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Koop nu zoekwoordje.")
    services.mark_best(people["anna"], question, answer.pk)
    assert may_report(people["bram"], answer)
    client.force_login(people["bram"])
    assert client.get(f"/report/answer/{answer.pk}/").status_code == 200
    assert client.get(f"/report/question/{question.pk}/").status_code == 200
    page = client.get(question.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["answer", answer.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(people["bram"], Kind.ANSWER, answer.pk, "spam")
        moderation.decide(people["owner"], report, Report.Decision.HIDE, "Reclame")
    question.refresh_from_db()
    assert question.best_answer_id is None and not question.is_closed
    assert question.answer_count == 0
    assert "zoekwoordje" not in client.get(question.get_absolute_url()).content.decode()


def test_a_moderator_deletes_a_question_with_its_answers(world, django_capture_on_commit_callbacks):
    people = world["people"]
    question = ask_in_group(world)
    services.answer(people["lotte"], question, "Via het formulier.")
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(people["bram"], Kind.QUESTION, question.pk, "spam")
        moderation.decide(people["moderator"], report, Report.Decision.DELETE, "Weg")
    assert not Question.objects.exists() and not Answer.objects.exists()


# ---------------------------------------------------------------------------------------------
# One's own data


def test_my_data_holds_my_questions_answers_and_votes(world):
    people = world["people"]
    question = ask_in_group(world, body="<p>Details</p>")
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    services.vote(people["anna"], answer)
    data, _files = exporting.collect(people["anna"])
    [asked] = data["questions_asked"]
    assert asked["question"] == question.title and asked["details"] == "<p>Details</p>"
    [vote] = data["answer_votes"]
    assert vote["question"] == question.title
    lotte, _files = exporting.collect(people["lotte"])
    [written] = lotte["answers_written"]
    assert written["answer"] == "Via het formulier." and written["votes"] == 1
    # A question one can no longer see is not named.
    from groups.models import Membership

    Membership.objects.filter(user=people["lotte"]).delete()
    lotte_again = UserFactory._meta.model.objects.get(pk=people["lotte"].pk)
    data, _files = exporting.collect(lotte_again)
    assert data["answers_written"][0]["question"] is None
    assert data["answers_written"][0]["answer"] == "Via het formulier."


def test_deleting_an_account_keeps_the_words_and_takes_the_votes(
    world, django_capture_on_commit_callbacks
):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    services.vote(people["bram"], answer)
    services.vote(people["anna"], answer)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(people["bram"])
        privacy.delete_account(people["lotte"])
    answer.refresh_from_db()
    assert answer.author is None and answer.score == 1
    assert AnswerVote.objects.count() == 1
    assert Question.objects.get().author == people["anna"]
    assert find(people["anna"], "formulier") == {question.pk}
