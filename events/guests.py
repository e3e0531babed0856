"""Guests without an account: signing up for a community event by name and e-mail address.

A guest's sign-up counts once the link e-mailed to the address is opened (``confirm``); until
then it holds no place, and after GUEST_CONFIRM_HOURS it has expired (``expire_unconfirmed``
deletes it). Confirmed, the guest holds a place or waits for one exactly like a person
(``services.confirm_guest``). The same e-mail carries a link to cancel. Everything is written
to the sign-up itself (name, address, the language of the page it was made on) and erased with it
after the event (``privacy.purge_guests``); nothing about a guest is kept anywhere else.

Refused: an address that belongs to an account (that person signs in), an event that takes no
guests, a closed event; the same address again gets the link again, at most once per
RESEND_SECONDS; an IP address signs up at most SIGNUPS_PER_IP times per hour.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from meent import access, ratelimit
from meent.sanitize import clean_text

from . import recurrence, services
from .models import Attendance, Event, new_token
from .services import EventError

GUEST_CONFIRM_HOURS = 48
RESEND_SECONDS = 10 * 60
SIGNUPS_PER_IP = 10
SIGNUP_WINDOW = 3600


@dataclass
class GuestSignUp:
    attendance: Attendance
    # False: the address had signed up already (the link was sent again, or not yet again).
    new: bool
    sent: bool


def takes_guests(event) -> bool:
    """Whether guests may sign up for the event: a community event for guests that everyone,
    also without an account, may see."""
    return (
        event.group_id is None
        and event.audience == Event.Audience.GUESTS
        and access.can_view(AnonymousUser(), event)
    )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def has_account(email: str) -> bool:
    """Whether the address is an account's (its own or one of its confirmed-or-not addresses)."""
    from allauth.account.models import EmailAddress

    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def expires_at(attendance) -> datetime.datetime:
    return attendance.created_at + datetime.timedelta(hours=GUEST_CONFIRM_HOURS)


def is_expired(attendance, now=None) -> bool:
    return attendance.confirmed_at is None and expires_at(attendance) <= (now or timezone.now())


def sign_up(
    event, name: str, email: str, *, share_details=False, language="", ip=""
) -> GuestSignUp:
    """Sign a guest up and e-mail them the link that confirms it. Raises ``EventError``."""
    if not takes_guests(event):
        raise EventError(_("Guests cannot sign up for this event."), 404)
    services._check_open(event)
    name = " ".join(clean_text(name or "").split())
    email = normalise_email(email)
    if not name:
        raise EventError(_("Give your name."), field="name")
    if len(name) > Attendance._meta.get_field("guest_name").max_length:
        raise EventError(_("Your name is too long."), field="name")
    if has_account(email):
        raise EventError(_("This address has an account: sign in to sign up."), field="email")
    if not ratelimit.hit(f"events:guest-signups:{ip or 'unknown'}", SIGNUPS_PER_IP, SIGNUP_WINDOW):
        raise EventError(
            _("Too many sign-ups came from your connection. Try again in an hour."), 429
        )
    language = language if language in dict(settings.LANGUAGES) else ""
    existing = _guest(event, email)
    if existing is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    event=event,
                    guest_name=name,
                    guest_email=email,
                    guest_language=language,
                    share_details=bool(share_details),
                    confirm_token=new_token(),
                    status=Attendance.Status.GOING,
                )
        except IntegrityError:  # the same address at the same moment: the first one counts
            existing = _guest(event, email)
        else:
            _claim_resend(attendance)
            transaction.on_commit(lambda: send_confirmation(attendance.pk), robust=True)
            return GuestSignUp(attendance, new=True, sent=True)
    if is_expired(existing):
        # Never confirmed and expired: start again, with a new link and what was typed now.
        existing.confirm_token = new_token()
        existing.created_at = existing.updated_at = timezone.now()
        existing.guest_name = name
        existing.guest_language = language
        existing.share_details = bool(share_details)
        existing.save(
            update_fields=[
                "confirm_token",
                "created_at",
                "updated_at",
                "guest_name",
                "guest_language",
                "share_details",
            ]
        )
    sent = _claim_resend(existing)
    if sent:
        transaction.on_commit(lambda: send_confirmation(existing.pk), robust=True)
    return GuestSignUp(existing, new=False, sent=sent)


def _guest(event, email):
    return Attendance.objects.filter(
        event=event, person__isnull=True, guest_email__iexact=email
    ).first()


def _claim_resend(attendance) -> bool:
    """Whether the link may be e-mailed to this sign-up now (once per RESEND_SECONDS)."""
    return ratelimit.hit(f"events:guest-link:{attendance.pk}", 1, RESEND_SECONDS)


def by_token(token: str) -> Attendance | None:
    """The guest's sign-up a link names (None: unknown, or gone)."""
    if not token or len(token) > 64:
        return None
    return (
        Attendance.objects.select_related("event__group")
        .filter(person__isnull=True, confirm_token=token)
        .first()
    )


def confirm(attendance) -> Attendance:
    if not takes_guests(attendance.event):
        raise EventError(_("Guests cannot sign up for this event any more."), 409)
    if is_expired(attendance):
        raise EventError(
            _("This link has expired: it worked for %(hours)s hours. Sign up again.")
            % {"hours": GUEST_CONFIRM_HOURS},
            410,
        )
    return services.confirm_guest(attendance)


def cancel(attendance) -> None:
    services.withdraw_guest(attendance)


def meeting_url(attendance, now=None) -> str:
    """The online meeting's address for a confirmed guest who holds a place (or said maybe),
    in the same window as for people (``services.meeting_url``); "" otherwise. Shown only on
    the guest's own page, behind the secret link."""
    event = attendance.event
    if attendance.confirmed_at is None or attendance.status not in (
        Attendance.Status.GOING,
        Attendance.Status.MAYBE,
    ):
        return ""
    if event.is_cancelled or not (event.meeting_room or event.online_url):
        return ""
    now = now or timezone.now()
    opens = datetime.timedelta(minutes=event.meeting_opens_minutes)
    if not recurrence.occurrences(event, since=now, until=now + opens):
        return ""
    if event.meeting_room and services.jitsi_url():
        return f"{services.jitsi_url()}/{event.meeting_room}"
    return event.online_url


def next_start(event, now=None):
    """The start of the event's next occurrence (of the first one when all have passed)."""
    upcoming = recurrence.occurrences(event, since=now or timezone.now())
    return upcoming[0].starts_at if upcoming else event.starts_at


def link(event, path: str) -> str:
    """A link on the event's community's host."""
    from notifications.emails import root_url
    from notifications.service import community_of

    return root_url(community_of(event)) + path


def send_confirmation(attendance_id: int) -> None:
    """E-mail the guest the links to confirm and to cancel, in the language they signed up in
    (the community's by default), with the event's times in its own time zone."""
    attendance = (
        Attendance.objects.select_related("event")
        .filter(pk=attendance_id, person__isnull=True)
        .first()
    )
    if attendance is None:
        return
    event = attendance.event
    token = attendance.confirm_token
    language = attendance.guest_language or settings.LANGUAGE_CODE
    with override(language), timezone.override(event.time_zone):
        context = {
            "attendance": attendance,
            "event": event,
            "start": next_start(event),
            "confirm_url": link(event, reverse("events:guest_confirm", args=[token])),
            "cancel_url": link(event, reverse("events:guest_cancel", args=[token])),
            "event_url": link(event, event.get_absolute_url()),
            "hours": GUEST_CONFIRM_HOURS,
        }
        body = render_to_string("events/email/guest_confirm.txt", context)
        subject = "[Meent] " + _("Confirm your sign-up for “%(title)s”") % {
            "title": " ".join(event.title.split())[:100]
        }
    send_mail(subject, body, None, [attendance.guest_email])


def expire_unconfirmed(now=None) -> int:
    """Delete guests' sign-ups that were never confirmed within GUEST_CONFIRM_HOURS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=GUEST_CONFIRM_HOURS)
    deleted, _by_model = Attendance.objects.filter(
        person__isnull=True, confirmed_at__isnull=True, created_at__lte=cutoff
    ).delete()
    return deleted
