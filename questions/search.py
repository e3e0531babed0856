"""Questions in search (see search/registry.py): the question as the title; its details and the
text of its visible answers as the body, so a question is found by what was answered; the
group's name as context. The date is the last activity. A hidden question, and every question of
a group whose questions tab is off, is not in the index. Answers have no entry of their own: the
services re-index their question when one is added, changed or hidden (``services.reindex``).
Whether a question has a best answer is read from its row where results are shown (similar.json).
"""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Answer, Question

# The most answers whose words go into the entry (the best and the highest voted first).
MAX_ANSWERS_INDEXED = 50


@register
class QuestionDocument(SearchDocument):
    model = Question
    type_name = "question"
    type_label = _("Questions")

    def get_queryset(self):
        return Question.objects.select_related("author", "group")

    def related_to(self, obj):
        if isinstance(obj, Group):
            return Question.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            # The asker's label and organisation.
            return Question.objects.filter(author_id=obj.pk)
        return None

    def should_index(self, question):
        return question.hidden_at is None and (
            question.group_id is None or question.group.questions_enabled
        )

    def prepare_title(self, question):
        return question.title

    def prepare_body(self, question):
        answers = Answer.objects.filter(question_id=question.pk, hidden_at__isnull=True)
        texts = answers.order_by("-score", "created_at").values_list("body", flat=True)
        return "\n".join([question.body, *texts[:MAX_ANSWERS_INDEXED]])

    def prepare_context(self, question):
        return question.group.name if question.group_id else ""

    def prepare_site_id(self, question):
        return question.community_id

    def prepare_organisation_id(self, question):
        return question.author.organisation_id if question.author_id else None

    def prepare_author_id(self, question):
        return question.author_id

    def prepare_date(self, question):
        return question.last_activity_at


@receiver(part_switched, dispatch_uid="questions_search_part_switched")
def questions_switched(sender, group, part, **kwargs):
    """The group's questions tab switched off or on: its questions leave search or come back."""
    if part == "questions":
        ids = Question.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        queue_ids(QuestionDocument.type_name, list(ids))
