"""The forms of guests and of the organisers' tools (events/guest_views.py,
events/organiser_views.py); the services check the rest (events/guests.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin

from .messages_out import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH
from .models import Attendance

NAME_MAX_LENGTH = Attendance._meta.get_field("guest_name").max_length


class GuestForm(SubmissionKeyMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Give your name."),
            "max_length": _("Your name is too long: at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your sign-up."),
        error_messages={
            "required": _("Give your e-mail address."),
            "invalid": _("Give a valid e-mail address, such as name@example.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    share_details = forms.BooleanField(
        label=_("Share my e-mail address and organisation with the organisers"), required=False
    )


class MessageForm(SubmissionKeyMixin, forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={"required": _("Give the message a subject.")},
    )
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Plain text; it is sent by e-mail as you write it."),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the message.")},
    )

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the message."))
        return text
