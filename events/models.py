"""Events: an agenda for groups and communities, with sign-up, a waiting list and calendars.

An event belongs to a group (group members organise it, by the group's rule) or, without a group,
to a community (``site``; community managers organise those). Times are stored in UTC with the
time zone the event is planned in (``time_zone``): a recurring event repeats in that zone's wall
clock, also across a daylight-saving change. A recurring event (``recurrence``: an RFC 5545 RRULE)
is one event; its single occurrences can be moved or cancelled (``OccurrenceChange``, which
iCalendar writes as RECURRENCE-ID and EXDATE). A sign-up (``Attendance``) is for the event, so for
every occurrence of a series. Who may see an event is decided by the access policy
(events/policies.py), like every other kind of content.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent import sites
from meent.access import AccessQuerySet
from meent.files import PrivateImageField


def new_token():
    return secrets.token_urlsafe(32)


class EventQuerySet(AccessQuerySet):
    def on_site(self, site):
        """The events of a community (``meent.sites.current_site``): its groups' events and its
        own community events (those of a deleted community: the default one's)."""
        from groups.models import Group

        community = Q(group__isnull=True) & sites.belongs_q(site)
        return self.filter(community | Q(group__in=Group.objects.on_site(site)))


class Event(models.Model):
    class Audience(models.TextChoices):
        """Who may sign up (who may see it is the access policy's question)."""

        MEMBERS = "members", _("Members of the group")
        SIGNED_IN = "signed_in", _("Everyone who is signed in")
        GUESTS = "guests", _("Everyone, also guests without an account")

    class Visibility(models.TextChoices):
        """For community events; a group's event follows its group."""

        PUBLIC = "public", _("Everyone, also without signing in")
        LOGGED_IN = "logged_in", _("Everyone who is signed in")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    group = models.ForeignKey(
        "groups.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    # The community of a community event (a group's event belongs to its group's).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Empty once the organiser deleted their account: the event stays for its attendees.
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="organised_events",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    # When the last occurrence ends (the event's own end when it does not repeat): the agenda
    # asks for events with ``starts_at`` before a window's end and ``last_ends_at`` after its
    # start, one query however often they repeat.
    last_ends_at = models.DateTimeField(db_index=True, editable=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    # An all-day event runs from midnight of its first day to midnight after its last, in its
    # time zone; iCalendar writes it with dates instead of times.
    all_day = models.BooleanField(_("all day"), default=False)
    location = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("link to the online meeting"), max_length=500, blank=True)
    # The unguessable name of the event's room on MEENT_JITSI_URL; shown only to people who
    # signed up, from ``meeting_opens_minutes`` before the start.
    meeting_room = models.CharField(max_length=80, blank=True, editable=False)
    meeting_opens_minutes = models.PositiveSmallIntegerField(
        _("meeting opens (minutes before the start)"), default=15
    )
    # Served only to whoever may see the event (meent/files.py, event_cover in config/urls.py).
    cover = PrivateImageField(
        _("cover image"), folder="event-covers", url_name="event_cover", blank=True
    )
    cover_alt = models.CharField(_("description of the cover image"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    signup_deadline = models.DateTimeField(_("sign up until"), null=True, blank=True)
    audience = models.CharField(
        _("who may sign up"), max_length=12, choices=Audience.choices, default=Audience.MEMBERS
    )
    visibility = models.CharField(
        _("who may see it"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The RRULE of a recurring event (RFC 5545, without "RRULE:"), e.g. "FREQ=WEEKLY;COUNT=10".
    recurrence = models.CharField(_("repeats"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # iCalendar's UID and SEQUENCE: a calendar app updates the event it has instead of adding a
    # second one; SEQUENCE goes up when the time or place changes or the event is cancelled.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The start of the last occurrence whose attendees were reminded (events/tasks.py).
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Hidden by a moderator (moderation/): nobody sees it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["group", "starts_at"], name="event_group_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event", args=[self.slug])

    @property
    def community_id(self):
        """The id of the community (Wagtail Site) the event belongs to; None: the default one."""
        return self.group.site_id if self.group_id else self.site_id

    @property
    def cover_url(self):
        return self.cover.url if self.cover else ""

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_recurring(self):
        return bool(self.recurrence)


class OccurrenceChange(models.Model):
    """One occurrence of a recurring event moved or cancelled; ``original_start`` is the start
    the rule gives it (iCalendar's RECURRENCE-ID)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    original_start = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["original_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "original_start"], name="one_change_per_occurrence"
            )
        ]

    def __str__(self):
        return f"{self.event_id} @ {self.original_start:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    """Someone's answer to an event: going, maybe, not going, or waiting for a place. A person
    with an account (``person``) or a guest (name and e-mail, confirmed by a link)."""

    class Status(models.TextChoices):
        GOING = "going", _("going")
        MAYBE = "maybe", _("maybe")
        NOT_GOING = "not_going", _("not going")
        WAITING = "waiting", _("on the waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_attendances",
    )
    guest_name = models.CharField(_("name"), max_length=150, blank=True)
    guest_email = models.EmailField(_("e-mail address"), blank=True)
    # The language a guest signed up in (the page's): their e-mails are written in it; empty:
    # the community's (LANGUAGE_CODE).
    guest_language = models.CharField(max_length=10, blank=True, default="")
    # A guest's sign-up counts once the link e-mailed to the address is opened.
    confirm_token = models.CharField(max_length=64, blank=True, default="", db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.GOING)
    # Whether the organisers' attendee list (and its CSV) may show the e-mail address and the
    # organisation; the name is always shown to them.
    share_details = models.BooleanField(
        _("share my e-mail address and organisation with the organisers"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The waiting list's order: who asked first is moved up first.
    waiting_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="one_attendance_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "guest_email"],
                condition=Q(person__isnull=True),
                name="one_attendance_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_email=""),
                name="attendance_person_or_guest",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="attendance_event_status")]

    def __str__(self):
        return f"{self.person_id or self.guest_email} → {self.event_id} ({self.status})"

    @property
    def is_guest(self):
        return self.person_id is None

    @property
    def counts(self):
        """Whether it holds a place: going, and for a guest confirmed."""
        return self.status == self.Status.GOING and (self.person_id or self.confirmed_at)

    @property
    def display_name(self):
        return self.person.display_name if self.person_id else self.guest_name


class CalendarFeed(models.Model):
    """A person's secret address of "my events" as an iCalendar feed; renewing it makes a new
    token, and the old address stops working at once."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar of {self.person_id}"
