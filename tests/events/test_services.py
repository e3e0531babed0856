"""Events' services: who may organise, what is refused, places and the waiting list."""

import datetime
from functools import partial

import pytest
from django.utils import timezone

from events import recurrence, services
from events.models import Attendance, Event
from events.services import EventError, EventInput
from tests.events.conftest import make, soon
from tests.helpers import at_once, require_row_locks


def test_a_member_organises_and_the_event_is_the_groups(events_world):
    event = make(events_world, capacity=2, location="Stadhuis, zaal 3")
    assert event.group == events_world["group"]
    assert event.organiser == events_world["people"]["anna"]
    assert event.last_ends_at == event.ends_at
    assert event.location == "Stadhuis, zaal 3"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "   "}, "title"),
        ({"ends_at": soon() - datetime.timedelta(hours=1)}, "ends_at"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=2)}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"recurrence": "FREQ=WEEKLY"}, "recurrence"),
        ({"recurrence": "FREQ=DAILY;COUNT=5000"}, "recurrence"),
        ({"recurrence": "FREQ=MINUTELY;COUNT=5"}, "recurrence"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "http://meet.example.nl/room"}, "online_url"),
        ({"audience": "guests"}, "audience"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"signup_deadline": soon(days=8)}, "signup_deadline"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_saved(events_world, fields, field):
    with pytest.raises(EventError) as refused:
        make(events_world, **fields)
    assert refused.value.field == field
    assert refused.value.message
    assert not Event.objects.exists()


def test_a_start_minutes_ago_is_taken(events_world):
    start = timezone.now() - datetime.timedelta(minutes=5)
    assert make(events_world, starts_at=start).starts_at == start


def test_outsiders_and_switched_off_agendas_refuse(events_world):
    with pytest.raises(EventError) as refused:
        make(events_world, who="outsider")
    assert refused.value.status == 403
    group = events_world["group"]
    group.event_organisers = "managers"
    group.save()
    with pytest.raises(EventError):
        make(events_world, who="anna")
    assert make(events_world, who="owner").organiser == events_world["people"]["owner"]
    group.events_enabled = False
    group.save()
    with pytest.raises(EventError) as refused:
        make(events_world, who="owner")
    assert refused.value.status == 409


def test_community_events_are_for_community_managers(events_world):
    start = soon()
    values = EventInput(
        title="Open dag",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        audience=Event.Audience.GUESTS,
    )
    with pytest.raises(EventError):
        services.save_event(events_world["people"]["anna"], values, group=None)
    event = services.save_event(events_world["people"]["manager"], values, group=None)
    assert event.group is None and event.audience == Event.Audience.GUESTS


def test_a_weekly_series_keeps_its_wall_clock_over_the_change_to_summer_time(events_world):
    # 10:00 in Amsterdam on the Tuesday before the last Sunday of March, weekly, four times.
    year = timezone.now().year + 1
    start = datetime.datetime(year, 3, 20, 9, 0, tzinfo=datetime.UTC)
    while start.weekday() != 1:
        start += datetime.timedelta(days=1)
    event = make(events_world, starts_at=start, recurrence="FREQ=WEEKLY;COUNT=4")
    zone = recurrence.zone("Europe/Amsterdam")
    local = [o.starts_at.astimezone(zone) for o in recurrence.occurrences(event)]
    assert [moment.hour for moment in local] == [10, 10, 10, 10]
    assert len({moment.utcoffset() for moment in local}) == 2  # both sides of the change
    assert event.last_ends_at == recurrence.occurrences(event)[-1].ends_at


def test_changing_the_time_raises_the_sequence_and_a_title_does_not(events_world):
    event = make(events_world)
    anna = events_world["people"]["anna"]
    same = EventInput(title="Nieuwe titel", starts_at=event.starts_at, ends_at=event.ends_at)
    assert services.save_event(anna, same, event=event).sequence == 0
    later = EventInput(
        title="Nieuwe titel",
        starts_at=event.starts_at + datetime.timedelta(hours=1),
        ends_at=event.ends_at + datetime.timedelta(hours=1),
    )
    assert services.save_event(anna, later, event=event).sequence == 1
    assert services.cancel_event(anna, event).sequence == 2
    with pytest.raises(EventError) as refused:
        services.save_event(anna, later, event=event)
    assert refused.value.status == 409


def test_a_full_event_puts_people_on_the_waiting_list_and_moves_them_up_in_order(events_world):
    people = events_world["people"]
    event = make(events_world, capacity=2)
    assert services.answer(people["anna"], event, "going").status == "going"
    assert services.answer(people["bram"], event, "going").status == "going"
    assert services.answer(people["cor"], event, "going").status == "waiting"
    assert services.answer(people["owner"], event, "going").status == "waiting"
    # Answering "going" again keeps one's place in the queue.
    assert services.answer(people["cor"], event, "going").status == "waiting"
    services.withdraw(people["anna"], event)
    statuses = dict(
        Attendance.objects.filter(event=event).values_list("person__first_name", "status")
    )
    assert statuses == {"Bram": "going", "Cor": "going", "Owner": "waiting"}
    # "Maybe" holds no place: the next one moves up.
    services.answer(people["bram"], event, "maybe")
    assert Attendance.objects.get(event=event, person=people["owner"]).status == "going"


def test_more_places_move_the_waiting_list_up(events_world):
    people = events_world["people"]
    event = make(events_world, capacity=1)
    services.answer(people["anna"], event, "going")
    services.answer(people["bram"], event, "going")
    values = EventInput(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at, capacity=2
    )
    services.save_event(people["anna"], values, event=event)
    assert Attendance.objects.get(event=event, person=people["bram"]).status == "going"


@pytest.mark.parametrize(
    "situation, status",
    [("cancelled", 409), ("deadline", 409), ("outsider", 404), ("over", 409)],
)
def test_answers_are_refused_where_they_cannot_be_taken(events_world, situation, status):
    people = events_world["people"]
    event = make(events_world, signup_deadline=soon(days=6))
    who = people["bram"]
    if situation == "cancelled":
        services.cancel_event(people["anna"], event)
    elif situation == "deadline":
        Event.objects.filter(pk=event.pk).update(
            signup_deadline=timezone.now() - datetime.timedelta(minutes=1)
        )
    elif situation == "outsider":
        who = people["outsider"]
    elif situation == "over":
        Event.objects.filter(pk=event.pk).update(
            signup_deadline=None, last_ends_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    event.refresh_from_db()
    with pytest.raises(EventError) as refused:
        services.answer(who, event, "going")
    assert refused.value.status == status
    assert not Attendance.objects.filter(event=event).exists()


def test_an_unknown_answer_and_withdrawing_nothing_are_refused(events_world):
    event = make(events_world)
    with pytest.raises(EventError):
        services.answer(events_world["people"]["bram"], event, "waiting")
    with pytest.raises(EventError) as refused:
        services.withdraw(events_world["people"]["bram"], event)
    assert refused.value.status == 404


def test_moving_and_cancelling_one_date_of_a_series(events_world):
    event = make(events_world, recurrence="FREQ=WEEKLY;COUNT=3")
    anna = events_world["people"]["anna"]
    second = recurrence.starts(event)[1]
    services.change_occurrence(anna, event, second, cancelled=True)
    assert len(recurrence.occurrences(event)) == 2
    third = recurrence.starts(event)[2]
    moved = third + datetime.timedelta(days=1)
    services.change_occurrence(
        anna, event, third, starts_at=moved, ends_at=moved + datetime.timedelta(hours=1)
    )
    event.refresh_from_db()
    last = recurrence.occurrences(event)[-1]
    assert last.moved and last.starts_at == moved
    assert event.sequence == 2
    with pytest.raises(EventError) as refused:
        services.change_occurrence(
            anna, event, second + datetime.timedelta(minutes=1), cancelled=True
        )
    assert refused.value.status == 404


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_move_up_exactly_two_people(events_world):
    require_row_locks()
    people = events_world["people"]
    event = make(events_world, capacity=2)
    for name in ("anna", "bram", "cor", "owner"):
        services.answer(people[name], event, "going")
    _results, errors = at_once(
        *(partial(services.withdraw, people[name], event) for name in ("anna", "bram"))
    )
    assert errors == []
    going = set(
        Attendance.objects.filter(event=event, status="going").values_list(
            "person__first_name", flat=True
        )
    )
    assert going == {"Cor", "Owner"}
    assert not Attendance.objects.filter(event=event, status="waiting").exists()
