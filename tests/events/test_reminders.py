"""Reminders a day before: everyone going or maybe going is reminded of an occurrence that starts
within 24 hours, once per occurrence (two workers at once remind once), by notification and
e-mail as they chose; confirmed guests by e-mail. And the guests' data erased after the event."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from events import recurrence, services, tasks
from events.models import Attendance, Event
from events.privacy import purge_guests
from notifications.models import Kind, Notification, NotificationPreference
from tests.factories import EventFactory
from tests.helpers import at_once, require_row_locks

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def at(hours):
    return (timezone.now() + hours * HOUR).replace(second=0, microsecond=0)


def event_in(world, hours, **fields):
    """A group event of the world starting ``hours`` from now, its organiser Anna."""
    people = world["people"]
    start = at(hours)
    return EventFactory(
        group=world["group"],
        organiser=people["anna"],
        starts_at=start,
        ends_at=start + 2 * HOUR,
        last_ends_at=start + 2 * HOUR,
        **fields,
    )


def sign_up(event, person, status="going"):
    return Attendance.objects.create(event=event, person=person, status=status)


def guest(event, email, status="going", confirmed=True):
    return Attendance.objects.create(
        event=event,
        guest_name="Gast",
        guest_email=email,
        status=status,
        confirmed_at=timezone.now() if confirmed else None,
    )


def reminded(person):
    return Notification.objects.filter(
        recipient=person, kind=Kind.EVENTS, message="events.reminder"
    ).count()


def test_people_going_or_maybe_are_reminded_once_and_guests_by_e_mail(
    events_world, mailoutbox, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    event = event_in(events_world, 5, title="Stuurgroep")
    sign_up(event, people["bram"], "going")
    sign_up(event, people["cor"], "maybe")
    sign_up(event, people["owner"], "not_going")
    sign_up(event, people["anna"], "waiting")
    guest(event, "gast@example.org")
    guest(event, "stil@example.org", confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):  # e-mails go after commit
        assert tasks.send_reminders() == 3
    assert reminded(people["bram"]) == reminded(people["cor"]) == 1
    assert reminded(people["owner"]) == reminded(people["anna"]) == 0
    notification = Notification.objects.get(recipient=people["bram"], message="events.reminder")
    assert notification.url == event.get_absolute_url()
    with translation.override("nl"):
        assert notification.display_text.startswith("Herinnering: “Stuurgroep” begint op")
    with translation.override("en"):
        assert notification.display_text.startswith("Reminder: “Stuurgroep” starts on")
    addresses = sorted(m.to[0] for m in mailoutbox)
    assert addresses == sorted([people["bram"].email, people["cor"].email, "gast@example.org"])
    event.refresh_from_db()
    assert event.reminded_for == event.starts_at
    # Again: nobody twice.
    mailoutbox.clear()
    assert tasks.send_reminders() == 0
    assert reminded(people["bram"]) == 1 and mailoutbox == []


def test_only_what_starts_within_a_day_and_is_on(events_world):
    people = events_world["people"]
    later = event_in(events_world, 30)
    started = event_in(events_world, -1)
    cancelled = event_in(events_world, 3, status=Event.Status.CANCELLED)
    hidden = event_in(events_world, 3, hidden_at=timezone.now())
    for event in (later, started, cancelled, hidden):
        sign_up(event, people["bram"])
    assert tasks.send_reminders() == 0
    assert reminded(people["bram"]) == 0
    # A day on, the later one is due.
    assert tasks.send_reminders(now=timezone.now() + 8 * HOUR) == 1


def test_a_switched_off_agenda_reminds_nobody(events_world):
    event = event_in(events_world, 3)
    sign_up(event, events_world["people"]["bram"])
    group = events_world["group"]
    group.events_enabled = False
    group.save()
    assert tasks.send_reminders() == 0


def test_the_e_mail_follows_the_persons_preference(
    events_world, mailoutbox, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    NotificationPreference.objects.create(user=people["bram"], kind=Kind.EVENTS, email="never")
    sign_up(event_in(events_world, 3), people["bram"])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 1
    assert reminded(people["bram"]) == 1
    assert mailoutbox == []


def test_each_occurrence_of_a_series_is_reminded_once(events_world):
    people = events_world["people"]
    event = event_in(events_world, 3, recurrence="FREQ=DAILY;COUNT=3")
    Event.objects.filter(pk=event.pk).update(last_ends_at=recurrence.last_end(event))
    sign_up(event, people["bram"])
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders(now=timezone.now() + 2 * HOUR) == 0  # the same occurrence
    assert tasks.send_reminders(now=timezone.now() + 20 * HOUR) == 1  # the second day's
    assert tasks.send_reminders(now=timezone.now() + 21 * HOUR) == 0
    assert reminded(people["bram"]) == 2


def test_a_new_time_is_reminded_again(events_world, django_capture_on_commit_callbacks):
    from events.services import EventInput

    people = events_world["people"]
    event = services.save_event(
        people["anna"],
        EventInput(title="Overleg", starts_at=at(3), ends_at=at(5)),
        group=events_world["group"],
    )
    sign_up(event, people["bram"])
    assert tasks.send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(
            people["anna"],
            EventInput(title="Overleg", starts_at=at(4), ends_at=at(6)),
            event=event,
        )
    assert tasks.send_reminders() == 1
    assert reminded(people["bram"]) == 2


def test_the_command_sends_the_same_reminders(events_world):
    sign_up(event_in(events_world, 3), events_world["people"]["bram"])
    out = io.StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "Reminded 1" in out.getvalue()
    call_command("send_event_reminders", stdout=out)
    assert reminded(events_world["people"]["bram"]) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_once(events_world, mailoutbox):
    require_row_locks()
    people = events_world["people"]
    events = [event_in(events_world, hours) for hours in (2, 3, 4, 5)]
    for event in events:
        for name in ("bram", "cor", "owner"):
            sign_up(event, people[name])
    counts, errors = at_once(tasks.send_reminders, tasks.send_reminders)
    assert errors == []
    assert sum(counts) == 12
    for name in ("bram", "cor", "owner"):
        assert reminded(people[name]) == 4
    assert len(mailoutbox) == 12


def test_guests_data_is_erased_some_days_after_the_event(events_world, settings):
    settings.MEENT_EVENT_GUEST_DAYS = 30
    people = events_world["people"]
    past = event_in(events_world, -24 * 31)
    recent = event_in(events_world, -24 * 20)
    old_guest = guest(past, "oud@example.org")
    unconfirmed = guest(past, "nooit@example.org", confirmed=False)
    person = sign_up(past, people["bram"])
    recent_guest = guest(recent, "recent@example.org")
    assert purge_guests() == 2
    assert not Attendance.objects.filter(pk__in=[old_guest.pk, unconfirmed.pk]).exists()
    assert Attendance.objects.filter(pk__in=[person.pk, recent_guest.pk]).count() == 2
    settings.MEENT_EVENT_GUEST_DAYS = 10
    out = io.StringIO()
    call_command("purge_event_guests", stdout=out)
    assert "Deleted 1 guest sign-ups" in out.getvalue()
    assert not Attendance.objects.filter(pk=recent_guest.pk).exists()


def test_the_schedules_name_tasks_that_exist():
    from django.conf import settings
    from django.utils.module_loading import import_string

    names = {entry["name"]: entry for entry in settings.SCHEDULES}
    for name in ("event-reminders", "purge-event-guests"):
        assert import_string(names[name]["task"]) is not None
    assert names["event-reminders"]["every"] == 15 * 60
