"""What reporting a question or an answer means (moderation/targets.py): hiding sets
``hidden_at`` through the services (nobody sees it, search forgets it; a hidden answer no longer
counts, and a hidden best answer leaves its question without one, open again); deleting deletes
it (a question with its answers). The asker or the answer's author is its author; a group's
questions are handled by the group's owners and admins first."""

from moderation.models import Kind
from moderation.targets import Target, plain_excerpt, register


@register
class QuestionTarget(Target):
    kind = Kind.QUESTION
    model_label = "questions.Question"

    def queryset(self):
        return super().queryset().select_related("author", "group")

    def subject(self, obj):
        return {"key": "question", "title": obj.title}

    def excerpt(self, obj):
        return plain_excerpt(f"{obj.title} {obj.body}")

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide_question(obj)


@register
class AnswerTarget(Target):
    kind = Kind.ANSWER
    model_label = "questions.Answer"

    def queryset(self):
        return super().queryset().select_related("author", "question__group")

    def subject(self, obj):
        return {"key": "answer", "title": obj.question.title}

    def excerpt(self, obj):
        return plain_excerpt(obj.body)

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.question.group

    def hide(self, obj, moderator, reason):
        from . import services

        services.hide_answer(obj)

    def delete(self, obj, moderator, reason):
        from . import services

        services.delete_answer(obj)
