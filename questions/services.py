"""Everything that changes questions, answers and votes, with its rules, in one place.

Views turn ``QuestionError`` into a form error or a message with a 4xx status. What the lists and
the page show is kept on the rows here: a question's ``answer_count`` and ``last_activity_at``
under a row lock on the question, an answer's ``score`` with F() under a row lock on the answer,
so two votes of one person at one moment count once (the second finds the first's row) and no
page ever counts votes. Search, notifications and the followers hear of a change after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import services as stream
from meent import access
from meent.mentions import people_in_html
from meent.mentions import services as mentions
from meent.refusals import Refused
from meent.sanitize import clean_html, clean_text
from search.indexing import queue_ids

from . import policies
from .models import COMMUNITY_VISIBILITIES, Answer, AnswerVote, Question

MAX_TITLE = 200
MIN_TITLE_WORDS = 3
VISIBILITIES = [value for value, _label in COMMUNITY_VISIBILITIES]


class QuestionError(Refused):
    """A refused change to a question, an answer or a vote (meent/refusals.py)."""


def reindex(question_ids) -> None:
    """Queue questions for search (their answers changed: the answers' text is in the entry)."""
    queue_ids("question", list(question_ids))


def clean_title(title) -> str:
    title = " ".join(clean_text(title or "").split())
    if not title:
        raise QuestionError(_("Write your question."), field="title")
    if len(title) > MAX_TITLE:
        raise QuestionError(_("A question has at most 200 characters."), field="title")
    if len(title.split()) < MIN_TITLE_WORDS:
        raise QuestionError(
            _("Ask your question in at least 3 words, so others can find it."), field="title"
        )
    return title


def _clean_body(body, field="body", required=False) -> str:
    if len(body or "") > settings.MEENT_BLOG_MAX_BODY:
        raise QuestionError(
            _("The text is too long: at most %(limit)s characters of HTML.")
            % {"limit": settings.MEENT_BLOG_MAX_BODY},
            413,
            field=field,
        )
    cleaned = clean_html(body or "")
    if required and not clean_text(cleaned).strip():
        raise QuestionError(_("Write your answer before you send it."), field=field)
    return cleaned


def _refuse_asking(user, group):
    if not access.is_active_person(user):
        raise QuestionError(_("Sign in to ask a question."), 403)
    if group is not None:
        if not group.questions_enabled:
            raise QuestionError(_("This group has no questions."), 404)
        if group.is_archived:
            raise QuestionError(_("This group is archived: nothing can be added to it."), 409)
        raise QuestionError(_("Only members of the group can ask questions in it."), 403)


# ---------------------------------------------------------------------------------------------
# Questions


def ask(
    user, title, body="", *, group=None, visibility=access.Visibility.PUBLIC, site_id=None
) -> Question:
    """Ask a question in ``group``, or on the community ``site_id`` with ``visibility``."""
    if not policies.may_ask_in(user, group):
        _refuse_asking(user, group)
    title = clean_title(title)
    body = _clean_body(body)
    if group is None and visibility not in VISIBILITIES:
        raise QuestionError(_("Choose who may see the question."), field="visibility")
    now = timezone.now()
    with transaction.atomic():
        question = Question.objects.create(
            group=group,
            site_id=None if group is not None else site_id,
            visibility=visibility if group is None else access.Visibility.PUBLIC,
            author=user,
            title=title,
            body=body,
            created_at=now,
            last_activity_at=now,
        )
        if group is not None:
            group.touch(now)
        mentions.record(question, people_in_html(body, exclude=user))
        stream.record("questions.asked", question, user, at=now)
        stream.follow_quietly(user, question)
        transaction.on_commit(lambda: notify_question_mentions(question.pk))
        transaction.on_commit(lambda: stream.announce("questions.asked", question))
    return question


def edit(user, question, title, body="", visibility=None) -> Question:
    if not access.can_edit(user, question):
        raise QuestionError(_("Only the person who asked a question can change it."), 403)
    title = clean_title(title)
    body = _clean_body(body)
    if question.group_id is None and visibility is not None and visibility not in VISIBILITIES:
        raise QuestionError(_("Choose who may see the question."), field="visibility")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        locked.title = title
        locked.body = body
        if locked.group_id is None and visibility is not None:
            locked.visibility = visibility
        locked.edited_at = timezone.now()
        locked.save(update_fields=["title", "body", "visibility", "edited_at"])
        mentions.record(locked, people_in_html(body, exclude=user))
        transaction.on_commit(lambda: notify_question_mentions(locked.pk))
    # Its answers' entries carry nothing of the question but its labels: the question's save
    # re-indexes it (search/signals.py).
    question.__dict__.update(
        {f: getattr(locked, f) for f in ("title", "body", "visibility", "edited_at")}
    )
    return question


def hide_question(question) -> None:
    """A moderator hid it: nobody sees it, search forgets it (the save re-indexes)."""
    question.hidden_at = timezone.now()
    question.save(update_fields=["hidden_at"])


# ---------------------------------------------------------------------------------------------
# Answers


def answer(user, question, body) -> Answer:
    if not access.is_active_person(user):
        raise QuestionError(_("Sign in to answer."), 403)
    if not access.can_view(user, question):
        raise QuestionError(_("This question does not exist or you may not see it."), 404)
    if not policies.may_answer(user, question):
        if question.group.is_archived:
            raise QuestionError(_("This group is archived: nothing can be added to it."), 409)
        raise QuestionError(_("Only members of the group can answer its questions."), 403)
    body = _clean_body(body, required=True)
    now = timezone.now()
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.closed_at is not None:
            raise QuestionError(
                _("This question is closed: it has a best answer. Its asker can reopen it."), 409
            )
        if locked.hidden_at is not None:
            raise QuestionError(_("This question does not exist or you may not see it."), 404)
        created = Answer.objects.create(question=locked, author=user, body=body, created_at=now)
        Question.objects.filter(pk=locked.pk).update(
            answer_count=F("answer_count") + 1, last_activity_at=now
        )
        created.question = question
        if question.group_id:
            question.group.touch(now)
        mentions.record(created, people_in_html(body, exclude=user))
        stream.record("questions.answered", created, user, at=now)
        stream.follow_quietly(user, question)
        transaction.on_commit(lambda: notify_answer(created.pk))
        transaction.on_commit(lambda: stream.announce("questions.answered", created))
        reindex([question.pk])
    question.answer_count = locked.answer_count + 1
    question.last_activity_at = now
    return created


def edit_answer(user, answer_obj, body) -> Answer:
    if not access.can_edit(user, answer_obj):
        raise QuestionError(_("Only the person who wrote an answer can change it."), 403)
    body = _clean_body(body, required=True)
    with transaction.atomic():
        Answer.objects.filter(pk=answer_obj.pk).update(body=body, edited_at=timezone.now())
        answer_obj.refresh_from_db(fields=["body", "edited_at"])
        mentions.record(answer_obj, people_in_html(body, exclude=user))
        transaction.on_commit(lambda: notify_answer_mentions(answer_obj.pk))
        reindex([answer_obj.question_id])
    return answer_obj


def hide_answer(answer_obj) -> None:
    """A moderator hid it: nobody sees it; it no longer counts, and when it was the best answer
    the question has none and is open again."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer_obj.question_id)
        updated = Answer.objects.filter(pk=answer_obj.pk, hidden_at__isnull=True).update(
            hidden_at=timezone.now()
        )
        if not updated:
            return
        changes = {"answer_count": F("answer_count") - 1}
        if question.best_answer_id == answer_obj.pk:
            changes.update(best_answer=None, closed_at=None)
        Question.objects.filter(pk=question.pk).update(**changes)
        reindex([question.pk])


def delete_answer(answer_obj) -> None:
    """A moderator deleted it: gone with its votes (the question's count follows)."""
    with transaction.atomic():
        hide_answer(answer_obj)
        answer_obj.delete()


# ---------------------------------------------------------------------------------------------
# Votes


def _votable(user, answer_obj) -> Answer:
    if not access.is_active_person(user):
        raise QuestionError(_("Sign in to vote."), 403)
    if not access.can_view(user, answer_obj):
        raise QuestionError(_("This answer does not exist or you may not see it."), 404)
    if answer_obj.author_id == user.pk:
        raise QuestionError(_("You cannot vote for your own answer."), 403)
    question = answer_obj.question
    if question.group_id and question.group.is_archived:
        raise QuestionError(_("This group is archived: nothing can change in it."), 409)
    return answer_obj


def vote(user, answer_obj) -> bool:
    """Vote the answer up; a second vote of the same person changes nothing. Returns whether a
    vote was added."""
    _votable(user, answer_obj)
    with transaction.atomic():
        # The lock orders two votes of one person: the second finds the first's row.
        Answer.objects.select_for_update().filter(pk=answer_obj.pk).first()
        if AnswerVote.objects.filter(answer=answer_obj, voter=user).exists():
            return False
        try:
            with transaction.atomic():
                AnswerVote.objects.create(answer=answer_obj, voter=user)
        except IntegrityError:  # pragma: no cover - the lock makes this the rare path
            return False
        Answer.objects.filter(pk=answer_obj.pk).update(score=F("score") + 1)
    answer_obj.refresh_from_db(fields=["score"])
    return True


def unvote(user, answer_obj) -> bool:
    """Take one's vote back; returns whether there was one."""
    _votable(user, answer_obj)
    with transaction.atomic():
        Answer.objects.select_for_update().filter(pk=answer_obj.pk).first()
        deleted, _rows = AnswerVote.objects.filter(answer=answer_obj, voter=user).delete()
        if deleted:
            Answer.objects.filter(pk=answer_obj.pk).update(score=F("score") - 1)
    answer_obj.refresh_from_db(fields=["score"])
    return bool(deleted)


def remove_votes_of(user) -> list[int]:
    """The person's votes go (their account is deleted): each answer's score goes down with
    them. Returns the questions whose answers' scores changed."""
    with transaction.atomic():
        answer_ids = list(AnswerVote.objects.filter(voter=user).values_list("answer_id", flat=True))
        if not answer_ids:
            return []
        # Locks in one order (by id), as every vote takes them one at a time.
        list(Answer.objects.select_for_update().filter(pk__in=answer_ids).order_by("pk"))
        AnswerVote.objects.filter(voter=user).delete()
        Answer.objects.filter(pk__in=answer_ids).update(score=F("score") - 1)
        return list(
            Answer.objects.filter(pk__in=answer_ids)
            .values_list("question_id", flat=True)
            .distinct()
        )


# ---------------------------------------------------------------------------------------------
# The best answer


def mark_best(user, question, answer_id) -> Answer:
    """Mark the answer the best one (replacing another), which closes the question."""
    if not policies.may_decide(user, question):
        if not access.can_view(user, question):
            raise QuestionError(_("This question does not exist or you may not see it."), 404)
        raise QuestionError(
            _(
                "Only the person who asked, or the group's owners and admins, choose the best answer."
            ),
            403,
        )
    now = timezone.now()
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        chosen = (
            Answer.objects.filter(pk=answer_id, question_id=locked.pk, hidden_at__isnull=True)
            .select_related("author")
            .first()
            if isinstance(answer_id, int)
            else None
        )
        if chosen is None:
            raise QuestionError(_("That is not a visible answer to this question."), 400)
        changed = locked.best_answer_id != chosen.pk
        Question.objects.filter(pk=locked.pk).update(
            best_answer=chosen, closed_at=locked.closed_at or now, last_activity_at=now
        )
        if changed:
            stream.record("questions.best_answer", chosen, user, at=now)
            transaction.on_commit(lambda: notify_best(chosen.pk, user.pk))
        reindex([locked.pk])
    question.best_answer_id = chosen.pk
    question.closed_at = locked.closed_at or now
    question.last_activity_at = now
    chosen.question = question
    return chosen


def reopen(user, question) -> Question:
    """New answers are welcome again (the best answer stays marked until another is)."""
    if not policies.may_decide(user, question):
        if not access.can_view(user, question):
            raise QuestionError(_("This question does not exist or you may not see it."), 404)
        raise QuestionError(
            _("Only the person who asked, or the group's owners and admins, reopen a question."),
            403,
        )
    Question.objects.filter(pk=question.pk).update(closed_at=None)
    question.closed_at = None
    return question


# ---------------------------------------------------------------------------------------------
# Telling people (after commit)


def _texts(person, question):
    return {"person": person.display_name, "title": question.title}


def notify_question_mentions(question_id: int) -> int:
    from notifications import notify

    question = Question.objects.select_related("author", "group").filter(pk=question_id).first()
    if question is None or question.author is None:
        return 0
    return mentions.tell_pending(
        question,
        lambda person: notify(
            person,
            "mention",
            "questions.mention",
            question.get_absolute_url(),
            params=_texts(question.author, question),
            about=question,
            actor=question.author,
        ),
    )


def notify_answer(answer_id: int) -> None:
    """The asker hears of a new answer; the people it mentions too (each once)."""
    from notifications import notify

    created = (
        Answer.objects.select_related("author", "question__author", "question__group")
        .filter(pk=answer_id)
        .first()
    )
    if created is None or created.author is None:
        return
    question = created.question
    told = set()
    if question.author is not None:
        notify(
            question.author,
            "conversations",
            "questions.answered",
            created.get_absolute_url(),
            params=_texts(created.author, question),
            about=created,
            actor=created.author,
        )
        told.add(question.author_id)
    _tell_answer_mentions(created, told)


def _tell_answer_mentions(created, told=()):
    from notifications import notify

    mentions.tell_pending(
        created,
        lambda person: (
            person.pk not in told
            and notify(
                person,
                "mention",
                "questions.answer_mention",
                created.get_absolute_url(),
                params=_texts(created.author, created.question),
                about=created,
                actor=created.author,
            )
        ),
    )


def notify_answer_mentions(answer_id: int) -> None:
    """After an edit: the people the answer mentions now and did not before."""
    created = (
        Answer.objects.select_related("author", "question__group").filter(pk=answer_id).first()
    )
    if created is None or created.author is None or created.hidden_at is not None:
        return
    _tell_answer_mentions(created)


def notify_best(answer_id: int, decided_by_id: int) -> None:
    """The answer's author hears that it was marked the best."""
    from accounts.models import User
    from notifications import notify

    chosen = Answer.objects.select_related("author", "question__group").filter(pk=answer_id).first()
    decider = User.objects.filter(pk=decided_by_id).first()
    if chosen is None or chosen.author is None or decider is None:
        return
    notify(
        chosen.author,
        "conversations",
        "questions.best_answer",
        chosen.get_absolute_url(),
        params=_texts(decider, chosen.question),
        about=chosen,
        actor=decider,
    )
