"""The discussions' forms and query strings. The forms keep what the person typed; the services
clean and check it (discussions/services.py), and the views put a refused field's message next
to that field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin
from meent.mentions import picker_attrs
from meent.params import PageForm

SORTS = (("", _("Newest activity")), ("started", _("Newest started")))


class ListQuery(PageForm):
    """?sort=started&page=<n>: a group's discussions."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)


class ThreadQuery(PageForm):
    """?page=<n>&quote=<reply id or "start">: a thread, and the reply form quoting something."""

    quote = forms.RegexField(
        label=_("Quote"),
        regex=r"^(start|[1-9][0-9]{0,17})$",
        required=False,
        error_messages={"invalid": _("Choose a reply of this discussion to quote.")},
    )


class DiscussionForm(SubmissionKeyMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the discussion a title.")},
    )
    body = forms.CharField(
        label=_("What do you want to discuss?"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "data-rich-text": "",
                "data-mentions-url": picker_attrs()["data-mentions-url"],
            }
        ),
    )


class EditDiscussionForm(forms.Form):
    """Editing needs no key: saving twice is saving once."""

    title = DiscussionForm.base_fields["title"]
    body = DiscussionForm.base_fields["body"]


class ReplyForm(SubmissionKeyMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6, **picker_attrs()}),
        error_messages={"required": _("Write something before you send your reply.")},
        help_text=_("Plain text. Name someone with @ and their name to let them know."),
    )
    quote = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)


class EditReplyForm(forms.Form):
    body = ReplyForm.base_fields["body"]
