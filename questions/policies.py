"""The access policy's rules for questions and answers (see meent/access.py).

- A group's question is seen by whoever may read the group's content; nobody sees the questions
  of a group whose questions tab is switched off (nothing is deleted: switching it back on brings
  them back).
- A community question is seen as its visibility says: everyone, everyone signed in, or the
  people of the asker's organisation (as a personal blog post); its asker always.
- A question hidden by a moderator is seen by nobody, also not its asker.
- An answer is seen by whoever sees its question; a hidden answer by nobody.
- Asking: in a group, those who may write there (its members, not in an archived group); on the
  community, every active signed-in person. Answering: who may see the question and, in a group,
  may write there. A best answer is marked (and the question reopened) by its asker or the
  group's owners and admins; on the community by its asker or a moderator.
"""

from django.db.models import Q

from groups.policies import can_manage, content_labels, content_q, is_member
from meent import access

from .models import Answer, Question

Visibility = access.Visibility


def question_labels(question) -> frozenset[str]:
    if question.hidden_at is not None:
        return frozenset()
    if question.group_id and not question.group.questions_enabled:
        return frozenset()
    own = frozenset({access.user_label(question.author_id)}) if question.author_id else frozenset()
    if question.group_id:
        return content_labels(question.group) | own
    if question.visibility == Visibility.PUBLIC:
        return frozenset({access.PUBLIC}) | own
    if question.visibility == Visibility.LOGGED_IN:
        return frozenset({access.LOGGED_IN}) | own
    if (
        question.visibility == Visibility.ORGANISATION
        and question.author_id
        and question.author.organisation_id
    ):
        return frozenset({access.org_label(question.author.organisation_id)}) | own
    return own


def question_q(user, prefix="") -> Q:
    """Questions ``user`` may see; ``prefix`` reaches them from another model ("question__")."""

    def field(name):
        return f"{prefix}{name}"

    active = access.is_active_person(user)
    community = [Visibility.PUBLIC]
    if active:
        community.append(Visibility.LOGGED_IN)
    community_q = Q(**{field("visibility__in"): community})
    if active and user.organisation_id:
        community_q |= Q(
            **{
                field("visibility"): Visibility.ORGANISATION,
                field("author__organisation_id"): user.organisation_id,
            }
        )
    seen = (Q(**{field("group__isnull"): False}) & content_q(user, prefix=field("group__"))) | (
        Q(**{field("group__isnull"): True}) & community_q
    )
    if active:
        seen |= Q(**{field("author_id"): user.pk})
    # Hidden, or in a group whose questions tab is off: nobody, also not the asker.
    tab_on = Q(**{field("group__isnull"): True}) | Q(**{field("group__questions_enabled"): True})
    return seen & Q(**{field("hidden_at__isnull"): True}) & tab_on


def may_ask_in(user, group) -> bool:
    """Whether the person may ask a question in the group (``None``: on the community)."""
    if not access.is_active_person(user):
        return False
    if group is None:
        return True
    return group.questions_enabled and not group.is_archived and is_member(user, group)


def may_answer(user, question) -> bool:
    """Whether the person may answer (an open question is asked by the services)."""
    if not access.is_active_person(user) or not access.can_view(user, question):
        return False
    return question.group_id is None or may_ask_in(user, question.group)


def may_decide(user, question) -> bool:
    """Mark the best answer and reopen: the asker, or the group's owners and admins (on the
    community: a moderator)."""
    if not access.is_active_person(user) or not access.can_view(user, question):
        return False
    if question.group_id and question.group.is_archived:
        return False
    if question.author_id == user.pk:
        return True
    if question.group_id:
        return can_manage(user, question.group)
    return access.is_moderator(user)


@access.register(Question)
class QuestionPolicy(access.Policy):
    def labels(self, question):
        return question_labels(question)

    def visible_q(self, user):
        return question_q(user)

    def can_edit(self, user, question):
        if question.author_id != user.pk or question.hidden_at is not None:
            return False
        return may_ask_in(user, question.group)

    def can_moderate(self, user, question):
        if access.is_moderator(user):
            return True
        return question.group_id is not None and can_manage(user, question.group)


@access.register(Answer)
class AnswerPolicy(access.Policy):
    def labels(self, answer):
        if answer.hidden_at is not None:
            return frozenset()
        return question_labels(answer.question)

    def visible_q(self, user):
        return question_q(user, prefix="question__") & Q(hidden_at__isnull=True)

    def can_edit(self, user, answer):
        if answer.author_id != user.pk or answer.hidden_at is not None:
            return False
        return may_answer(user, answer.question)

    def can_moderate(self, user, answer):
        return QuestionPolicy().can_moderate(user, answer.question)
