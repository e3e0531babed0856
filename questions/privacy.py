"""A person's questions, answers and votes (privacy/registry.py).

"Download my data" holds every question the person asked and every answer they wrote, with their
text, and the answers they voted for. A question one may no longer see (hidden, in a group one
left) is not named beside an answer or a vote: the question is the group's, the answer's words are
the person's own.

Deleting the account leaves the questions and answers in place, by a former member (the foreign
keys are SET_NULL): others answered and voted on them, and a group's knowledge must not vanish
because one member left. The person's votes go, and the scores they counted in go down with them
(through the services, under the answers' row locks). The search index hears of it: SET_NULL
sends no signals, and a question's answers are in its entry.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register
from search.indexing import queue_ids

from .models import Answer, AnswerVote, Question
from .search import QuestionDocument


def _visible_question_ids(user, question_ids):
    return set(
        Question.objects.visible_to(user).filter(pk__in=question_ids).values_list("pk", flat=True)
    )


def asked(user, files):
    rows = Question.objects.filter(author=user).select_related("group").order_by("created_at", "pk")
    return [
        {
            "question": q.title,
            "details": q.body,
            "group": q.group.name if q.group_id else None,
            "visibility": q.visibility if q.group_id is None else None,
            "asked": iso(q.created_at),
            "edited": iso(q.edited_at),
            "answers": q.answer_count,
            "closed": iso(q.closed_at),
            "link": absolute(q.get_absolute_url()),
        }
        for q in rows
    ]


def answered(user, files):
    rows = list(
        Answer.objects.filter(author=user)
        .select_related("question__group")
        .order_by("created_at", "pk")
    )
    visible = _visible_question_ids(user, {a.question_id for a in rows})
    return [
        {
            "question": a.question.title if a.question_id in visible else None,
            "answer": a.body,
            "written": iso(a.created_at),
            "edited": iso(a.edited_at),
            "votes": a.score,
            "best_answer": a.question.best_answer_id == a.pk,
            "link": absolute(a.get_absolute_url()) if a.question_id in visible else None,
        }
        for a in rows
    ]


def votes(user, files):
    rows = list(
        AnswerVote.objects.filter(voter=user)
        .select_related("answer__question__group")
        .order_by("created_at", "pk")
    )
    visible = _visible_question_ids(user, {v.answer.question_id for v in rows})
    return [
        {
            "question": v.answer.question.title if v.answer.question_id in visible else None,
            "link": absolute(v.answer.get_absolute_url())
            if v.answer.question_id in visible
            else None,
            "voted": iso(v.created_at),
        }
        for v in rows
    ]


def plan_questions(user):
    count = (
        Question.objects.filter(author=user).count() + Answer.objects.filter(author=user).count()
    )
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s question or answer you wrote stays, without your name.",
            "%(counter)s questions and answers you wrote stay, without your name.",
            count,
        )
        % {"counter": count}
    ]


def erase_questions(user, erasure):
    # They lose their author (SET_NULL sends no signals): labels and filters change.
    ids = set(Question.objects.filter(author=user).values_list("pk", flat=True))
    ids |= set(Answer.objects.filter(author=user).values_list("question_id", flat=True))
    queue_ids(QuestionDocument.type_name, sorted(ids))


def plan_votes(user):
    count = AnswerVote.objects.filter(voter=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s vote for an answer is deleted; its score goes down.",
            "%(counter)s votes for answers are deleted; their scores go down.",
            count,
        )
        % {"counter": count}
    ]


def erase_votes(user, erasure):
    from . import services

    services.remove_votes_of(user)


register(
    PrivacyPart(
        "questions_asked",
        _("Questions you asked"),
        112,
        export=asked,
        held=lambda user: Question.objects.filter(author=user),
        plan=plan_questions,
        erase=erase_questions,
    )
)
register(
    PrivacyPart(
        "answers_written",
        _("Answers you wrote"),
        114,
        export=answered,
        held=lambda user: Answer.objects.filter(author=user),
    )
)
register(
    PrivacyPart(
        "answer_votes",
        _("Votes for answers"),
        116,
        export=votes,
        held=lambda user: AnswerVote.objects.filter(voter=user),
        plan=plan_votes,
        erase=erase_votes,
    )
)
