"""A person's sign-ups and the events they organise (privacy/registry.py), and the erasure of
guests' data after their event (``purge_guests``, MEENT_EVENT_GUEST_DAYS).

Deleting an account withdraws its sign-ups through the services, so a place it held goes to the
first person on the waiting list (who is told); the events it organised stay for the people who
signed up, without an organiser (the foreign key is SET_NULL), and the search index hears of it.
"""

import datetime
import posixpath

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register
from search.indexing import queue_ids

from .models import Attendance, Event


def _visible_event_ids(user, event_ids):
    return set(Event.objects.visible_to(user).filter(pk__in=event_ids).values_list("pk", flat=True))


def signups(user, files):
    rows = list(
        Attendance.objects.filter(person=user).select_related("event").order_by("created_at", "pk")
    )
    visible = _visible_event_ids(user, {a.event_id for a in rows})
    return [
        {
            # An event one may no longer see (hidden, a group one left) is not named.
            "event": a.event.title if a.event_id in visible else None,
            "starts": iso(a.event.starts_at) if a.event_id in visible else None,
            "link": absolute(a.event.get_absolute_url()) if a.event_id in visible else None,
            "answer": a.status,
            "share_details": a.share_details,
            "signed_up": iso(a.created_at),
            "changed": iso(a.updated_at),
        }
        for a in rows
    ]


def organised(user, files):
    rows = Event.objects.filter(organiser=user).select_related("group").order_by("starts_at", "pk")
    return [
        {
            "title": e.title,
            "description": e.description,
            "group": e.group.name if e.group_id else None,
            "starts": iso(e.starts_at),
            "ends": iso(e.ends_at),
            "time_zone": e.time_zone,
            "all_day": e.all_day,
            "repeats": e.recurrence or None,
            "address": e.location,
            "online_meeting": e.online_url or None,
            "places": e.capacity,
            "status": e.status,
            "cover": files.add(
                "event-covers", e.cover, f"{e.slug}-{posixpath.basename(e.cover.name)}"
            )
            if e.cover
            else None,
            "cover_description": e.cover_alt,
            "link": absolute(e.get_absolute_url()),
        }
        for e in rows
    ]


def plan_signups(user):
    count = Attendance.objects.filter(person=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s sign-up for an event is deleted; a place it held goes to the first "
            "person on the waiting list.",
            "%(counter)s sign-ups for events are deleted; places they held go to the first "
            "people on the waiting lists.",
            count,
        )
        % {"counter": count}
    ]


def erase_signups(user, erasure):
    from . import services

    upcoming = Event.objects.filter(attendances__person=user, last_ends_at__gt=erasure.now)
    for event in upcoming.order_by("pk"):
        # Through the services: the place goes to the next on the waiting list, under the lock.
        services.withdraw(user, event)
    # Those of past events go with the account (the database's cascade).


def plan_organised(user):
    count = Event.objects.filter(organiser=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(counter)s event you organise stays for the people who signed up, without you as "
            "its organiser.",
            "%(counter)s events you organise stay for the people who signed up, without you as "
            "their organiser.",
            count,
        )
        % {"counter": count}
    ]


def erase_organised(user, erasure):
    # They lose their organiser: the search index must hear of it (SET_NULL sends no signals).
    queue_ids("event", list(Event.objects.filter(organiser=user).values_list("pk", flat=True)))


def purge_guests(now=None) -> int:
    """Delete guests' sign-ups (name, e-mail address) MEENT_EVENT_GUEST_DAYS after the end of
    their event's last occurrence, and those never confirmed within their 48 hours
    (``guests.expire_unconfirmed``). Returns how many were deleted."""
    from .guests import expire_unconfirmed

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.MEENT_EVENT_GUEST_DAYS)
    deleted, _by_model = Attendance.objects.filter(
        person__isnull=True, event__last_ends_at__lt=cutoff
    ).delete()
    return deleted + expire_unconfirmed(now)


register(
    PrivacyPart(
        "event_signups",
        _("Event sign-ups"),
        95,
        export=signups,
        held=lambda user: Attendance.objects.filter(person=user),
        plan=plan_signups,
        erase=erase_signups,
    )
)
register(
    PrivacyPart(
        "events_organised",
        _("Events you organise"),
        96,
        export=organised,
        held=lambda user: Event.objects.filter(organiser=user),
        plan=plan_organised,
        erase=erase_organised,
    )
)
