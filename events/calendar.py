"""Events as iCalendar (RFC 5545): one event's file, a group's feed and a person's feed.

Built with ``icalendar`` (a kept library), never by hand. A recurring event is one VEVENT with
its RRULE in the event's own time zone (with a VTIMEZONE, so a 10:00 meeting stays at 10:00 after
the clocks change); a cancelled occurrence is an EXDATE, a moved one a second VEVENT with the
same UID and a RECURRENCE-ID. UID and SEQUENCE let a calendar app update what it already has
instead of adding a copy; STATUS:CANCELLED tells it the event will not happen.

A calendar file is read outside Meent and passed around, so it never holds the online meeting
(its link is only for people who signed up, shortly before the start): LOCATION says "Online".

The personal feed's secret address (``CalendarFeed``) is made, renewed and stopped here too.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
from functools import lru_cache
from html.parser import HTMLParser

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vDuration, vRecur
from icalendar import Event as VEvent

from meent import sites
from meent.sanitize import without_bidi_controls

from . import recurrence
from .models import Attendance, CalendarFeed, Event, new_token

PRODID = "-//Meent//Events//NL"
# A feed shows what is coming and what happened lately (the last quarter).
FEED_PAST = datetime.timedelta(days=90)
# How often a calendar app should fetch a feed again (RFC 7986 and the older X- name).
REFRESH = datetime.timedelta(hours=1)
# Who has a place or hopes for one: their events are in their personal feed.
SIGNED_UP = (Attendance.Status.GOING, Attendance.Status.MAYBE, Attendance.Status.WAITING)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# An event's text is kept this long in the cache (a changed event has a new key at once); raise
# the version when the text is written differently.
CACHE_TIMEOUT = 24 * 3600
CACHE_VERSION = 1


# ---------------------------------------------------------------------------------------------
# Which events


def feed_window(events, now=None):
    """The events of a feed: those not over for more than ``FEED_PAST``, with their group and
    their moved or cancelled occurrences (one query for the events, one for the changes)."""
    now = now or timezone.now()
    return (
        events.filter(last_ends_at__gt=now - FEED_PAST)
        .select_related("group")
        .prefetch_related("changes")
        .order_by("starts_at", "pk")
    )


def group_events(user, group):
    """A group's events that ``user`` may see (anonymous: what a calendar app is shown)."""
    return feed_window(Event.objects.visible_to(user).filter(group=group))


def personal_events(person):
    """The events ``person`` signed up for (going, maybe, waiting) or organises, as far as they
    may see them now."""
    signed_up = Attendance.objects.filter(person=person, status__in=SIGNED_UP).values("event_id")
    mine = Q(pk__in=signed_up) | Q(organiser=person)
    return feed_window(Event.objects.visible_to(person).filter(mine))


# ---------------------------------------------------------------------------------------------
# The personal feed's secret address


def feed_of(person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def make_feed(person) -> CalendarFeed:
    """The person's feed address, made on first use (asking twice gives the same one)."""
    feed, _created = CalendarFeed.objects.get_or_create(person=person)
    return feed


def renew_feed(person) -> CalendarFeed:
    """A new secret address; the old one stops working at once (it is no longer in the table)."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
        if feed is None:
            return CalendarFeed.objects.create(person=person)
        feed.token = new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def stop_feed(person) -> None:
    """No personal feed any more: its address answers 404 from now on."""
    CalendarFeed.objects.filter(person=person).delete()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed of a token, with its person; None for a token that is not one (odd characters
    or length never reach the database) or that was renewed or stopped."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return CalendarFeed.objects.select_related("person").filter(token=token).first()


# ---------------------------------------------------------------------------------------------
# Plain text from the description's HTML


class _TextParser(HTMLParser):
    """The text of (already cleaned) HTML: a blank line after a block, a list item a line of its
    own."""

    BLOCKS = frozenset(
        {"p", "div", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
    )
    BREAKS = frozenset({"br", "hr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(description_html: str) -> str:
    """The description as plain text: paragraphs on lines of their own, no markup."""
    if not description_html:
        return ""
    parser = _TextParser()
    parser.feed(description_html)
    parser.close()
    text = without_bidi_controls(html.unescape("".join(parser.parts)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---------------------------------------------------------------------------------------------
# iCalendar


class Roots:
    """The root URL of each event's community (cached per community for one calendar); the
    request's own root for what belongs to no community."""

    def __init__(self, fallback: str):
        self.fallback = fallback.rstrip("/")
        self.known = {}

    def __call__(self, event) -> str:
        site_id = event.community_id
        if site_id not in self.known:
            root = sites.site_root_url(site_id) if site_id else ""
            self.known[site_id] = (root or self.fallback).rstrip("/")
        return self.known[site_id]


def _is_all_day(event) -> bool:
    return bool(event.all_day)


def _moment(event, value: datetime.datetime, tz, end=False):
    """A start or end as iCalendar writes it: a time in the event's zone, or a date for an
    all-day event (an end is the midnight after the last day: exclusive)."""
    local = value.astimezone(tz)
    if not _is_all_day(event):
        return local
    day = local.date()
    if end and local.time() != datetime.time(0):
        day += datetime.timedelta(days=1)
    return day


def _span(event, starts_at, ends_at, tz):
    start = _moment(event, starts_at, tz)
    end = _moment(event, ends_at, tz, end=True)
    if _is_all_day(event) and end <= start:
        end = start + datetime.timedelta(days=1)
    return start, end


def _rule(event, tz) -> vRecur:
    """The event's RRULE, with UNTIL in the form RFC 5545 asks beside a DTSTART with a time zone
    (UTC) or a date (a date). recurrence.py reads a date or a time without zone as the
    event's wall clock; the same here, so the calendar app expands what Meent shows."""
    parts = vRecur.from_ical(event.recurrence)
    until = parts.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime.datetime):
            local = value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
        else:  # a date: the whole day counts
            local = datetime.datetime.combine(value, datetime.time(23, 59, 59), tzinfo=tz)
        parts["UNTIL"] = [local.date() if _is_all_day(event) else local.astimezone(datetime.UTC)]
    return parts


def _location(event) -> str:
    place = [event.location] if event.location else []
    if event.online_url or event.meeting_room:
        place.append(_("Online"))
    return ", ".join(place)


def _summary(event) -> str:
    if event.is_cancelled:
        # For apps that do not show STATUS: the title says it too.
        return _("Cancelled: %(title)s") % {"title": event.title}
    return event.title


def _common(vevent, event, url, now):
    """What the series and its moved occurrences share."""
    vevent.add("uid", str(event.uid))
    vevent.add("dtstamp", now)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("summary", _summary(event))
    description = plain_text(event.description)
    vevent.add("description", f"{description}\n\n{url}" if description else url)
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    vevent.add("class", "PUBLIC")


def components(event, url: str, now) -> list[VEvent]:
    """The VEVENTs of one event: the series (or the single event), then one per moved
    occurrence."""
    tz = recurrence.zone(event.time_zone)
    series = VEvent()
    _common(series, event, url, now)
    series.add("sequence", event.sequence)
    start, end = _span(event, event.starts_at, event.ends_at, tz)
    series.add("dtstart", start)
    series.add("dtend", end)
    result = [series]
    if not event.recurrence:
        return result
    series.add("rrule", _rule(event, tz))
    changes = list(event.changes.all())  # prefetched by feed_window
    if not changes:
        return result
    # A change whose occurrence the rule no longer gives (the start moved since) is left out:
    # written down it would add an occurrence that Meent does not have.
    known = set(recurrence.starts(event))
    changes = [change for change in changes if change.original_start in known]
    cancelled = [change for change in changes if change.cancelled]
    if cancelled:
        series.add("exdate", [_moment(event, c.original_start, tz) for c in cancelled])
    length = event.ends_at - event.starts_at
    for change in changes:
        if change.cancelled:
            continue
        moved = VEvent()
        _common(moved, event, url, now)
        # Never lower than the series': what the series says (title, place, status) is in
        # this occurrence too, so a change to it changes the occurrence as well.
        moved.add("sequence", max(event.sequence, change.sequence))
        moved.add("recurrence-id", _moment(event, change.original_start, tz))
        starts_at = change.starts_at or change.original_start
        start, end = _span(event, starts_at, change.ends_at or starts_at + length, tz)
        moved.add("dtstart", start)
        moved.add("dtend", end)
        result.append(moved)
    return result


def _cache_key(event, url: str, changes) -> str:
    """A key for the text of one event: everything the text is made of (so a change anywhere
    makes a new key and nothing has to be forgotten), in the reader's language."""
    facts = (
        CACHE_VERSION,
        get_language(),
        url,
        str(event.uid),
        event.sequence,
        event.status,
        event.title,
        event.description,
        event.location,
        bool(event.online_url or event.meeting_room),
        event.starts_at,
        event.ends_at,
        event.time_zone,
        event.all_day,
        event.recurrence,
        event.created_at,
        event.updated_at,
        [(c.original_start, c.cancelled, c.starts_at, c.ends_at, c.sequence) for c in changes],
    )
    digest = hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()
    return f"events:ics:{digest}"


@lru_cache(maxsize=64)
def _timezone_text(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of a zone, with its rules from ``first_year`` to ``last_year``."""
    try:
        component = Timezone.from_tzid(
            tzid,
            first_date=datetime.date(first_year, 1, 1),
            last_date=datetime.date(last_year, 1, 1),
        )
    except ValueError:  # a zone icalendar does not know: calendar apps fall back on the TZID
        return b""
    return component.to_ical()


def calendar(events, *, fallback_root: str, name: str = "", feed: bool = False) -> bytes:
    """One VCALENDAR with ``events`` (an iterable of Event with their changes prefetched) and a
    VTIMEZONE for every zone they use; ``name``: what a calendar app calls the feed.

    Making an event's text with icalendar costs a few milliseconds, too much for a feed of a
    thousand events fetched by every subscriber's calendar app: each event's VEVENTs are kept in
    the cache under a key made of what they say (``_cache_key``), and joined into the calendar
    that icalendar writes around them. DTSTAMP is when that text was made.
    """
    now = timezone.now().replace(microsecond=0)
    roots = Roots(fallback_root)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
    if feed:
        cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))

    events = list(events)
    keyed = []
    for event in events:
        url = roots(event) + event.get_absolute_url()
        changes = list(event.changes.all()) if event.recurrence else []
        keyed.append((_cache_key(event, url, changes), event, url))
    texts = cache.get_many([key for key, _event, _url in keyed])
    missing = {}
    for key, event, url in keyed:
        if key not in texts:
            text = b"".join(component.to_ical() for component in components(event, url, now))
            texts[key] = missing[key] = text
    if missing:
        cache.set_many(missing, CACHE_TIMEOUT)

    zones = []
    if events:
        # Each zone's rules from a year before the first event to a year after the last.
        first = min(event.starts_at for event in events).year - 1
        last = max(event.last_ends_at for event in events).year + 2
        for tzid in sorted({event.time_zone for event in events} - {"UTC"}):
            zones.append(_timezone_text(tzid, first, last))
    head = cal.to_ical()
    end = head.rindex(b"END:VCALENDAR")
    bodies = (texts[key] for key, _event, _url in keyed)
    return b"".join([head[:end], *zones, *bodies, head[end:]])
