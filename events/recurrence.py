"""Recurring events: RFC 5545 rules (RRULE), expanded in the event's own time zone.

A weekly meeting at 10:00 in Amsterdam stays at 10:00 after the clocks change: the rule is
expanded over wall-clock times (dateutil's rrule, a kept library) and each start is placed in
the zone afterwards. The rule's text is read by icalendar's parser; we allow what people plan
with (daily, weekly, monthly, yearly, with an end: COUNT or UNTIL) and refuse what would flood
an agenda: a rule without an end, finer than a day, or with more than ``MAX_PER_YEAR``
occurrences in a year or ``MAX_OCCURRENCES`` in all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule
from django.utils.translation import gettext as _
from icalendar.prop import vRecur

MAX_PER_YEAR = 500
MAX_OCCURRENCES = 1000
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class RecurrenceError(ValueError):
    """A rule we do not take; the message says why, for the person who wrote it."""


@dataclass(frozen=True)
class Occurrence:
    """One time an event takes place. ``original_start``: where the rule puts it (iCalendar's
    RECURRENCE-ID), which differs from ``starts_at`` when the occurrence was moved."""

    event: object
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    original_start: datetime.datetime
    moved: bool = False
    cancelled: bool = False

    @property
    def is_recurring(self):
        return bool(self.event.recurrence)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RecurrenceError(_("Choose a time zone from the list.")) from error


def _parts(rule: str) -> dict:
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > 300 or "\n" in text or "\r" in text:
        raise RecurrenceError(
            _("Write the repetition as one RRULE line, such as FREQ=WEEKLY;COUNT=10.")
        )
    try:
        parts = vRecur.from_ical(text)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise RecurrenceError(
            _("This repetition cannot be read. Write it as FREQ=WEEKLY;COUNT=10, for example.")
        ) from error
    return dict(parts)


def _text(parts: dict) -> str:
    return vRecur(parts).to_ical().decode()


def _local(moment: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _aware(wall: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    # A wall-clock time that does not exist (the hour the clocks skip) moves forward with the
    # clocks, as calendar apps do; an ambiguous one takes its first occurrence (fold 0).
    aware = wall.replace(tzinfo=tz)
    back = aware.astimezone(datetime.UTC).astimezone(tz)
    if back.replace(tzinfo=None) != wall:
        aware = back
    return aware.astimezone(datetime.UTC)


def _rule(parts: dict, starts_at, tz) -> rrule.rrule:
    """The dateutil rule over wall-clock times (UNTIL, which RFC 5545 gives in UTC, too)."""
    parts = dict(parts)
    until = parts.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                value = _local(value, tz)
        else:  # a date: the whole day counts
            value = datetime.datetime.combine(value, datetime.time(23, 59, 59))
        parts["UNTIL"] = [value]
    text = _text(parts)
    return rrule.rrulestr(text, dtstart=_local(starts_at, tz))


def check_rule(rule: str, starts_at, time_zone: str) -> str:
    """The rule as we store it (upper case, no "RRULE:"), or RecurrenceError."""
    tz = zone(time_zone)
    parts = _parts(rule)
    frequency = (parts.get("FREQ") or [""])[0]
    if frequency not in FREQUENCIES:
        raise RecurrenceError(
            _("An event repeats at most daily: choose daily, weekly, monthly or yearly.")
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise RecurrenceError(
            _("Say when the repetition ends: after a number of times, or on a date.")
        )
    unknown = set(parts) - {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
    if unknown:
        raise RecurrenceError(
            _("This repetition uses parts we do not support: %(parts)s.")
            % {"parts": ", ".join(sorted(unknown))}
        )
    try:
        expanded = _rule(parts, starts_at, tz)
        starts = []
        for start in expanded:
            starts.append(start)
            if len(starts) > MAX_OCCURRENCES:
                break
    except (ValueError, TypeError, OverflowError) as error:
        raise RecurrenceError(
            _("This repetition cannot be read. Write it as FREQ=WEEKLY;COUNT=10, for example.")
        ) from error
    if not starts:
        raise RecurrenceError(_("This repetition gives no dates: check its end."))
    if len(starts) > MAX_OCCURRENCES:
        raise RecurrenceError(
            _("An event repeats at most %(max)s times; end the repetition sooner.")
            % {"max": MAX_OCCURRENCES}
        )
    for index in range(len(starts)):
        year_later = starts[index] + datetime.timedelta(days=365)
        following = index + MAX_PER_YEAR
        if following < len(starts) and starts[following] < year_later:
            raise RecurrenceError(
                _("An event repeats at most %(max)s times in a year.") % {"max": MAX_PER_YEAR}
            )
    return _text(parts)


def preset(
    kind: str, starts_at, time_zone: str, until: datetime.date | None = None, count=None
) -> str:
    """The rule of a choice in the form: ``weekly``, ``fortnightly``, ``monthly`` (on the same
    weekday of the month: "the second Tuesday"), ``monthly_last`` (the last such weekday)."""
    tz = zone(time_zone)
    local = _local(starts_at, tz)
    weekday = WEEKDAYS[local.weekday()]
    parts = {
        "weekly": {"FREQ": ["WEEKLY"]},
        "fortnightly": {"FREQ": ["WEEKLY"], "INTERVAL": [2]},
        "monthly": {"FREQ": ["MONTHLY"], "BYDAY": [f"{(local.day - 1) // 7 + 1}{weekday}"]},
        "monthly_last": {"FREQ": ["MONTHLY"], "BYDAY": [f"-1{weekday}"]},
    }.get(kind)
    if parts is None:
        raise RecurrenceError(_("Choose how often the event repeats."))
    if count:
        parts["COUNT"] = [int(count)]
    elif until:
        end = datetime.datetime.combine(until, datetime.time(23, 59, 59))
        parts["UNTIL"] = [_aware(end, tz)]
    return check_rule(_text(parts), starts_at, time_zone)


def starts(event, limit=MAX_OCCURRENCES + 1) -> list[datetime.datetime]:
    """Every start the rule gives (UTC), the event's own first; one start without a rule."""
    if not event.recurrence:
        return [event.starts_at]
    tz = zone(event.time_zone)
    result = []
    for wall in _rule(_parts(event.recurrence), event.starts_at, tz):
        result.append(_aware(wall, tz))
        if len(result) >= limit:
            break
    return result


def _end_for(event, start, tz):
    """An occurrence lasts as long on the wall clock as the first one does."""
    length = _local(event.ends_at, tz) - _local(event.starts_at, tz)
    return _aware(_local(start, tz) + length, tz)


def last_end(event) -> datetime.datetime:
    """When the event's last occurrence ends (for ``Event.last_ends_at``), moved ones included."""
    if not event.recurrence:
        return event.ends_at
    tz = zone(event.time_zone)
    ends = [_end_for(event, start, tz) for start in starts(event)]
    if event.pk:
        ends.extend(change.ends_at for change in event.changes.all() if change.ends_at)
    return max(ends)


def occurrences(event, since=None, until=None, changes=None, cancelled=False) -> list[Occurrence]:
    """The event's occurrences that overlap [since, until), with moved ones where they were
    moved to; cancelled ones only with ``cancelled=True`` (marked). ``changes``: the event's
    OccurrenceChange rows, when the caller loaded them for many events at once."""
    if not event.recurrence:
        result = [Occurrence(event, event.starts_at, event.ends_at, event.starts_at)]
    else:
        tz = zone(event.time_zone)
        if changes is None:
            changes = list(event.changes.all())
        by_start = {change.original_start: change for change in changes}
        result = []
        for start in starts(event):
            change = by_start.get(start)
            end = _end_for(event, start, tz)
            if change is None:
                result.append(Occurrence(event, start, end, start))
            elif change.cancelled:
                result.append(Occurrence(event, start, end, start, cancelled=True))
            else:
                result.append(
                    Occurrence(
                        event,
                        change.starts_at or start,
                        change.ends_at or end,
                        start,
                        moved=True,
                    )
                )
        result.sort(key=lambda occurrence: occurrence.starts_at)
    return [
        occurrence
        for occurrence in result
        if (cancelled or not occurrence.cancelled)
        and (since is None or occurrence.ends_at > since)
        and (until is None or occurrence.starts_at < until)
    ]
