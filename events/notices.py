"""What people hear about events (notifications and e-mails), called after commit by
``events.services``. Each function takes ids, loads what it needs and tells the people
concerned in their own language (notifications store a key and parameters).

People with an account get a notification (``notify``: kind ``events``, e-mailed by their
preference); confirmed guests get an e-mail in the community's language with a link to the event
on its community's host. Everyone is told once, however they signed up, and never the person who
made the change.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from . import recurrence
from .models import Attendance, Event, OccurrenceChange

# Who hears of a change: everyone who signed up and has not said "not going".
TOLD = (Attendance.Status.GOING, Attendance.Status.MAYBE, Attendance.Status.WAITING)


def _event(event_id):
    return Event.objects.select_related("group", "organiser").filter(pk=event_id).first()


def next_start(event, now=None):
    """The start of the event's next occurrence (of the first one when all have passed)."""
    upcoming = recurrence.occurrences(event, since=now or timezone.now())
    return upcoming[0].starts_at if upcoming else event.starts_at


def guest_language(email: str, chosen: str = "") -> str:
    """The language of a guest's e-mail: the one they signed up in, else the account's if the
    address has one, else the community's (LANGUAGE_CODE, Dutch by default); never that of
    whoever made the change."""
    if chosen:
        return chosen
    person = get_user_model().objects.filter(email__iexact=email).only("language").first()
    return person.preferred_language if person is not None else settings.LANGUAGE_CODE


def email_guest(
    event,
    email: str,
    name: str,
    message: str,
    params: dict,
    language: str = "",
    cancel_token: str = "",
) -> None:
    """One e-mail to a guest: the message in their language, dates in the event's time zone,
    the link to the event on its community's host, and (while they are signed up for an event
    that takes place) their own link to cancel."""
    from notifications.emails import root_url
    from notifications.messages import clean_params, render
    from notifications.service import community_of

    root = root_url(community_of(event))
    cancel = ""
    if cancel_token and not event.is_cancelled:
        cancel = root + reverse("events:guest_cancel", args=[cancel_token])
    with override(guest_language(email, language)), timezone.override(event.time_zone):
        text = render(message, clean_params(params))
        context = {
            "name": name,
            "text": text,
            "link": root + event.get_absolute_url(),
            "cancel_link": cancel,
        }
        body = render_to_string("events/email/guest_notice.txt", context)
    send_mail("[Meent] " + " ".join(text.split())[:100], body, None, [email])


@task()
def send_guest_notice(event_id, email, name, message, params, language="", cancel_token=""):
    """One guest's e-mail (``email_guest``), of an event that still exists."""
    event = _event(event_id)
    if event is not None:
        email_guest(event, email, name, message, params, language, cancel_token)


def _signed_up(event, statuses=TOLD):
    """The sign-ups to tell: people, and guests who confirmed their address."""
    return (
        event.attendances.filter(status__in=statuses)
        .filter(Q(person__isnull=False) | Q(confirmed_at__isnull=False))
        .select_related("person")
        .order_by("pk")
    )


def tell(event, attendances, message, params, *, actor=None) -> int:
    """Tell each sign-up once (a person by notification, a guest by e-mail), never ``actor``.
    Returns how many were told."""
    from notifications import Kind, notify
    from notifications.messages import clean_params

    people, addresses, count = set(), set(), 0
    guests = []
    for attendance in attendances:
        if attendance.person_id:
            if attendance.person_id in people:
                continue
            people.add(attendance.person_id)
            addresses.add((attendance.person.email or "").casefold())
            if notify(
                attendance.person,
                Kind.EVENTS,
                message,
                event.get_absolute_url(),
                params=params,
                about=event,
                actor=actor,
            ):
                count += 1
        else:
            guests.append(attendance)
    for guest in guests:
        address = guest.guest_email.casefold()
        if address in addresses or (actor is not None and address == actor.email.casefold()):
            continue
        addresses.add(address)
        # Queued: a change for many guests must not keep the organiser's request waiting.
        send_guest_notice.enqueue(
            event.pk,
            guest.guest_email,
            guest.guest_name,
            message,
            clean_params(params),
            guest.guest_language,
            guest.confirm_token if guest.pk else "",
        )
        count += 1
    return count


def _actor(event, actor_id):
    """Who made the change; without ``actor_id`` (an older caller), the organiser."""
    if actor_id is None:
        return event.organiser
    return get_user_model().objects.filter(pk=actor_id).first()


def _told_at_all(event) -> bool:
    # A hidden event, or one in a switched-off agenda, is news to nobody.
    return (
        event is not None
        and event.hidden_at is None
        and (event.group_id is None or event.group.events_enabled)
    )


def created(event_id: int) -> None:
    """A new event: its group's followers hear of it (activity's announce)."""
    from activity import services as stream

    event = _event(event_id)
    if _told_at_all(event):
        stream.announce("events.created", event)


def changed(event_id: int, fields: list[str], actor_id: int | None = None) -> None:
    """The time or place changed: everyone signed up (going, maybe, waiting) is told at once."""
    event = _event(event_id)
    if not _told_at_all(event) or event.is_cancelled:
        return
    params = {"title": event.title, "start": next_start(event)}
    message = "events.changed_online"
    if event.location:
        message, params["place"] = "events.changed", event.location
    tell(event, _signed_up(event), message, params, actor=_actor(event, actor_id))


def cancelled(event_id: int, actor_id: int | None = None) -> None:
    """The event is cancelled: everyone signed up is told at once."""
    event = _event(event_id)
    if not _told_at_all(event):
        return
    params = {"title": event.title, "start": next_start(event, event.cancelled_at)}
    tell(event, _signed_up(event), "events.cancelled", params, actor=_actor(event, actor_id))


def occurrence_changed(event_id: int, change_id: int, actor_id: int | None = None) -> None:
    """One occurrence moved or cancelled: everyone signed up is told."""
    event = _event(event_id)
    change = OccurrenceChange.objects.filter(pk=change_id, event_id=event_id).first()
    if not _told_at_all(event) or change is None or event.is_cancelled:
        return
    params = {"title": event.title, "original": change.original_start}
    message = "events.occurrence_cancelled"
    if not change.cancelled:
        message, params["start"] = "events.occurrence_moved", change.starts_at
    tell(event, _signed_up(event), message, params, actor=_actor(event, actor_id))


def promoted(attendance_id: int) -> None:
    """A place came free and this person (or guest) moved up from the waiting list."""
    attendance = (
        Attendance.objects.select_related("person", "event__group", "event__organiser")
        .filter(pk=attendance_id, status=Attendance.Status.GOING)
        .first()
    )
    if attendance is None or not _told_at_all(attendance.event):
        return
    event = attendance.event
    params = {"title": event.title, "start": next_start(event)}
    tell(event, [attendance], "events.promoted", params)


def removed_details(attendance) -> dict:
    """What ``removed`` needs once the sign-up is gone (who, and how to reach them)."""
    return {
        "person_id": attendance.person_id,
        "guest_email": attendance.guest_email,
        "guest_name": attendance.guest_name,
        "confirmed": attendance.person_id is not None or attendance.confirmed_at is not None,
        "language": attendance.guest_language,
    }


def removed(event_id: int, details: dict) -> None:
    """An organiser took someone off the list: they are told."""
    event = _event(event_id)
    if not _told_at_all(event):
        return
    person = None
    if details.get("person_id"):
        person = get_user_model().objects.filter(pk=details["person_id"]).first()
        if person is None:
            return
    elif not details.get("guest_email") or not details.get("confirmed", True):
        return  # a guest who never confirmed their address gets no mail from us
    # Not kept: the sign-up is gone; an Attendance in memory carries who it was.
    gone = Attendance(
        event=event,
        person=person,
        guest_email=details.get("guest_email") or "",
        guest_name=details.get("guest_name") or "",
        guest_language=details.get("language") or "",
    )
    params = {"title": event.title, "start": next_start(event)}
    tell(event, [gone], "events.removed", params)


def mentioned(event_id: int) -> int:
    """Tell the people the description names and who were not told yet, if they may see the
    event (``notify`` checks), each once (``meent.mentions``)."""
    from meent.mentions import services as mentions
    from notifications import notify

    event = Event.objects.select_related("organiser", "group").filter(pk=event_id).first()
    if event is None or event.organiser is None:
        return 0
    names = {"person": event.organiser.display_name, "title": event.title}
    return mentions.tell_pending(
        event,
        lambda person: notify(
            person,
            "mention",
            "events.mention",
            event.get_absolute_url(),
            params=names,
            about=event,
            actor=event.organiser,
        ),
    )
