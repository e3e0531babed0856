"""The demo's questions: asked in three groups, on the main community and on Regio Oost, some
with a best answer and votes, one without answers; loading again makes nothing twice; a broken
data file names its place."""

import pytest
import yaml

from demo.loader import DemoDataError
from questions.models import Answer, AnswerVote, Question
from tests.demo import demo_once  # noqa: F401 (the fixture)


def test_the_demo_has_questions_answered_unanswered_and_on_both_communities(demo_once, db):  # noqa: F811
    questions = {q.title: q for q in Question.objects.select_related("group", "best_answer")}
    assert len(questions) == 5
    eupl = questions[
        "Hoe werkt publiceren onder de EUPL als we code van een leverancier hergebruiken?"
    ]
    assert eupl.group.slug == "open-source-overheid" and eupl.answer_count == 2
    assert eupl.is_closed and eupl.best_answer.score == 2
    unanswered = questions[
        "Wat kost een licentie voor een dashboardtool als we met meer diensten delen?"
    ]
    assert unanswered.answer_count == 0 and unanswered.best_answer is None
    community = [q for q in questions.values() if q.group is None]
    assert {q.site.hostname for q in community} >= {"oost.localhost"}
    assert len(community) == 2
    assert AnswerVote.objects.count() == 6
    assert Answer.objects.count() == 6


def test_loading_the_questions_again_makes_nothing_twice(demo_once, db):  # noqa: F811
    from accounts.models import User
    from demo.questions import load_questions

    people = {person.email: person for person in User.objects.all()}
    load_questions(people)
    assert Question.objects.count() == 5 and AnswerVote.objects.count() == 6


def test_a_broken_questions_file_says_where(tmp_path):
    from demo.questions import read

    (tmp_path / "questions.yaml").write_text(
        yaml.safe_dump({"questions": [{"asker": "a@b.nl", "title": 3}]}), encoding="utf-8"
    )
    with pytest.raises(DemoDataError) as error:
        read(tmp_path)
    assert "questions.yaml" in str(error.value)
