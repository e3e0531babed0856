"""Scheduled work for events (settings.SCHEDULES): reminders a day before, and the erasure of
guests' data after their event."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from . import notices, recurrence
from .models import Attendance, Event

logger = logging.getLogger(__name__)

# People are reminded of an occurrence that starts within this time.
REMIND_AHEAD = datetime.timedelta(hours=24)
REMINDED = (Attendance.Status.GOING, Attendance.Status.MAYBE)


def _claim(event, start) -> bool:
    """Take the reminder for the occurrence at ``start``: one conditional UPDATE, so of two
    workers at once exactly one gets the row (the other waits for its lock, then finds the
    condition no longer true)."""
    claimed = (
        Event.objects.filter(pk=event.pk, status=Event.Status.SCHEDULED)
        .filter(Q(reminded_for__isnull=True) | Q(reminded_for__lt=start))
        .update(reminded_for=start)
    )
    return claimed == 1


def send_reminders(now=None) -> int:
    """Remind everyone going (or maybe going) of an occurrence that starts within 24 hours,
    once per occurrence: people by notification (e-mailed by their preferences), guests by
    e-mail. Returns how many were reminded.

    At most once: the occurrence is claimed before anyone is told, so a run that fails half-way
    leaves the rest unreminded rather than reminding some twice."""
    now = now or timezone.now()
    until = now + REMIND_AHEAD
    candidates = (
        Event.objects.filter(
            status=Event.Status.SCHEDULED,
            hidden_at__isnull=True,
            starts_at__lt=until,
            last_ends_at__gt=now,
        )
        .filter(Q(group__isnull=True) | Q(group__events_enabled=True))
        .select_related("group", "organiser")
        .prefetch_related("changes")
        .order_by("starts_at", "pk")
    )
    told = 0
    for event in candidates.iterator(chunk_size=200):
        changes = list(event.changes.all())
        upcoming = [
            occurrence
            for occurrence in recurrence.occurrences(event, now, until, changes=changes)
            if now <= occurrence.starts_at < until
        ]
        if not upcoming:
            continue
        start = upcoming[0].starts_at
        if event.reminded_for is not None and event.reminded_for >= start:
            continue  # reminded already (the claim checks it again, against the row)
        if not _claim(event, start):
            continue
        attendances = notices._signed_up(event, REMINDED)
        params = {"title": event.title, "start": start}
        try:
            told += notices.tell(event, attendances, "events.reminder", params)
        except Exception:
            logger.exception("Reminding the people of event %s failed.", event.pk)
    return told


@task()
def send_event_reminders() -> int:
    """The reminders of occurrences that start within a day (every 15 minutes)."""
    return send_reminders()


@task()
def purge_event_guests() -> int:
    """Guests' sign-ups MEENT_EVENT_GUEST_DAYS after their event (daily)."""
    from .privacy import purge_guests

    return purge_guests()
