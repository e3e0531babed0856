"""The questions' pages: the lists and their filters, asking through the form (twice is once),
the page with the best answer first and the others by votes, the buttons (plain POST forms),
refusals with their reasons, both languages through the catalogue, both communities, and a flat
number of queries as questions and answers grow."""

import pytest
from django.conf import settings
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions import services
from questions.models import Answer, AnswerVote, Question
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.questions.conftest import ask, ask_in_group


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def dutch(text):
    with translation.override("nl"):
        return gettext(text)


def text_of(response):
    return response.content.decode()


def group_list(world):
    return reverse("group_questions:list", args=[world["group"].slug])


def test_a_member_asks_through_the_form_and_twice_is_once(client, world):
    client.force_login(world["people"]["anna"])
    url = reverse("group_questions:ask", args=[world["group"].slug])
    page = text_of(client.get(url))
    assert 'data-similar-url="/questions/similar.json"' in page
    assert 'data-similar-group="team"' in page and 'aria-live="polite"' in page
    assert 'name="submission_key"' in page
    data = {
        "title": "Hoe vraag ik toegang aan?",
        "body": "<p>Voor het <em>archief</em></p><img src=x onerror=alert(1)>",
        "submission_key": "a" * 32,
    }
    response = client.post(url, data)
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert question.get_absolute_url() == f"/groups/team/questions/{question.pk}/"
    assert "onerror" not in question.body and "<em>archief</em>" in question.body
    assert client.post(url, data).status_code == 302 and Question.objects.count() == 1


def test_bad_input_comes_back_with_the_message_at_its_field(client, world):
    english(client)
    client.force_login(world["people"]["anna"])
    url = reverse("group_questions:ask", args=[world["group"].slug])
    response = client.post(url, {"title": "Archief?", "submission_key": "b" * 32})
    assert response.status_code == 400
    assert "at least 3 words" in text_of(response) and 'value="Archief?"' in text_of(response)
    response = client.post(url, {"title": "", "submission_key": "c" * 32})
    assert response.status_code == 400 and "Write your question." in text_of(response)
    assert not Question.objects.exists()


def test_a_community_question_has_a_visibility_and_an_outsider_cannot_ask_in_the_group(
    client, world
):
    client.force_login(world["people"]["outsider"])
    response = client.post(
        reverse("questions:ask"),
        {"title": "Wie weet iets van Woo?", "visibility": "logged_in", "submission_key": "d" * 32},
    )
    question = Question.objects.get()
    assert response["Location"] == f"/questions/{question.pk}/"
    assert question.visibility == "logged_in" and question.group is None
    refused = client.get(reverse("group_questions:ask", args=[world["group"].slug]))
    assert refused.status_code == 403
    assert dutch("Only members of the group can ask questions in it.") in text_of(refused)


def test_the_page_shows_the_best_answer_first_then_by_votes_then_oldest(client, world):
    people = world["people"]
    question = ask_in_group(world)
    old = services.answer(people["lotte"], question, "<p>Eerste antwoord</p>")
    voted = services.answer(people["bram"], question, "<p>Populair antwoord</p>")
    best = services.answer(people["owner"], question, "<p>Het beste antwoord</p>")
    services.vote(people["anna"], voted)
    services.mark_best(people["anna"], question, best.pk)
    english(client)
    client.force_login(people["anna"])
    page = text_of(client.get(question.get_absolute_url()))
    assert (
        page.index("Het beste antwoord")
        < page.index("Populair antwoord")
        < page.index("Eerste antwoord")
    )
    assert "Best answer" in page  # in words, not colour only
    assert 'aria-pressed="true"' in page and 'aria-pressed="false"' in page
    assert "press again to take your vote back" in page
    assert "This question is closed" in page and "Reopen the question" in page
    # No answer form on a closed question.
    assert 'id="answer-form"' not in page
    assert old.pk


def test_the_page_in_dutch_by_default(client, world):
    question = ask_in_group(world)
    services.answer(world["people"]["lotte"], question, "Via het formulier.")
    client.force_login(world["people"]["bram"])
    page = text_of(client.get(question.get_absolute_url()))
    assert dutch("Vote up") in page and dutch("Vote up") != "Vote up"
    assert dutch("Send answer") in page and 'name="submission_key"' in page
    listing = text_of(client.get(group_list(world)))
    assert dutch("Ask a question") in listing and question.title in listing


def test_answer_vote_best_and_reopen_through_the_forms(client, world):
    people = world["people"]
    question = ask_in_group(world)
    client.force_login(people["lotte"])
    response = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "<p>Via het formulier.</p>", "submission_key": "e" * 32},
    )
    answer = Answer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{answer.pk}")
    # One's own answer: refused with a reason.
    english(client)
    own = client.post(reverse("questions:vote", args=[answer.pk]), {"vote": "up"})
    assert own.status_code == 403 and "cannot vote for your own answer" in text_of(own)
    client.force_login(people["bram"])
    vote = reverse("questions:vote", args=[answer.pk])
    assert client.post(vote, {"vote": "up"}).status_code == 302
    assert client.post(vote, {"vote": "up"}).status_code == 302  # pressed twice: once
    answer.refresh_from_db()
    assert answer.score == 1
    client.post(vote)  # without a choice: a toggle
    answer.refresh_from_db()
    assert answer.score == 0 and not AnswerVote.objects.exists()
    # Someone else than the asker or the managers: 403, nothing changed.
    best = reverse("questions:best", args=[question.pk])
    refused = client.post(best, {"answer": answer.pk})
    assert refused.status_code == 403 and "choose the best answer" in text_of(refused)
    client.force_login(people["anna"])
    assert client.post(best, {"answer": "x"}).status_code == 400
    assert client.post(best, {"answer": answer.pk}).status_code == 302
    question.refresh_from_db()
    assert question.best_answer_id == answer.pk and question.is_closed
    client.force_login(people["bram"])
    closed = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "Nog een", "submission_key": "f" * 32},
    )
    assert closed.status_code == 409 and "This question is closed" in text_of(closed)
    client.force_login(people["anna"])
    assert client.post(reverse("questions:reopen", args=[question.pk])).status_code == 302
    question.refresh_from_db()
    assert not question.is_closed


def test_a_hidden_answer_cannot_be_chosen_nor_voted(client, world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Weg ermee.")
    services.hide_answer(answer)
    client.force_login(people["anna"])
    response = client.post(reverse("questions:best", args=[question.pk]), {"answer": answer.pk})
    assert response.status_code == 400
    assert client.post(reverse("questions:vote", args=[answer.pk])).status_code == 404
    question.refresh_from_db()
    assert question.best_answer_id is None


def test_editing_a_question_and_an_answer_shows_edited(client, world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    english(client)
    client.force_login(people["anna"])
    edit = reverse("questions:edit", args=[question.pk])
    form = text_of(client.get(edit))
    assert "data-similar-url" not in form and "submission_key" not in form  # an edit: no key
    response = client.post(edit, {"title": "Hoe vraag ik het depot aan?", "body": ""})
    assert response.status_code == 302
    assert client.get(reverse("questions:edit_answer", args=[answer.pk])).status_code == 403
    client.force_login(people["lotte"])
    edit_answer = reverse("questions:edit_answer", args=[answer.pk])
    assert client.post(edit_answer, {"body": ""}).status_code == 400
    assert client.post(edit_answer, {"body": "Via het nieuwe formulier."}).status_code == 302
    page = text_of(client.get(question.get_absolute_url()))
    assert "het depot" in page and page.count(">edited<") + page.count("· edited") >= 2


def test_lists_filter_answered_and_unanswered(client, world):
    people = world["people"]
    open_one = ask_in_group(world, title="Waar staat de printer?")
    answered = ask_in_group(world, title="Wie beheert de website?")
    answer = services.answer(people["lotte"], answered, "Team web.")
    services.mark_best(people["anna"], answered, answer.pk)
    client.force_login(people["bram"])
    url = group_list(world)
    everything = text_of(client.get(url))
    assert open_one.title in everything and answered.title in everything
    assert everything.index(answered.title) < everything.index(open_one.title)  # newest activity
    unanswered = text_of(client.get(url + "?show=unanswered"))
    assert open_one.title in unanswered and answered.title not in unanswered
    only_answered = text_of(client.get(url + "?show=answered"))
    assert answered.title in only_answered and open_one.title not in only_answered
    assert client.get(url + "?show=nonsense").status_code == 400
    assert client.get(url + "?page=x").status_code == 400


def test_the_community_list_holds_community_and_readable_group_questions(client, world):
    people = world["people"]
    in_group = ask_in_group(world, title="Vraag in het team hier")
    community = ask(world, who="stranger", title="Vraag voor iedereen hier", visibility="public")
    own_org = ask(world, who="stranger", title="Vraag voor Oost alleen", visibility="organisation")
    url = reverse("questions:list")
    anonymous = text_of(client.get(url))
    assert community.title in anonymous
    assert in_group.title not in anonymous and own_org.title not in anonymous
    client.force_login(people["anna"])
    member = text_of(client.get(url))
    assert in_group.title in member and own_org.title not in member
    # A group question's address under /questions/ leads to its group's page.
    response = client.get(reverse("questions:question", args=[in_group.pk]))
    assert response.status_code == 302 and response["Location"] == in_group.get_absolute_url()
    client.force_login(people["outsider"])
    assert client.get(in_group.get_absolute_url()).status_code == 404


def test_a_switched_off_tab_hides_everything(client, world):
    question = ask_in_group(world)
    group = world["group"]
    group.questions_enabled = False
    group.save()
    client.force_login(world["people"]["anna"])
    assert client.get(group_list(world)).status_code == 404
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.title not in text_of(client.get(reverse("questions:list")))
    assert "/groups/team/questions/" not in text_of(client.get(group.get_absolute_url()))


def test_another_communitys_question_leads_to_its_host_and_is_not_listed_here(
    client, world, settings
):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.testserver", port=80, root_page=Page.objects.get(depth=1), site_name="Oost"
    )
    settings.ALLOWED_HOSTS = ["testserver", "oost.testserver"]
    there = ask(world, who="stranger", title="Een vraag uit het oosten", site_id=other.pk)
    here = ask(world, who="stranger", title="Een vraag van hier")
    response = client.get(there.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("http://oost.testserver")
    listing = text_of(client.get(reverse("questions:list")))
    assert here.title in listing and there.title not in listing
    oost = text_of(client.get(reverse("questions:list"), HTTP_HOST="oost.testserver"))
    assert there.title in oost and here.title not in oost


def _counted(client, url):
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_lists_take_the_same_queries_for_10_and_1000_questions(
    client, world, django_assert_max_num_queries
):
    people = world["people"]
    client.force_login(people["bram"])

    def fill(count):
        have = Question.objects.count()
        rows = [
            Question(
                group=world["group"] if number % 2 else None,
                author=people["anna" if number % 3 else "lotte"],
                title=f"Vraag nummer {number} over iets",
                visibility="public",
            )
            for number in range(have, count)
        ]
        Question.objects.bulk_create(rows)
        for question in Question.objects.filter(best_answer__isnull=True)[:3]:
            answer = Answer.objects.create(question=question, author=people["owner"], body="x")
            Question.objects.filter(pk=question.pk).update(best_answer=answer, answer_count=1)

    fill(10)
    counts = {url: _counted(client, url) for url in (group_list(world), reverse("questions:list"))}
    fill(1000)
    for url, counted in counts.items():
        assert 0 < counted <= 40
        reset_queries()
        with django_assert_max_num_queries(counted):
            assert client.get(url).status_code == 200
    second = text_of(client.get(reverse("questions:list") + "?page=2"))
    assert "Vraag nummer" in second


def test_the_page_takes_the_same_queries_for_5_and_500_answers(
    client, world, django_assert_max_num_queries
):
    people = world["people"]
    question = ask_in_group(world)
    voters = [UserFactory() for _ in range(3)]
    for voter in voters:
        MembershipFactory(group=world["group"], user=voter, role="member")

    def fill(count):
        have = Answer.objects.filter(question=question).count()
        Answer.objects.bulk_create(
            [
                Answer(question=question, author=people["lotte"], body=f"<p>Antwoord {n}</p>")
                for n in range(have, count)
            ]
        )
        Question.objects.filter(pk=question.pk).update(answer_count=count)

    fill(5)
    first = Answer.objects.filter(question=question).first()
    services.vote(people["bram"], first)
    services.mark_best(people["anna"], question, first.pk)
    client.force_login(people["bram"])
    url = question.get_absolute_url()
    counted = _counted(client, url)
    assert 0 < counted <= 45
    fill(500)
    reset_queries()
    with django_assert_max_num_queries(counted):
        response = client.get(url)
    assert text_of(response).count('<li id="answer-') == 51  # the best one and a page of 50
    assert "Antwoord" in text_of(client.get(url + "?page=10"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_answers_in_both_languages(client, world, language):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    community = ask(world, title="Vraag voor iedereen hier")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people["anna"])
    pages = [
        group_list(world),
        reverse("group_questions:ask", args=["team"]),
        question.get_absolute_url(),
        reverse("questions:list"),
        reverse("questions:ask"),
        community.get_absolute_url(),
        reverse("questions:edit", args=[question.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in text_of(response), page
    client.force_login(people["lotte"])
    assert client.get(reverse("questions:edit_answer", args=[answer.pk])).status_code == 200


def test_an_archived_group_shows_its_questions_but_takes_nothing(client, world):
    people = world["people"]
    question = ask_in_group(world)
    answer = services.answer(people["lotte"], question, "Via het formulier.")
    group = world["group"]
    group.is_archived = True
    group.save()
    client.force_login(people["bram"])
    assert client.get(question.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "Nog eentje", "submission_key": "9" * 32},
    )
    assert response.status_code == 409
    assert client.post(reverse("questions:vote", args=[answer.pk])).status_code == 409
    assert Answer.objects.count() == 1


def test_a_listed_open_group_is_read_by_everyone(client, world):
    owner = world["people"]["owner"]
    open_group = GroupFactory(slug="open", name="Open", content_default="open")
    MembershipFactory(group=open_group, user=owner, role="owner")
    from questions import services as question_services

    question = question_services.ask(owner, "Wat is het open beleid?", "", group=open_group)
    assert client.get(question.get_absolute_url()).status_code == 200
    assert question.title in text_of(client.get(reverse("questions:list")))


def test_a_bad_answers_page_says_why_and_beyond_the_end_is_the_last_page(client, world):
    question = ask_in_group(world)
    services.answer(world["people"]["lotte"], question, "Via het formulier.")
    english(client)
    client.force_login(world["people"]["bram"])
    bad = client.get(question.get_absolute_url() + "?page=x")
    assert bad.status_code == 400 and "is not a page number" in text_of(bad)
    beyond = client.get(question.get_absolute_url() + "?page=99")
    assert beyond.status_code == 200 and "Via het formulier." in text_of(beyond)
    assert "There is no page 99" in text_of(beyond)
