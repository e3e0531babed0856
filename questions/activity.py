"""Questions in the activity stream (activity/registry.py): a question asked (news, in the
digest, announced to who follows the group at "every new item"), an answer given (who follows
the question hears of it; the asker is told by the services), a best answer chosen. Questions can
be followed (asking and answering follow them) and saved for later."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import Answer, Question


def register():
    registry.register_item(
        registry.Item(
            key="questions.question",
            model=Question,
            label=pgettext_lazy("what can be followed", "question"),
            title=lambda question: question.title,
            group_id=lambda question: question.group_id,
            site_id=lambda question: question.community_id,
            select_related=("group",),
        )
    )
    registry.register_item(
        registry.Item(
            key="questions.answer",
            model=Answer,
            label=pgettext_lazy("what can be followed", "answer"),
            title=lambda answer: answer.question.title,
            group_id=lambda answer: answer.question.group_id,
            site_id=lambda answer: answer.question.community_id,
            followable=False,
            bookmarkable=False,
            select_related=("question__group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="questions.asked",
            model=Question,
            message=_("{actor} asked {target}"),
            once=True,
            new_item=True,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="questions.answered",
            model=Answer,
            message=_("{actor} answered {target}"),
            thread=lambda answer: answer.question,
            # The asker hears of it from the services (questions.answered).
            told=lambda answer: {answer.question.author_id},
            thread_message="questions.followed_answer",
            select_related=("question__group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="questions.best_answer",
            model=Answer,
            message=_("{actor} chose the best answer to {target}"),
            digest=False,
            select_related=("question__group",),
        )
    )
