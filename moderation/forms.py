import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin

from .models import Reason, Report
from .services import REASON_MAX_LENGTH


class ReportForm(SubmissionKeyMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this.")},
    )
    text = forms.CharField(
        label=_("Explain (optional; required for “Something else”)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The moderators read this. The author does not see who reported it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Say in a few words what is wrong."))
        return cleaned


SUSPENSION_CHOICES = [
    ("1", _("1 day")),
    ("7", _("1 week")),
    ("30", _("1 month")),
    ("90", _("3 months")),
    ("forever", _("For good")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to do with this report.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless you dismiss the report: the author is told this reason."),
    )
    suspend_for = forms.ChoiceField(
        label=_("Suspend for"),
        choices=SUSPENSION_CHOICES,
        initial="7",
        required=False,
        help_text=_("Only when you suspend the author."),
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DECISION_LABELS)
        self.fields["decision"].choices = [(value, labels[value]) for value in decisions]
        if "suspend" not in decisions:
            del self.fields["suspend_for"]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if (
            decision
            and decision != Report.Decision.DISMISS
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give a reason: the author is told why."))
        return cleaned


DECISION_LABELS = [
    ("dismiss", _("Dismiss: nothing wrong, it stays")),
    ("hide", _("Hide it (everyone, also search and chat history)")),
    ("delete", _("Delete it")),
    ("warn", _("Warn the author")),
    ("suspend", _("Suspend the author")),
]


# Suspending a person and lifting it, from the people admin (its buttons lead here).
class SuspendForm(SubmissionKeyMixin, forms.Form):
    LENGTH_UNTIL = "until"
    LENGTH_FOR_GOOD = "for_good"

    length = forms.ChoiceField(
        label=_("How long"),
        choices=[(LENGTH_UNTIL, _("Until a date")), (LENGTH_FOR_GOOD, _("For good"))],
        initial=LENGTH_UNTIL,
        widget=forms.RadioSelect,
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The person may sign in again from this day on."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person is told the reason by e-mail; it is kept in the audit log."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("length") == self.LENGTH_UNTIL:
            until = cleaned.get("until")
            if until is None:
                if "until" not in self.errors:
                    self.add_error("until", _("Choose the day the suspension ends."))
            elif until <= timezone.localdate():
                self.add_error("until", _("Choose a day in the future."))
        return cleaned

    def until_datetime(self):
        """The start of the chosen day in the site's time zone; None: for good."""
        if self.cleaned_data["length"] == self.LENGTH_FOR_GOOD:
            return None
        day = self.cleaned_data["until"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LiftSuspensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )
