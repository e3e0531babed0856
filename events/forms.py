"""The events' forms. They keep what the person typed; the services clean and check the rest
(events/services.py), and the views put a refused field's message next to that field.

Times are typed as wall-clock times in the event's own time zone (the form's ``time_zone``), not
in the zone of the person's browser: a meeting in Amsterdam at 10:00 is typed as 10:00.
"""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meent.idempotency import SubmissionKeyMixin
from meent.mentions import picker_attrs
from meent.uploads import validate_image

from . import recurrence
from .models import Attendance, Event
from .services import EventInput, jitsi_url

# The zones people in the Dutch public sector plan in; an event keeps any zone it already has.
TIME_ZONES = (
    ("Europe/Amsterdam", _("Amsterdam, Brussels, Paris, Berlin (Central European Time)")),
    ("Europe/London", _("London, Dublin, Lisbon")),
    ("UTC", _("UTC")),
    ("America/Kralendijk", _("Bonaire, Sint Eustatius, Saba, Aruba, Curaçao")),
    ("America/Paramaribo", _("Paramaribo")),
    ("America/New_York", _("New York, Washington")),
    ("Asia/Jakarta", _("Jakarta")),
)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Repeat:
    NEVER = ""
    CUSTOM = "custom"
    CHOICES = (
        (NEVER, _("Does not repeat")),
        ("weekly", _("Every week")),
        ("fortnightly", _("Every other week")),
        ("monthly", _("Every month on the same weekday (such as the second Tuesday)")),
        ("monthly_last", _("Every month on the last such weekday")),
        (CUSTOM, _("Another rule (RRULE)")),
    )


def _wall(value: datetime.datetime, zone_name: str) -> datetime.datetime:
    """The aware datetime Django's field made (in the active zone) read as a wall-clock time in
    ``zone_name`` instead."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, ZoneInfo(zone_name))


class EventForm(SubmissionKeyMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the event a title.")}
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "data-rich-text": "",
                "data-mentions-url": picker_attrs()["data-mentions-url"],
            }
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=DATETIME_WIDGET,
        error_messages={"required": _("Give the date and time the event starts.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=DATETIME_WIDGET,
        error_messages={"required": _("Give the date and time the event ends.")},
    )
    all_day = forms.BooleanField(
        label=_("All day"),
        required=False,
        help_text=_("From the start day to the end day, whatever the times say."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONES, initial=settings.TIME_ZONE
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=Repeat.CHOICES, required=False)
    repeat_until = forms.DateField(
        label=_("Repeats until (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    repeat_count = forms.IntegerField(
        label=_("Or: number of times"),
        required=False,
        min_value=1,
        max_value=recurrence.MAX_OCCURRENCES,
    )
    rule = forms.CharField(
        label=_("Rule (RRULE)"),
        required=False,
        max_length=300,
        help_text=_("Only for “Another rule”, for example FREQ=MONTHLY;BYDAY=2TU;COUNT=10."),
    )
    location = forms.CharField(
        label=_("Address (optional)"),
        required=False,
        max_length=300,
        help_text=_("Where people meet; leave it empty for an online meeting only."),
    )
    online_meeting = forms.BooleanField(
        label=_("A video meeting room for this event"), required=False
    )
    online_url = forms.URLField(
        label=_("Link to the online meeting (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A web address starting with https://; shown only to people who signed up."),
    )
    capacity = forms.IntegerField(
        label=_("Places (optional)"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Leave empty for no limit. When it is full, people join a waiting list."),
        error_messages={
            "min_value": _("Give a number of places of at least 1, or leave it empty for no limit.")
        },
    )
    signup_deadline = forms.DateTimeField(
        label=_("Sign up until (optional)"), required=False, widget=DATETIME_WIDGET
    )
    audience = forms.ChoiceField(
        label=_("Who may sign up"), choices=Event.Audience.choices, widget=forms.RadioSelect
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the event"),
        choices=Event.Visibility.choices,
        initial=Event.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    cover = forms.FileField(
        label=_("Cover image (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    cover_alt = forms.CharField(
        label=_("Description of the cover image"),
        max_length=200,
        required=False,
        help_text=_("Required with a cover image: describe it for people who cannot see it."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    def __init__(self, *args, group=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        zone_names = [value for value, _label in TIME_ZONES]
        if event is not None and event.time_zone not in zone_names:
            self.fields["time_zone"].choices = [*TIME_ZONES, (event.time_zone, event.time_zone)]
        if group is not None:
            # A group's event is seen by whoever may read the group's content; guests without
            # an account sign up for community events only.
            del self.fields["visibility"]
            self.fields["audience"].choices = [
                choice for choice in Event.Audience.choices if choice[0] != Event.Audience.GUESTS
            ]
            self.fields["audience"].initial = Event.Audience.MEMBERS
        else:
            self.fields["audience"].choices = [
                choice for choice in Event.Audience.choices if choice[0] != Event.Audience.MEMBERS
            ]
            self.fields["audience"].initial = Event.Audience.SIGNED_IN
        if jitsi_url():
            self.fields["online_meeting"].help_text = _(
                "A room with an unguessable name on %(server)s, opened to the people who signed "
                "up shortly before the start."
            ) % {"server": jitsi_url()}
        else:
            del self.fields["online_meeting"]
        if event is None or not event.cover:
            del self.fields["remove_cover"]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover:
            validate_image(cover, settings.MEENT_BLOG_COVER_MAX_BYTES, scan=False)
        return cover

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone") or settings.TIME_ZONE
        for name in ("starts_at", "ends_at", "signup_deadline"):
            if data.get(name):
                data[name] = _wall(data[name], zone)
        if data.get("all_day") and data.get("starts_at") and data.get("ends_at"):
            tz = ZoneInfo(zone)
            first = timezone.localtime(data["starts_at"], tz).date()
            last = timezone.localtime(data["ends_at"], tz).date()
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(first, datetime.time()), tz
            )
            data["ends_at"] = timezone.make_aware(
                datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()), tz
            )
        repeat = data.get("repeat") or Repeat.NEVER
        data["recurrence"] = ""
        if repeat == Repeat.CUSTOM:
            if not data.get("rule"):
                self.add_error("rule", _("Write the rule, or choose another way of repeating."))
            elif data.get("starts_at"):
                try:
                    data["recurrence"] = recurrence.check_rule(
                        data["rule"], data["starts_at"], zone
                    )
                except recurrence.RecurrenceError as error:
                    self.add_error("rule", str(error))
        elif repeat and data.get("starts_at"):
            if not data.get("repeat_until") and not data.get("repeat_count"):
                self.add_error(
                    "repeat_until", _("Say when the repetition ends: a date or a number of times.")
                )
            else:
                try:
                    data["recurrence"] = recurrence.preset(
                        repeat,
                        data["starts_at"],
                        zone,
                        until=data.get("repeat_until"),
                        count=data.get("repeat_count"),
                    )
                except recurrence.RecurrenceError as error:
                    self.add_error("repeat_until", str(error))
        return data

    def to_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            title=data["title"],
            description=data.get("description") or "",
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            time_zone=data.get("time_zone") or settings.TIME_ZONE,
            all_day=bool(data.get("all_day")),
            location=data.get("location") or "",
            online_url=data.get("online_url") or "",
            online_meeting=bool(data.get("online_meeting")),
            capacity=data.get("capacity"),
            signup_deadline=data.get("signup_deadline"),
            audience=data.get("audience") or "",
            visibility=data.get("visibility") or Event.Visibility.PUBLIC,
            recurrence=data.get("recurrence") or "",
            cover=data.get("cover"),
            cover_alt=data.get("cover_alt") or "",
            remove_cover=bool(data.get("remove_cover")),
        )

    @classmethod
    def initial_for(cls, event):
        tz = ZoneInfo(event.time_zone)
        ends = event.ends_at
        if event.all_day:
            ends = ends - datetime.timedelta(days=1)
        initial = {
            "title": event.title,
            "description": event.description,
            "starts_at": timezone.localtime(event.starts_at, tz).replace(tzinfo=None),
            "ends_at": timezone.localtime(ends, tz).replace(tzinfo=None),
            "all_day": event.all_day,
            "time_zone": event.time_zone,
            "location": event.location,
            "online_url": event.online_url,
            "online_meeting": bool(event.meeting_room),
            "capacity": event.capacity,
            "signup_deadline": (
                timezone.localtime(event.signup_deadline, tz).replace(tzinfo=None)
                if event.signup_deadline
                else None
            ),
            "audience": event.audience,
            "visibility": event.visibility,
            "cover_alt": event.cover_alt,
        }
        if event.recurrence:
            initial["repeat"] = Repeat.CUSTOM
            initial["rule"] = event.recurrence
        return initial


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Attendance.Status.GOING, pgettext_lazy("my answer to an event", "I am going")),
            (Attendance.Status.MAYBE, pgettext_lazy("my answer to an event", "Maybe")),
            (Attendance.Status.NOT_GOING, pgettext_lazy("my answer to an event", "I am not going")),
        ],
        error_messages={
            "required": _("Choose going, maybe or not going."),
            "invalid_choice": _("Choose going, maybe or not going."),
        },
        widget=forms.RadioSelect,
    )
    share_details = forms.BooleanField(
        label=_("Share my e-mail address and organisation with the organisers"), required=False
    )


class OccurrenceForm(forms.Form):
    # The start the rule gives the occurrence, in ISO 8601 with its offset (UTC).
    original_start = forms.CharField(widget=forms.HiddenInput, max_length=40)
    action = forms.ChoiceField(
        label=_("What happens to this date"),
        choices=[("move", _("Move it")), ("cancel", _("Cancel only this date"))],
        widget=forms.RadioSelect,
        initial="move",
    )
    starts_at = forms.DateTimeField(label=_("New start"), required=False, widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("New end"), required=False, widget=DATETIME_WIDGET)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_original_start(self):
        from django.utils.dateparse import parse_datetime

        try:
            value = parse_datetime(self.cleaned_data["original_start"])
        except ValueError:
            value = None
        if value is None or timezone.is_naive(value):
            raise forms.ValidationError(_("This date of the event cannot be read."))
        return value.astimezone(datetime.UTC)

    def clean(self):
        data = super().clean()
        if self.event is not None:
            for name in ("starts_at", "ends_at"):
                if data.get(name):
                    data[name] = _wall(data[name], self.event.time_zone)
        return data
