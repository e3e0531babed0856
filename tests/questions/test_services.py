"""The rules of questions, answers, votes and the best answer (questions/services.py), with
every bad input refused with a reason and nothing changed."""

import pytest
from django.utils import timezone, translation

from meent import access
from questions import services
from questions.models import Answer, AnswerVote, Question
from questions.services import QuestionError
from tests.questions.conftest import ask, ask_in_group


@pytest.fixture(autouse=True)
def english():
    """The refusals' reasons are read in English here (the default language is Dutch)."""
    with translation.override("en"):
        yield


def test_asking_cleans_the_title_and_the_details(world):
    question = ask_in_group(
        world,
        title="  Hoe   vraag ik <b>toegang</b> aan?  ",
        body="<p>Ik zoek de <strong>stukken</strong></p><script>alert(1)</script>",
    )
    assert question.title == "Hoe vraag ik toegang aan?"
    assert "<script>" not in question.body and "<strong>stukken</strong>" in question.body
    assert question.group == world["group"] and question.answer_count == 0
    assert question.last_activity_at is not None


@pytest.mark.parametrize(
    "title, message",
    [
        ("", "Write your question."),
        ("   ", "Write your question."),
        ("Archief?", "at least 3 words"),
        ("Waar is het", None),
        ("woord " * 50, "at most 200 characters"),
    ],
)
def test_a_title_is_required_short_enough_and_three_words(world, title, message):
    if message is None:
        assert ask_in_group(world, title=title).title == "Waar is het"
        return
    with pytest.raises(QuestionError) as refused:
        ask_in_group(world, title=title)
    assert message in refused.value.message and refused.value.field == "title"
    assert not Question.objects.exists()


def test_who_may_ask_where(world):
    people, group = world["people"], world["group"]
    with pytest.raises(QuestionError) as refused:
        ask_in_group(world, who="outsider")
    assert refused.value.status == 403
    # On the community every active person asks, with a visibility.
    community = ask(world, who="outsider", visibility="organisation")
    assert community.group is None and community.visibility == "organisation"
    with pytest.raises(QuestionError) as refused:
        ask(world, who="outsider", visibility="secret")
    assert refused.value.field == "visibility"
    group.questions_enabled = False
    group.save()
    with pytest.raises(QuestionError) as refused:
        ask_in_group(world)
    assert refused.value.status == 404
    group.questions_enabled = True
    group.is_archived = True
    group.save()
    with pytest.raises(QuestionError) as refused:
        ask_in_group(world)
    assert refused.value.status == 409
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(QuestionError):
        services.ask(AnonymousUser(), "Mag ik iets vragen", "")
    assert people["anna"].is_active


def test_answering_counts_and_moves_the_question_up(world):
    question = ask_in_group(world)
    before = question.last_activity_at
    answer = services.answer(world["people"]["lotte"], question, "<p>Via het formulier.</p>")
    question.refresh_from_db()
    assert question.answer_count == 1 and question.last_activity_at > before
    assert answer.body == "<p>Via het formulier.</p>" and answer.score == 0


def test_bad_answers_are_refused(world):
    people = world["people"]
    question = ask_in_group(world)
    with pytest.raises(QuestionError) as refused:
        services.answer(people["lotte"], question, "<p> </p>")
    assert refused.value.field == "body"
    with pytest.raises(QuestionError) as refused:
        services.answer(people["outsider"], question, "Hallo")
    assert refused.value.status == 404  # a members-only group's question is not seen
    assert Answer.objects.count() == 0


def test_an_answer_to_a_closed_question_is_refused_until_it_is_reopened(world):
    people = world["people"]
    question = ask_in_group(world)
    first = services.answer(people["lotte"], question, "Via het formulier.")
    services.mark_best(people["anna"], question, first.pk)
    with pytest.raises(QuestionError) as refused:
        services.answer(people["bram"], question, "Of bel de servicedesk.")
    assert refused.value.status == 409 and "closed" in refused.value.message
    assert Answer.objects.count() == 1
    services.reopen(people["anna"], question)
    services.answer(people["bram"], question, "Of bel de servicedesk.")
    question.refresh_from_db()
    assert question.answer_count == 2 and question.best_answer_id == first.pk


def test_a_vote_counts_once_and_is_taken_back(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    assert services.vote(people["anna"], answer) is True
    assert services.vote(people["anna"], answer) is False  # twice is once
    assert services.vote(people["bram"], answer) is True
    answer.refresh_from_db()
    assert answer.score == 2 and AnswerVote.objects.count() == 2
    assert services.unvote(people["anna"], answer) is True
    assert services.unvote(people["anna"], answer) is False
    answer.refresh_from_db()
    assert answer.score == 1


def test_no_vote_for_ones_own_answer_nor_for_what_one_cannot_see(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    with pytest.raises(QuestionError) as refused:
        services.vote(people["lotte"], answer)
    assert refused.value.status == 403 and "own answer" in refused.value.message
    with pytest.raises(QuestionError) as refused:
        services.vote(people["outsider"], answer)
    assert refused.value.status == 404
    answer.refresh_from_db()
    assert answer.score == 0 and not AnswerVote.objects.exists()


def test_the_best_answer_is_chosen_by_the_asker_or_the_groups_managers(world):
    people = world["people"]
    question = ask_in_group(world)
    first = services.answer(people["lotte"], question, "Via het formulier.")
    second = services.answer(people["bram"], question, "Bel de servicedesk.")
    with pytest.raises(QuestionError) as refused:
        services.mark_best(people["bram"], question, first.pk)
    assert refused.value.status == 403
    question.refresh_from_db()
    assert question.best_answer_id is None and question.closed_at is None
    services.mark_best(people["anna"], question, first.pk)
    # Changeable, and one at a time; the group's admin may too.
    services.mark_best(people["admin"], question, second.pk)
    question.refresh_from_db()
    assert question.best_answer_id == second.pk and question.is_closed
    services.reopen(people["owner"], question)
    question.refresh_from_db()
    assert not question.is_closed and question.best_answer_id == second.pk


def test_a_community_questions_best_answer_is_the_askers_or_a_moderators(world):
    people = world["people"]
    question = ask(world, who="anna")
    answer = services.answer(people["stranger"], question, "Zo doe je dat.")
    with pytest.raises(QuestionError) as refused:
        services.mark_best(people["owner"], question, answer.pk)
    assert refused.value.status == 403
    services.mark_best(people["moderator"], question, answer.pk)
    question.refresh_from_db()
    assert question.best_answer_id == answer.pk


def test_a_hidden_or_another_questions_answer_cannot_be_best(world):
    people = world["people"]
    question = ask_in_group(world)
    other = ask_in_group(world, title="Waar staat de printer hier?")
    hidden = services.answer(people["lotte"], question, "Weg ermee.")
    services.hide_answer(hidden)
    elsewhere = services.answer(people["bram"], other, "Op de gang.")
    for answer_id in (hidden.pk, elsewhere.pk, 10**9, "12"):
        with pytest.raises(QuestionError) as refused:
            services.mark_best(people["anna"], question, answer_id)
        assert refused.value.status == 400
    question.refresh_from_db()
    assert question.best_answer_id is None and question.closed_at is None
    assert question.answer_count == 0  # the hidden one does not count


def test_hiding_the_best_answer_clears_it_and_reopens(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    services.mark_best(people["anna"], question, answer.pk)
    services.hide_answer(answer)
    question.refresh_from_db()
    assert question.best_answer_id is None and question.closed_at is None
    assert question.answer_count == 0
    assert not access.can_view(people["anna"], Answer.objects.get(pk=answer.pk))


def test_editing_marks_edited_and_only_for_the_author(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    with pytest.raises(QuestionError) as refused:
        services.edit(people["bram"], question, "Iets heel anders hier", "")
    assert refused.value.status == 403
    services.edit(people["anna"], question, "Hoe vraag ik toegang aan tot het depot?", "<p>x</p>")
    question.refresh_from_db()
    assert question.title.endswith("depot?") and question.edited_at is not None
    with pytest.raises(QuestionError):
        services.edit_answer(people["bram"], answer, "Van mij nu")
    services.edit_answer(people["lotte"], answer, "Via het nieuwe formulier.")
    answer.refresh_from_db()
    assert answer.body == "Via het nieuwe formulier." and answer.edited_at is not None


def test_erasing_a_voter_lowers_the_scores(world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    services.vote(people["bram"], answer)
    services.vote(people["anna"], answer)
    services.remove_votes_of(people["bram"])
    answer.refresh_from_db()
    assert answer.score == 1 and AnswerVote.objects.filter(voter=people["anna"]).exists()
    assert timezone.now()
