"""The agendas' one question: which occurrences of these events fall in a window of time.

``entries(events, since, until)`` answers it for any queryset of events (the community's, a
group's, a person's), already narrowed by the access policy, in the same number of queries for
ten events as for a thousand, repeating or not: one for the events (only the columns that place
them in time and name them, no model instances) and one for the moved or cancelled occurrences
of the repeating ones (none when none repeat), which ``recurrence.occurrences`` then uses
instead of asking per event.
The window uses ``starts_at`` and ``last_ends_at`` (the end of an event's last occurrence), so a
series that began long ago is found by the same query as a single meeting.

A list shows a page of them as cards: ``with_details(entries, user)`` loads those events whole,
with their group, going count and the reader's own answer, in one more query.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import namedtuple
from functools import cached_property

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from meent import access

from . import recurrence
from .models import Attendance, Event, OccurrenceChange

# An answer a person's own lists show ("not going" is no plan, so it is not shown).
SHOWN_ANSWERS = (Attendance.Status.GOING, Attendance.Status.MAYBE, Attendance.Status.WAITING)
# What places an event in time and names it: all a month's table needs.
BRIEF_FIELDS = (
    "pk",
    "title",
    "slug",
    "starts_at",
    "ends_at",
    "time_zone",
    "all_day",
    "recurrence",
    "status",
)
_Change = namedtuple("_Change", "event_id original_start cancelled starts_at ends_at")


class BriefEvent(namedtuple("BriefEvent", BRIEF_FIELDS)):
    """An event's row without a model instance: loading a thousand of those costs more than
    everything else an agenda does."""

    __slots__ = ()

    @property
    def is_cancelled(self):
        return self.status == Event.Status.CANCELLED

    @property
    def is_recurring(self):
        return bool(self.recurrence)


def _places_taken():
    """A correlated count of the sign-ups that hold a place (``Attendance.counts``): no join, so
    the events query stays one row per event."""
    taken = (
        Attendance.objects.filter(event=OuterRef("pk"), status=Attendance.Status.GOING)
        .filter(Q(person__isnull=False) | Q(confirmed_at__isnull=False))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def listed(events, user=None):
    """Events with what a card shows, in one query: the group, the places taken
    (``going_count``) and the reader's own answer (``my_answer``)."""
    events = (
        events.select_related("group")
        .defer("description")  # lists never show it
        .annotate(going_count=_places_taken())
    )
    if access.is_active_person(user):
        mine = Attendance.objects.filter(event=OuterRef("pk"), person_id=user.pk)
        events = events.annotate(
            my_answer=Subquery(mine.values("status")[:1], output_field=CharField())
        )
    else:
        events = events.annotate(my_answer=Value("", output_field=CharField()))
    return events


def entries(events, since=None, until=None, *, newest_first=False):
    """The occurrences of ``events`` that overlap [since, until), as ``Entry`` of a
    ``BriefEvent``, in time order (``newest_first``: the other way round). Cancelled
    occurrences are in it, marked: people should know a meeting will not take place."""
    if since is not None:
        events = events.filter(last_ends_at__gt=since)
    if until is not None:
        events = events.filter(starts_at__lt=until)
    rows = [BriefEvent(*row) for row in events.order_by().values_list(*BRIEF_FIELDS)]
    changes = {}
    repeating = [row.pk for row in rows if row.recurrence]
    if repeating:
        for change in OccurrenceChange.objects.filter(event_id__in=repeating).values_list(
            *_Change._fields
        ):
            change = _Change(*change)
            changes.setdefault(change.event_id, []).append(change)
    found = []
    for row in rows:
        for occurrence in recurrence.occurrences(
            row, since, until, changes=changes.get(row.pk, []), cancelled=True
        ):
            found.append(Entry(occurrence))
    found.sort(key=lambda entry: (entry.starts_at, entry.event.pk), reverse=newest_first)
    return found


def with_details(shown, user=None):
    """``shown`` (a page of entries) with their events loaded whole for the cards, in one
    query."""
    ids = {entry.event.pk for entry in shown}
    if not ids:
        return list(shown)
    full = {event.pk: event for event in listed(Event.objects.filter(pk__in=ids), user)}
    return [entry.detailed(full[entry.event.pk]) for entry in shown if entry.event.pk in full]


def upcoming(events, now=None):
    """Occurrences that have not ended yet, soonest first."""
    return entries(events, since=now or timezone.now())


def past(events, now=None):
    """Occurrences that have ended, the latest first."""
    now = now or timezone.now()
    return [
        entry for entry in entries(events, until=now, newest_first=True) if entry.ends_at <= now
    ]


def by_day(items):
    """[(day, [entries])] in the order given, one group per first day."""
    days = []
    for entry in items:
        if days and days[-1][0] == entry.first_day:
            days[-1][1].append(entry)
        else:
            days.append((entry.first_day, [entry]))
    return days


class Entry:
    """One occurrence as a card shows it (``{% event_when entry %}`` writes its times in the
    event's zone): the days it covers (in the reader's zone; an all-day event's in its own),
    its places and the reader's answer. Computed when asked: an agenda holds many entries and
    shows a page of them."""

    def __init__(self, occurrence):
        self.occurrence = occurrence
        self.event = occurrence.event
        self.starts_at = occurrence.starts_at
        self.ends_at = occurrence.ends_at

    def detailed(self, event):
        """The same occurrence of ``event`` loaded whole (``with_details``)."""
        return Entry(dataclasses.replace(self.occurrence, event=event))

    def __repr__(self):
        return f"<Entry {self.event.slug} {self.starts_at:%Y-%m-%d %H:%M}>"

    @property
    def cancelled(self):
        return self.occurrence.cancelled or self.event.is_cancelled

    @property
    def moved(self):
        return self.occurrence.moved

    @cached_property
    def zone(self):
        try:
            return recurrence.zone(self.event.time_zone)
        except recurrence.RecurrenceError:
            return timezone.get_current_timezone()

    @cached_property
    def start(self):
        """The start on the wall clock of the event's zone."""
        return self.starts_at.astimezone(self.zone)

    @cached_property
    def end(self):
        return self.ends_at.astimezone(self.zone)

    @cached_property
    def local_start(self):
        """The start in the reader's zone."""
        return timezone.localtime(self.starts_at)

    @cached_property
    def local_end(self):
        return timezone.localtime(self.ends_at)

    @cached_property
    def first_day(self) -> datetime.date:
        if self.event.all_day:
            return self.start.date()
        return self.local_start.date()

    @cached_property
    def last_day(self) -> datetime.date:
        """The last day it runs on: an end at midnight belongs to the day before."""
        end = self.end if self.event.all_day else self.local_end
        last = (end - datetime.timedelta(microseconds=1)).date()
        return max(last, self.first_day)

    @property
    def one_day(self):
        return self.first_day == self.last_day

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += datetime.timedelta(days=1)

    @property
    def places_left(self):
        """None without a limit."""
        if self.event.capacity is None:
            return None
        return max(self.event.capacity - (getattr(self.event, "going_count", 0) or 0), 0)

    @property
    def my_answer(self):
        answer = getattr(self.event, "my_answer", "") or ""
        return answer if answer in SHOWN_ANSWERS else ""

    @property
    def my_answer_label(self):
        return Attendance.Status(self.my_answer).label if self.my_answer else ""


def mine(user):
    """The events a person signed up for (going, maybe or waiting) or organises."""
    signed_up = Attendance.objects.filter(person_id=user.pk, status__in=SHOWN_ANSWERS).values(
        "event_id"
    )
    return Event.objects.visible_to(user).filter(Q(pk__in=signed_up) | Q(organiser_id=user.pk))
