"""The polls' forms. They keep what the person typed; the services clean and check the rest
(polls/services.py), and the views put a refused field's message next to that field.

The options are rows of one name (``option``), as many as the form shows: it offers
``EMPTY_ROWS`` empty ones, and "Add more options" sends the form back to itself with more rows
(without JavaScript; polls/static/polls/options.js adds a row in place). The end is typed as a
wall-clock time in the community's time zone (settings.TIME_ZONE), as events read theirs.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin

from .models import MAX_OPTIONS, Poll
from .services import PollInput

EMPTY_ROWS = 5
MORE_ROWS = 5
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def wall_clock(value):
    """The aware datetime Django's field made (in the active zone) read as a wall-clock time in
    the community's zone instead (see events/forms.py)."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, ZoneInfo(settings.TIME_ZONE))


class PollForm(SubmissionKeyMixin, forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        error_messages={"required": _("Ask a question.")},
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text: what the question is about, and what happens with the answer."),
    )
    multiple = forms.TypedChoiceField(
        label=_("Answers"),
        choices=(("0", _("One option")), ("1", _("More than one option"))),
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    max_choices = forms.IntegerField(
        label=_("At most this many options (optional, with more than one)"),
        required=False,
        min_value=1,
        max_value=MAX_OPTIONS,
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=DATETIME_WIDGET,
        error_messages={"required": _("Give the date and time the poll ends.")},
        help_text=_("Dutch time (Amsterdam)."),
    )
    results = forms.ChoiceField(
        label=_("Results shown"),
        choices=Poll.Results.choices,
        initial=Poll.Results.AFTER_VOTE,
        widget=forms.RadioSelect,
    )
    anonymous = forms.TypedChoiceField(
        label=_("Votes"),
        choices=(
            ("1", _("Anonymous: nobody sees who voted what")),
            ("0", _("Named: the group's owners and admins see who voted what")),
        ),
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, options_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.options_locked = options_locked
        if options_locked:
            for name in ("multiple", "max_choices", "results", "anonymous"):
                del self.fields[name]

    def option_values(self) -> list[str]:
        if self.is_bound:
            return [value[:1000] for value in self.data.getlist("option")][: MAX_OPTIONS * 2]
        return list(self.initial.get("options", []))

    def option_rows(self) -> list[str]:
        """The rows shown: the options typed so far, then empty rows (``EMPTY_ROWS`` at least,
        ``MORE_ROWS`` more after "Add more options"), never more than ``MAX_OPTIONS`` in all
        unless more were typed."""
        filled = [value for value in self.option_values() if value.strip()]
        wanted = max(len(filled) + 2, EMPTY_ROWS)
        if self.is_bound and "more" in self.data:
            wanted = len(filled) + MORE_ROWS
        blanks = max(min(wanted, MAX_OPTIONS) - len(filled), 0)
        return filled + [""] * blanks

    def clean(self):
        data = super().clean()
        if data.get("ends_at"):
            data["ends_at"] = wall_clock(data["ends_at"])
        return data

    def to_input(self) -> PollInput:
        data = self.cleaned_data
        return PollInput(
            question=data["question"],
            description=data.get("description") or "",
            options=[] if self.options_locked else self.option_values(),
            multiple=bool(data.get("multiple")),
            max_choices=data.get("max_choices"),
            ends_at=data.get("ends_at"),
            results=data.get("results") or Poll.Results.AFTER_VOTE,
            anonymous=data.get("anonymous", True),
        )

    @classmethod
    def initial_for(cls, poll):
        zone = ZoneInfo(settings.TIME_ZONE)
        return {
            "question": poll.question,
            "description": poll.description,
            "multiple": "1" if poll.multiple else "0",
            "max_choices": poll.max_choices,
            "ends_at": timezone.localtime(poll.ends_at, zone).replace(tzinfo=None),
            "results": poll.results,
            "anonymous": "1" if poll.anonymous else "0",
            "options": [option.label for option in poll.options.all()],
        }
