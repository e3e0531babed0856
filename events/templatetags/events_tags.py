"""How events say when they are: in the event's own time zone, in the reader's language."""

import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import recurrence

register = template.Library()


@register.simple_tag
def event_when(item, compact=False):
    """An event's (or one occurrence's) start and end: ``<time>`` elements in the event's zone,
    the day's name and the zone when it is not the site's."""
    event = getattr(item, "event", item)
    starts, ends = item.starts_at, item.ends_at
    zone = recurrence.zone(event.time_zone)
    last_day = (
        timezone.localtime(ends, zone) - datetime.timedelta(days=1) if event.all_day else ends
    )
    return render_to_string(
        "events/_when.html",
        {
            "zone": event.time_zone,
            "default_zone": settings.TIME_ZONE,
            "starts": starts,
            "ends": ends,
            "last_day": last_day,
            "all_day": event.all_day,
            "compact": compact,
        },
    )


@register.simple_tag
def event_moment(moment, zone_name):
    """One moment (a deadline, a date of a series) in the event's zone."""
    local = timezone.localtime(moment, recurrence.zone(zone_name))
    text = formats.date_format(local, "l j F Y, H:i")
    return render_to_string("events/_moment.html", {"iso": moment.isoformat(), "text": text})


ORDINALS = {
    1: lambda: _("first"),
    2: lambda: _("second"),
    3: lambda: _("third"),
    4: lambda: _("fourth"),
    5: lambda: _("fifth"),
    -1: lambda: _("last"),
}
WEEKDAY_NAMES = {
    "MO": lambda: _("Monday"),
    "TU": lambda: _("Tuesday"),
    "WE": lambda: _("Wednesday"),
    "TH": lambda: _("Thursday"),
    "FR": lambda: _("Friday"),
    "SA": lambda: _("Saturday"),
    "SU": lambda: _("Sunday"),
}


@register.simple_tag
def describe_rule(event):
    """The repetition in words ("every other week, until 31 December 2027"), or the rule
    itself where it says more than we put into words."""
    from icalendar.prop import vRecur

    try:
        parts = vRecur.from_ical(event.recurrence)
    except (ValueError, TypeError, KeyError, IndexError):
        return event.recurrence
    frequency = (parts.get("FREQ") or [""])[0]
    interval = int((parts.get("INTERVAL") or [1])[0])
    if set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"}:
        return event.recurrence
    if frequency == "WEEKLY":
        text = (
            _("every week")
            if interval == 1
            else (
                _("every other week") if interval == 2 else _("every %(n)s weeks") % {"n": interval}
            )
        )
    elif frequency == "DAILY":
        text = _("every day") if interval == 1 else _("every %(n)s days") % {"n": interval}
    elif frequency == "YEARLY":
        text = _("every year") if interval == 1 else _("every %(n)s years") % {"n": interval}
    elif frequency == "MONTHLY":
        text = _("every month") if interval == 1 else _("every %(n)s months") % {"n": interval}
        days = parts.get("BYDAY") or []
        if len(days) == 1:
            day = str(days[0])
            number, name = day[:-2], day[-2:]
            if number and int(number) in ORDINALS and name in WEEKDAY_NAMES:
                text = _("%(every)s on the %(nth)s %(weekday)s") % {
                    "every": text,
                    "nth": ORDINALS[int(number)](),
                    "weekday": WEEKDAY_NAMES[name](),
                }
    else:
        return event.recurrence
    if parts.get("COUNT"):
        count = int(parts["COUNT"][0])
        text = ngettext("%(rule)s, %(count)s time", "%(rule)s, %(count)s times", count) % {
            "rule": text,
            "count": count,
        }
    elif parts.get("UNTIL"):
        until = parts["UNTIL"][0]
        if isinstance(until, datetime.datetime):
            until = (
                timezone.localtime(until, recurrence.zone(event.time_zone))
                if timezone.is_aware(until)
                else until
            )
        text = _("%(rule)s, until %(date)s") % {
            "rule": text,
            "date": formats.date_format(until, "j F Y"),
        }
    return text


GROUP_HOME_EVENTS = 3


@register.inclusion_tag("events/_group_next.html", takes_context=True)
def group_next_events(context, group, limit=GROUP_HOME_EVENTS):
    """The next few dates of a group's agenda, for its home page (two queries)."""
    from events import agenda, policies
    from events.models import Event

    request = context["request"]
    if not group.events_enabled:
        return {"group": group, "entries": [], "shown": False}
    events = Event.objects.visible_to(request.user).filter(group=group)
    shown = [entry for entry in agenda.upcoming(events) if not entry.cancelled][:limit]
    return {
        "group": group,
        "entries": agenda.with_details(shown, request.user),
        "shown": True,
        "user": request.user,
        "may_organise": policies.may_organise_in(request.user, group),
    }
