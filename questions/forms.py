"""The questions' forms. They keep what the person typed; the services clean and check the rest
(questions/services.py), and the views put a refused field's message next to that field."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin
from meent.mentions import picker_attrs
from meent.params import NumberField, PageField, QueryForm

from .models import COMMUNITY_VISIBILITIES


def _rich_text(rows):
    return forms.Textarea(
        attrs={
            "rows": rows,
            "data-rich-text": "",
            # The editor's people picker (meent/frontend/editor.js).
            "data-mentions-url": picker_attrs()["data-mentions-url"],
        }
    )


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question"),
        max_length=200,
        help_text=_("In at least 3 words, for example “How do I request access to the archive?”"),
        error_messages={"required": _("Write your question.")},
    )
    body = forms.CharField(label=_("Details (optional)"), required=False, widget=_rich_text(10))
    visibility = forms.ChoiceField(
        label=_("Who may see the question"),
        choices=COMMUNITY_VISIBILITIES,
        initial=COMMUNITY_VISIBILITIES[0][0],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            # A group's question is seen by whoever may read the group's content.
            del self.fields["visibility"]


class AskForm(SubmissionKeyMixin, QuestionForm):
    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, group=group, **kwargs)
        # Similar questions while typing (questions/static/questions/similar.js).
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "data-similar-url": reverse("questions:similar"),
                "data-similar-group": group.slug if group is not None else "",
                "aria-describedby": "id_title_helptext similar-questions-status",
            }
        )


class AnswerForm(SubmissionKeyMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=_rich_text(8),
        error_messages={"required": _("Write your answer before you send it.")},
    )


class AnswerEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=_rich_text(8),
        error_messages={"required": _("Write your answer before you send it.")},
    )


class BestAnswerForm(forms.Form):
    answer = NumberField(label=_("Answer"), required=True)


class VoteForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Vote"), choices=[("up", "up"), ("remove", "remove")], required=False
    )


class ListQuery(QueryForm):
    # The page first: meent.params.paginate reads the form's first field.
    page = PageField(label=_("Page"))
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All questions")),
            ("unanswered", _("Without answers")),
            ("answered", _("With a best answer")),
        ],
    )


class AnswersPage(QueryForm):
    page = PageField(label=_("Page"))


class SimilarQuery(QueryForm):
    q = forms.CharField(label=_("Question"), required=False, strip=False, max_length=10_000)
    group = forms.SlugField(label=_("Group"), required=False, max_length=200)
