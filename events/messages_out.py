"""An organiser's message to everyone signed up for an event (going, maybe, waiting).

Each person gets the message by e-mail in their own language and a notification that points to
the event (marked as e-mailed: the message itself was, so the notification e-mail and the daily
summary leave it out); each confirmed guest gets the e-mail in the language they signed up in.
Everyone is written to once, never the sender. The text is plain text and stays plain.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from meent import access

from .guests import link, next_start
from .models import Attendance, Event

logger = logging.getLogger(__name__)

# Who an organiser's message reaches: everyone who has not said "not going".
RECIPIENTS = (Attendance.Status.GOING, Attendance.Status.MAYBE, Attendance.Status.WAITING)
SUBJECT_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 5000
# Messages per event per hour, counted in the shared cache (meent/ratelimit.py).
PER_HOUR = 5


def recipients(event):
    """The sign-ups a message reaches: people, and guests who confirmed their address."""
    return (
        event.attendances.filter(status__in=RECIPIENTS)
        .filter(Q(person__isnull=False) | Q(confirmed_at__isnull=False))
        .select_related("person")
        .order_by("pk")
    )


def _email(event, *, to, name, language, sender_name, subject, text):
    with override(language or settings.LANGUAGE_CODE), timezone.override(event.time_zone):
        body = render_to_string(
            "events/email/organiser_message.txt",
            {
                "name": name,
                "sender": sender_name,
                "event": event,
                "start": next_start(event),
                "subject": subject,
                "text": text,
                "event_url": link(event, event.get_absolute_url()),
            },
        )
    send_mail("[Meent] " + " ".join(subject.split())[:SUBJECT_MAX_LENGTH], body, None, [to])


def message(event_id: int, sender_id: int, subject: str, text: str) -> int:
    """Send the message; returns how many people (and guests) it was sent to."""
    # In one transaction: the notifications' own e-mails are queued after commit, when they are
    # marked as e-mailed already.
    with transaction.atomic():
        return _send(event_id, sender_id, subject, text)


def _send(event_id, sender_id, subject, text) -> int:
    from notifications import Kind, notify
    from notifications.models import Notification

    event = Event.objects.select_related("group").filter(pk=event_id).first()
    sender = get_user_model().objects.filter(pk=sender_id).first()
    if event is None or sender is None:
        return 0
    sender_name = sender.display_name
    seen = {(sender.email or "").casefold()}
    sent = 0
    for attendance in recipients(event):
        if attendance.person_id:
            person = attendance.person
            address = (person.email or "").casefold()
            if (
                person.pk == sender.pk
                or address in seen
                or not access.is_active_person(person)
                or not access.can_view(person, event)
            ):
                continue
            notification = notify(
                person,
                Kind.EVENTS,
                "events.message",
                event.get_absolute_url(),
                params={"person": sender_name, "title": event.title, "subject": subject},
                about=event,
                actor=sender,
            )
            if notification is None:
                continue
            # The e-mail below carries the whole message; the notification's would repeat it.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            to, name, language = person.email, person.display_name, person.preferred_language
        else:
            address = attendance.guest_email.casefold()
            if address in seen:
                continue
            to, name, language = (
                attendance.guest_email,
                attendance.guest_name,
                attendance.guest_language,
            )
        seen.add(address)
        try:
            _email(
                event,
                to=to,
                name=name,
                language=language,
                sender_name=sender_name,
                subject=subject,
                text=text,
            )
        except Exception:  # noqa: BLE001 - one address the mail server refuses stops no other
            logger.warning("Event %s: the organiser's message to one attendee failed", event.pk)
            continue
        sent += 1
    return sent
