"""Everything that changes events and sign-ups, with its rules, in one place.

Views turn ``EventError`` into a form error or a message with a 4xx status. Every change runs in
a transaction: an event is saved with its cover and its rule or not at all. Places are handed
out under a row lock on the event (``select_for_update``), so two people cancelling at once free
two places and move up exactly two people from the waiting list, never the same one twice.
What others are told (changes, cancellations, a place freed) is sent after commit, through
``events.notices``.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import services as stream
from meent import access
from meent.mentions import people_in_html
from meent.mentions import services as mentions
from meent.refusals import Refused
from meent.sanitize import clean_html, clean_text
from meent.slugs import unique_slug

from . import notices, policies, recurrence
from .models import Attendance, Event, OccurrenceChange

# A start a little in the past (the form was open for a while) is still taken.
START_GRACE = datetime.timedelta(minutes=10)
MAX_AHEAD = datetime.timedelta(days=3 * 366)
MAX_LENGTH = datetime.timedelta(days=31)
MAX_CAPACITY = 100_000
RESERVED_SLUGS = frozenset({"new", "mine", "month", "calendar", "guest"})
# Changing these tells the people who signed up, and raises iCalendar's SEQUENCE.
ANNOUNCED_FIELDS = (
    "starts_at",
    "ends_at",
    "all_day",
    "time_zone",
    "location",
    "online_url",
    "recurrence",
)


class EventError(Refused):
    """A refused change to an event or a sign-up (meent/refusals.py)."""


@dataclass
class EventInput:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    description: str = ""
    time_zone: str = settings.TIME_ZONE
    all_day: bool = False
    location: str = ""
    online_url: str = ""
    online_meeting: bool = False  # a room on MEENT_JITSI_URL
    meeting_opens_minutes: int = 15
    capacity: int | None = None
    signup_deadline: datetime.datetime | None = None
    audience: str = Event.Audience.MEMBERS
    visibility: str = Event.Visibility.PUBLIC
    recurrence: str = ""
    cover: object = None  # an uploaded file, or None to keep what there is
    cover_alt: str = ""
    remove_cover: bool = False


def jitsi_url() -> str:
    return (getattr(settings, "MEENT_JITSI_URL", "") or "").rstrip("/")


def _unique_slug(title, exclude_pk=None):
    return unique_slug(
        Event.objects.all(),
        title,
        fallback="evenement",
        reserved=RESERVED_SLUGS,
        exclude_pk=exclude_pk,
    )


def _check_cover(upload):
    """The cover judged by its content (meent/uploads.py), or the refusal on its field."""
    from django.core.exceptions import ValidationError

    from meent.uploads import validate_image

    try:
        return validate_image(upload, settings.MEENT_BLOG_COVER_MAX_BYTES, what="event cover")
    except ValidationError as error:
        raise EventError(error.messages[0], field="cover") from error


def _check_times(data: EventInput, event: Event | None):
    now = timezone.now()
    try:
        recurrence.zone(data.time_zone)
    except recurrence.RecurrenceError as error:
        raise EventError(str(error), field="time_zone") from error
    if data.starts_at is None:
        raise EventError(_("Give the date and time the event starts."), field="starts_at")
    if data.ends_at is None:
        raise EventError(_("Give the date and time the event ends."), field="ends_at")
    if data.ends_at <= data.starts_at:
        raise EventError(_("The end must be after the start."), field="ends_at")
    if data.ends_at - data.starts_at > MAX_LENGTH:
        raise EventError(_("An event lasts at most 31 days."), field="ends_at")
    start_changed = event is None or data.starts_at != event.starts_at
    if start_changed and data.starts_at < now - START_GRACE:
        raise EventError(
            _("This start has passed. Choose a time in the future."), field="starts_at"
        )
    if data.starts_at > now + MAX_AHEAD:
        raise EventError(_("Plan at most three years ahead."), field="starts_at")
    if data.signup_deadline is not None and data.signup_deadline > data.starts_at:
        raise EventError(_("Sign-up must close before the event starts."), field="signup_deadline")


def _check_place(data: EventInput):
    location = " ".join(clean_text(data.location or "").split())[:300]
    online_url = (data.online_url or "").strip()
    if online_url:
        from meent.links import is_web_address

        if not online_url.startswith("https://") or not is_web_address(online_url):
            raise EventError(
                _("The meeting link must be a web address that starts with https://."),
                field="online_url",
            )
    return location, online_url


def save_event(
    user, data: EventInput, *, event: Event | None = None, group=None, site_id=None
) -> Event:
    """Create (``event`` None) or change an event; everything is checked before anything is
    saved. ``group`` None: a community event on ``site_id``."""
    if not access.is_active_person(user):
        raise EventError(_("Sign in to organise an event."), 403)
    if event is not None:
        group = event.group
        if not access.can_edit(user, event):
            raise EventError(_("You may not change this event."), 403)
        if event.is_cancelled:
            raise EventError(_("This event is cancelled: it cannot be changed any more."), 409)
    elif not policies.may_organise_in(user, group):
        if group is None:
            raise EventError(_("Only community managers organise community events."), 403)
        if group.is_archived:
            raise EventError(_("This group is archived: nothing can be added to it."), 409)
        if not group.events_enabled:
            raise EventError(_("This group's agenda is switched off."), 409)
        raise EventError(_("You may not organise events in this group."), 403)

    title = " ".join(clean_text(data.title or "").split())
    if not title:
        raise EventError(_("Give the event a title."), field="title")
    if len(title) > 200:
        raise EventError(_("A title has at most 200 characters."), field="title")
    if len(data.description or "") > settings.MEENT_BLOG_MAX_BODY:
        raise EventError(
            _("The description is too long: at most %(limit)s characters of HTML.")
            % {"limit": settings.MEENT_BLOG_MAX_BODY},
            413,
            field="description",
        )
    description = clean_html(data.description or "")
    _check_times(data, event)
    location, online_url = _check_place(data)
    if data.capacity is not None and not (1 <= data.capacity <= MAX_CAPACITY):
        raise EventError(
            _("Give a number of places of at least 1, or leave it empty for no limit."),
            field="capacity",
        )
    if data.audience not in Event.Audience.values:
        raise EventError(_("Choose who may sign up."), field="audience")
    if group is not None and data.audience == Event.Audience.GUESTS:
        raise EventError(
            _("Guests without an account can sign up for community events only."),
            field="audience",
        )
    if group is None and data.audience == Event.Audience.MEMBERS:
        raise EventError(
            _("A community event has no members: choose who may sign up."), field="audience"
        )
    if group is None and data.visibility not in Event.Visibility.values:
        raise EventError(_("Choose who may see the event."), field="visibility")
    if (
        group is None
        and data.audience == Event.Audience.GUESTS
        and data.visibility != Event.Visibility.PUBLIC
    ):
        raise EventError(
            _("Guests can only sign up for an event everyone may see."), field="audience"
        )
    rule = ""
    if data.recurrence:
        try:
            rule = recurrence.check_rule(data.recurrence, data.starts_at, data.time_zone)
        except recurrence.RecurrenceError as error:
            raise EventError(str(error), field="recurrence") from error
    if not 0 <= (data.meeting_opens_minutes or 0) <= 24 * 60:
        raise EventError(
            _("The meeting opens at most a day (1440 minutes) before the start."),
            field="meeting_opens_minutes",
        )
    cover_alt = " ".join(clean_text(data.cover_alt or "").split())[:200]
    has_cover = bool(data.cover) or (event is not None and event.cover and not data.remove_cover)
    cover_kind = _check_cover(data.cover) if data.cover else None
    if has_cover and not cover_alt:
        raise EventError(
            _("Describe the cover image for people who cannot see it."), field="cover_alt"
        )

    try:
        with transaction.atomic():
            if event is None:
                event = Event(
                    organiser=user,
                    group=group,
                    site_id=None if group is not None else site_id,
                    slug=_unique_slug(title),
                )
                before = None
            else:
                event = Event.objects.select_for_update().get(pk=event.pk)
                if event.is_cancelled:
                    raise EventError(
                        _("This event is cancelled: it cannot be changed any more."), 409
                    )
                before = {name: getattr(event, name) for name in ANNOUNCED_FIELDS}
            event.title = title
            event.description = description
            event.starts_at = data.starts_at
            event.ends_at = data.ends_at
            event.time_zone = data.time_zone
            event.all_day = data.all_day
            event.location = location
            event.online_url = online_url
            if data.online_meeting and jitsi_url():
                event.meeting_room = event.meeting_room or f"meent-{secrets.token_urlsafe(18)}"
            elif not data.online_meeting:
                event.meeting_room = ""
            event.meeting_opens_minutes = data.meeting_opens_minutes or 0
            event.capacity = data.capacity
            event.signup_deadline = data.signup_deadline
            event.audience = data.audience
            event.visibility = Event.Visibility.PUBLIC if group is not None else data.visibility
            event.recurrence = rule
            event.cover_alt = cover_alt if has_cover else ""
            if data.remove_cover or data.cover:
                event.cover = None
            if data.cover:
                event.cover.save(f"cover.{cover_kind.extension}", data.cover, save=False)
            changed = [
                name for name in ANNOUNCED_FIELDS if before and before[name] != getattr(event, name)
            ]
            if changed:
                event.sequence += 1
                event.reminded_for = None
            if before and (
                before["recurrence"] != rule
                or before["starts_at"] != event.starts_at
                or before["time_zone"] != event.time_zone
            ):
                # Moved or cancelled dates belong to the dates the rule gave them: with another
                # rule, start or zone they would match nothing (or the wrong date).
                event.changes.all().delete()
            event.updated_at = timezone.now()
            event.last_ends_at = recurrence.last_end(event)
            event.save()
            if event.capacity is not None:
                _fill_places(event)
            if group is not None:
                group.touch()
            # Who the description names is decided now and stored; each is told once, after
            # commit, if they may see the event.
            mentions.record(event, people_in_html(description, exclude=user))
            transaction.on_commit(lambda: notices.mentioned(event.pk))
            if before is None:
                stream.record("events.created", event, user)
                transaction.on_commit(lambda: notices.created(event.pk))
            elif changed:
                transaction.on_commit(lambda: notices.changed(event.pk, changed, actor_id=user.pk))
    except IntegrityError as error:  # pragma: no cover - a slug race
        raise EventError(_("Saving did not work; please try again."), 409) from error
    return event


def cancel_event(user, event: Event) -> Event:
    if not access.can_edit(user, event) and not access.can_moderate(user, event):
        raise EventError(_("You may not cancel this event."), 403)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.is_cancelled:
            return event
        event.status = Event.Status.CANCELLED
        event.cancelled_at = timezone.now()
        event.sequence += 1
        event.updated_at = timezone.now()
        event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        transaction.on_commit(lambda: notices.cancelled(event.pk, actor_id=user.pk))
    return event


def delete_event(user, event: Event) -> None:
    if not access.can_edit(user, event) and not access.can_moderate(user, event):
        raise EventError(_("You may not delete this event."), 403)
    event.delete()


def change_occurrence(
    user, event: Event, original_start, *, cancelled=False, starts_at=None, ends_at=None
) -> OccurrenceChange:
    """Move one occurrence of a recurring event, or cancel it (``cancelled``)."""
    if not access.can_edit(user, event):
        raise EventError(_("You may not change this event."), 403)
    if not event.is_recurring:
        raise EventError(_("Only a repeating event has occurrences to change."), 409)
    if original_start not in recurrence.starts(event):
        raise EventError(_("The event has no occurrence at that time."), 404)
    if not cancelled:
        if starts_at is None or ends_at is None:
            raise EventError(_("Give the new start and end."), field="starts_at")
        if ends_at <= starts_at:
            raise EventError(_("The end must be after the start."), field="ends_at")
        if starts_at < timezone.now() - START_GRACE:
            raise EventError(
                _("This start has passed. Choose a time in the future."), field="starts_at"
            )
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        change, _created = OccurrenceChange.objects.update_or_create(
            event=locked,
            original_start=original_start,
            defaults={
                "cancelled": cancelled,
                "starts_at": None if cancelled else starts_at,
                "ends_at": None if cancelled else ends_at,
            },
        )
        OccurrenceChange.objects.filter(pk=change.pk).update(sequence=change.sequence + 1)
        locked.sequence += 1
        locked.last_ends_at = recurrence.last_end(locked)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["sequence", "last_ends_at", "updated_at"])
        transaction.on_commit(
            lambda: notices.occurrence_changed(locked.pk, change.pk, actor_id=user.pk)
        )
    return change


# ---------------------------------------------------------------------------------------------
# Sign-ups


def _going(event) -> int:
    """Places taken: going, and for a guest confirmed."""
    from django.db.models import Q

    return (
        event.attendances.filter(status=Attendance.Status.GOING)
        .filter(Q(person__isnull=False) | Q(confirmed_at__isnull=False))
        .count()
    )


def places_left(event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - _going(event), 0)


def _check_open(event, now=None):
    now = now or timezone.now()
    if event.is_cancelled:
        raise EventError(_("This event is cancelled: signing up is closed."), 409)
    if event.signup_deadline is not None and now > event.signup_deadline:
        raise EventError(_("Signing up for this event closed on its deadline."), 409)
    if event.last_ends_at <= now:
        raise EventError(_("This event is over."), 409)


def _fill_places(event) -> list[Attendance]:
    """Move people up from the waiting list while there are places (the event row is locked by
    the caller); each is told after commit."""
    promoted = []
    left = places_left(event)
    if not left:
        return promoted
    waiting = list(
        event.attendances.select_for_update()
        .filter(status=Attendance.Status.WAITING)
        .order_by("waiting_since", "pk")[:left]
    )
    now = timezone.now()
    for attendance in waiting:
        attendance.status = Attendance.Status.GOING
        attendance.waiting_since = None
        attendance.updated_at = now
        attendance.save(update_fields=["status", "waiting_since", "updated_at"])
        promoted.append(attendance)
    for attendance in promoted:
        transaction.on_commit(lambda pk=attendance.pk: notices.promoted(pk))
    return promoted


def answer(user, event: Event, status: str, *, share_details: bool = False) -> Attendance:
    """Going, maybe or not going. Going on a full event puts the person on the waiting list."""
    if status not in (
        Attendance.Status.GOING,
        Attendance.Status.MAYBE,
        Attendance.Status.NOT_GOING,
    ):
        raise EventError(_("Choose going, maybe or not going."), field="status")
    if not access.is_active_person(user):
        raise EventError(_("Sign in to sign up."), 403)
    if not access.can_view(user, event):
        raise EventError(_("This event does not exist or you may not see it."), 404)
    if not policies.may_sign_up(user, event):
        raise EventError(_("Only members of the group can sign up for this event."), 403)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(event)
        attendance = Attendance.objects.filter(event=event, person=user).first()
        was_holding = attendance is not None and attendance.status == Attendance.Status.GOING
        if attendance is None:
            attendance = Attendance(event=event, person=user)
        now = timezone.now()
        if status == Attendance.Status.GOING and not was_holding:
            if attendance.status == Attendance.Status.WAITING and attendance.pk:
                pass  # already waiting: keep the place in the queue
            elif event.capacity is not None and places_left(event) == 0:
                status = Attendance.Status.WAITING
                attendance.waiting_since = now
        if (
            status == Attendance.Status.GOING
            and attendance.status == Attendance.Status.WAITING
            and attendance.pk
        ):
            status = Attendance.Status.WAITING
        if status != Attendance.Status.WAITING:
            attendance.waiting_since = None
        attendance.status = status
        attendance.share_details = share_details
        attendance.updated_at = now
        attendance.save()
        if was_holding and status != Attendance.Status.GOING:
            _fill_places(event)
    return attendance


def withdraw(user, event: Event) -> None:
    """Cancel one's own sign-up (also from the waiting list); a freed place moves the first
    person on the waiting list up."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        attendance = Attendance.objects.filter(event=event, person=user).first()
        if attendance is None:
            raise EventError(_("You have not signed up for this event."), 404)
        held = attendance.status == Attendance.Status.GOING
        attendance.delete()
        if held:
            _fill_places(event)


def confirm_guest(attendance: Attendance) -> Attendance:
    """A guest opened the link e-mailed to them: the sign-up counts from now, holding a place or
    waiting for one exactly like a person's answer "going"."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=attendance.event_id)
        attendance = Attendance.objects.filter(
            pk=attendance.pk, event=event, person__isnull=True
        ).first()
        if attendance is None:
            raise EventError(_("This sign-up no longer exists. Sign up again."), 404)
        if attendance.confirmed_at is not None:
            return attendance
        _check_open(event)
        now = timezone.now()
        attendance.confirmed_at = now
        attendance.status = Attendance.Status.GOING
        attendance.waiting_since = None
        if event.capacity is not None and places_left(event) == 0:
            attendance.status = Attendance.Status.WAITING
            attendance.waiting_since = now
        attendance.updated_at = now
        attendance.save(update_fields=["confirmed_at", "status", "waiting_since", "updated_at"])
    return attendance


def withdraw_guest(attendance: Attendance) -> None:
    """A guest cancels by the link in their e-mail; a freed place moves the waiting list up."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=attendance.event_id)
        attendance = Attendance.objects.filter(
            pk=attendance.pk, event=event, person__isnull=True
        ).first()
        if attendance is None:
            raise EventError(_("This sign-up no longer exists."), 404)
        held = attendance.counts
        attendance.delete()
        if held:
            _fill_places(event)


def remove_attendee(user, attendance: Attendance) -> None:
    """An organiser takes someone off the list (the person is told)."""
    event = attendance.event
    if not access.can_edit(user, event):
        raise EventError(_("Only the organisers can remove someone from the list."), 403)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        attendance = Attendance.objects.filter(pk=attendance.pk, event=event).first()
        if attendance is None:
            raise EventError(_("This person is no longer on the list."), 404)
        held = attendance.counts
        details = notices.removed_details(attendance)
        attendance.delete()
        transaction.on_commit(lambda: notices.removed(event.pk, details))
        if held:
            _fill_places(event)


def attendee_list(user, event: Event):
    """The sign-ups an organiser sees (confirmed guests and people), in the order they came."""
    if not access.can_edit(user, event):
        raise EventError(_("Only the organisers see who signed up."), 403)
    from django.db.models import Q

    return (
        event.attendances.filter(Q(person__isnull=False) | Q(confirmed_at__isnull=False))
        .select_related("person__organisation")
        .order_by("created_at", "pk")
    )


def counts(event) -> dict:
    """How many are going (holding a place), maybe, and waiting: one query."""
    from django.db.models import Count, Q

    holding = Q(attendances__status=Attendance.Status.GOING) & (
        Q(attendances__person__isnull=False) | Q(attendances__confirmed_at__isnull=False)
    )
    return Event.objects.filter(pk=event.pk).aggregate(
        going=Count("attendances", filter=holding),
        maybe=Count("attendances", filter=Q(attendances__status=Attendance.Status.MAYBE)),
        waiting=Count("attendances", filter=Q(attendances__status=Attendance.Status.WAITING)),
    )


def is_open(event, now=None) -> bool:
    """Whether answers are taken now (not cancelled, before the deadline, not over)."""
    try:
        _check_open(event, now)
    except EventError:
        return False
    return True


def meeting_url(event, user, now=None) -> str:
    """The address of the event's online meeting for ``user``: only for people who signed up
    (going, or maybe), from ``meeting_opens_minutes`` before an occurrence's start until its end;
    "" otherwise. The organisers may always open it."""
    if not (event.meeting_room or event.online_url) or event.is_cancelled:
        return ""
    if not access.is_active_person(user):
        return ""
    now = now or timezone.now()
    if not access.can_edit(user, event):
        signed_up = Attendance.objects.filter(
            event=event,
            person=user,
            status__in=[Attendance.Status.GOING, Attendance.Status.MAYBE],
        ).exists()
        if not signed_up:
            return ""
        opens = datetime.timedelta(minutes=event.meeting_opens_minutes)
        window = recurrence.occurrences(event, since=now, until=now + opens)
        if not window:
            return ""
    if event.meeting_room and jitsi_url():
        return f"{jitsi_url()}/{event.meeting_room}"
    return event.online_url


def answer_message(attendance) -> str:
    return {
        Attendance.Status.GOING: _("You are going. See you there!"),
        Attendance.Status.MAYBE: _("You answered maybe."),
        Attendance.Status.NOT_GOING: _("You are not going."),
        Attendance.Status.WAITING: _(
            "The event is full: you are on the waiting list. You are told when a place comes free."
        ),
    }[attendance.status]
