"""Calendars: iCalendar output read back by an independent parser and expander
(``recurring-ical-events``), compared with what Meent itself says the occurrences are; the
event file, the group feed and the personal feed, each behind the access policy."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import calendar, recurrence, services
from events.models import Attendance, CalendarFeed, Event, OccurrenceChange
from events.services import EventInput
from tests.events.conftest import soon
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    UserFactory,
)
from tests.helpers import count_queries

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC
NEXT_YEAR = timezone.now().year + 1


def local(year, month, day, hour=10, minute=0):
    """A wall-clock time in Amsterdam, as the aware UTC moment Meent stores."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


def last_sunday(year, month):
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


def make(world, who="anna", group=None, **fields):
    start = fields.pop("starts_at", soon())
    values = EventInput(
        title=fields.pop("title", "Werksessie"),
        starts_at=start,
        ends_at=fields.pop("ends_at", start + datetime.timedelta(hours=2)),
        time_zone=fields.pop("time_zone", "Europe/Amsterdam"),
        **fields,
    )
    return services.save_event(
        world["people"][who], values, group=group if group is not None else world["group"]
    )


def ics_of(event):
    event = Event.objects.prefetch_related("changes").select_related("group").get(pk=event.pk)
    return calendar.calendar([event], fallback_root="http://testserver/")


def parsed(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def vevents(body: bytes):
    return list(parsed(body).walk("VEVENT"))


def expanded(body: bytes, since, until):
    """(start, end) of every occurrence the independent expander finds, as UTC (or as dates)."""
    found = recurring_ical_events.of(parsed(body)).between(since, until)
    result = []
    for component in found:
        start, end = component.decoded("DTSTART"), component.decoded("DTEND")
        if isinstance(start, datetime.datetime):
            start, end = start.astimezone(UTC), end.astimezone(UTC)
        result.append((start, end))
    return sorted(result)


def meent_occurrences(event, since, until):
    event = Event.objects.get(pk=event.pk)
    return sorted((o.starts_at, o.ends_at) for o in recurrence.occurrences(event, since, until))


def window(year=NEXT_YEAR):
    return datetime.datetime(year - 1, 1, 1, tzinfo=UTC), datetime.datetime(
        year + 2, 1, 1, tzinfo=UTC
    )


# ---------------------------------------------------------------------------------------------
# The iCalendar itself


def test_weekly_over_both_daylight_saving_changes_stays_at_ten_on_the_wall_clock(events_world):
    march, october = last_sunday(NEXT_YEAR, 3), last_sunday(NEXT_YEAR, 10)
    first = march - datetime.timedelta(days=14)
    event = make(
        events_world,
        starts_at=local(NEXT_YEAR, first.month, first.day),
        ends_at=local(NEXT_YEAR, first.month, first.day, 11, 30),
        recurrence="FREQ=WEEKLY;COUNT=35",
    )
    body = ics_of(event)
    theirs = expanded(body, *window())
    ours = meent_occurrences(event, *window())
    assert theirs == ours
    assert len(theirs) == 35
    walls = {start.astimezone(AMSTERDAM).time() for start, _end in theirs}
    assert walls == {datetime.time(10)}
    by_day = {start.astimezone(AMSTERDAM).date(): start for start, _end in theirs}
    # The Sundays the clocks change are in the series; UTC moves, the wall clock does not.
    assert by_day[march].hour == 8  # 10:00 summer time (UTC+2)
    assert by_day[march - datetime.timedelta(days=7)].hour == 9  # winter time (UTC+1)
    assert by_day[october].hour == 9
    assert by_day[october - datetime.timedelta(days=7)].hour == 8
    text = body.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text
    assert "DTSTART;TZID=Europe/Amsterdam:" in text
    assert "RRULE:FREQ=WEEKLY;COUNT=35" in text


def test_monthly_on_the_second_tuesday(events_world):
    january = datetime.date(NEXT_YEAR, 1, 1)
    second_tuesday = january + datetime.timedelta(days=(1 - january.weekday()) % 7 + 7)
    start = local(NEXT_YEAR, 1, second_tuesday.day, 14)
    rule = recurrence.preset("monthly", start, "Europe/Amsterdam", count=6)
    event = make(events_world, starts_at=start, recurrence=rule)
    body = ics_of(event)
    theirs = expanded(body, *window())
    assert theirs == meent_occurrences(event, *window())
    assert len(theirs) == 6
    for start_at, _end in theirs:
        day = start_at.astimezone(AMSTERDAM)
        assert day.weekday() == 1 and 8 <= day.day <= 14, day
        assert day.time() == datetime.time(14)
    assert "BYDAY=2TU" in body.decode()


def test_a_moved_and_a_cancelled_occurrence(events_world):
    start = soon(days=3)
    event = make(events_world, starts_at=start, recurrence="FREQ=WEEKLY;COUNT=5")
    owner = events_world["people"]["anna"]
    second, third = recurrence.starts(event)[1:3]
    new_start = second + datetime.timedelta(days=1, hours=3)
    services.change_occurrence(
        owner,
        event,
        second,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=1),
    )
    services.change_occurrence(owner, event, third, cancelled=True)
    body = ics_of(event)
    theirs = expanded(body, *window(start.year))
    assert theirs == meent_occurrences(event, *window(start.year))
    assert len(theirs) == 4
    assert (new_start, new_start + datetime.timedelta(hours=1)) in theirs
    assert all(found_start != third for found_start, _end in theirs)

    series, moved = vevents(body)
    assert str(series["UID"]) == str(moved["UID"]) == str(event.uid)
    assert moved.decoded("RECURRENCE-ID").astimezone(UTC) == second
    assert [d.dt.astimezone(UTC) for d in series["EXDATE"].dts] == [third]
    event.refresh_from_db()
    assert series["SEQUENCE"] == event.sequence == 2
    assert moved["SEQUENCE"] >= 1


def test_an_all_day_event_over_several_days_ends_the_day_after(events_world):
    day = (timezone.now() + datetime.timedelta(days=20)).astimezone(AMSTERDAM).date()
    starts_at = local(day.year, day.month, day.day, 0)
    last_day = day + datetime.timedelta(days=2)
    after = last_day + datetime.timedelta(days=1)
    ends_at = local(after.year, after.month, after.day, 0)
    event = make(events_world, starts_at=starts_at, ends_at=ends_at, all_day=True)
    body = ics_of(event)
    (component,) = vevents(body)
    assert component.decoded("DTSTART") == day
    assert component.decoded("DTEND") == after  # exclusive: the day after the last
    assert "DTSTART;VALUE=DATE:" in body.decode()
    assert expanded(body, *window(day.year)) == [(day, after)]


def test_a_cancelled_event_says_so_with_a_higher_sequence(events_world):
    event = make(events_world)
    (before,) = vevents(ics_of(event))
    assert before["STATUS"] == "CONFIRMED" and before["SEQUENCE"] == 0
    services.cancel_event(events_world["people"]["anna"], event)
    (after,) = vevents(ics_of(event))
    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] == 1
    assert str(after["UID"]) == str(before["UID"])


def test_a_changed_time_raises_the_sequence_and_keeps_the_uid(events_world):
    event = make(events_world, title="Overleg")
    (before,) = vevents(ics_of(event))
    later = event.starts_at + datetime.timedelta(hours=2)
    changed = services.save_event(
        events_world["people"]["anna"],
        EventInput(
            title="Overleg",
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1),
            time_zone=event.time_zone,
        ),
        event=event,
    )
    (after,) = vevents(ics_of(changed))
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("DTSTART").astimezone(UTC) == later


def test_the_calendar_says_who_made_it_and_writes_the_description_as_plain_text(events_world):
    event = make(
        events_world,
        title="Kennissessie",
        description="<p>Eerste <strong>alinea</strong> &amp; meer.</p><ul><li>een</li><li>twee</li></ul>",
        location="Stadhuis, zaal 3",
    )
    body = ics_of(event)
    cal = parsed(body)
    assert cal["PRODID"] == calendar.PRODID
    assert cal["METHOD"] == "PUBLISH"
    (component,) = vevents(body)
    description = str(component["DESCRIPTION"])
    assert "Eerste alinea & meer." in description
    assert "- een\n- twee" in description
    assert "<" not in description
    assert str(component["URL"]).startswith("http")
    assert str(component["URL"]).endswith(f"/events/{event.slug}/")
    assert str(component["LOCATION"]) == "Stadhuis, zaal 3"
    assert component.decoded("DTSTAMP") and component.decoded("LAST-MODIFIED")


def test_no_meeting_link_is_ever_written(events_world, settings):
    settings.MEENT_JITSI_URL = "https://meet.example.nl"
    secret_link = "https://vergader.example.nl/geheime-kamer-123"
    event = make(events_world, online_url=secret_link, online_meeting=True)
    assert event.meeting_room
    bodies = [ics_of(event).decode()]
    anna = events_world["people"]["anna"]
    feed = calendar.make_feed(anna)
    client = Client()
    bodies.append(client.get(reverse("events:personal_feed", args=[feed.token])).content.decode())
    client.force_login(anna)
    bodies.append(client.get(reverse("events:ics", args=[event.slug])).content.decode())
    bodies.append(client.get(reverse("group_calendar", args=["team"])).content.decode())
    for body in bodies:
        assert event.title in body
        assert "geheime-kamer" not in body and "vergader.example.nl" not in body
        assert event.meeting_room not in body and "meet.example.nl" not in body
        assert "LOCATION:Online" in body


# ---------------------------------------------------------------------------------------------
# The event's file


def test_the_event_file_is_a_download_for_whoever_may_see_the_event(events_world):
    event = make(events_world)  # the group is closed: members only
    url = reverse("events:ics", args=[event.slug])
    assert Client().get(url).status_code == 404
    outsider = Client()
    outsider.force_login(events_world["people"]["outsider"])
    assert outsider.get(url).status_code == 404
    member = Client()
    member.force_login(events_world["people"]["bram"])
    response = member.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert str(vevents(response.content)[0]["UID"]) == str(event.uid)
    assert member.post(url).status_code == 405


def test_a_hidden_event_is_in_no_calendar(events_world):
    event = make(events_world)
    Event.objects.filter(pk=event.pk).update(hidden_at=timezone.now())
    member = Client()
    member.force_login(events_world["people"]["anna"])  # also its organiser
    assert member.get(reverse("events:ics", args=[event.slug])).status_code == 404
    feed = calendar.make_feed(events_world["people"]["anna"])
    for url in (
        reverse("group_calendar", args=["team"]),
        reverse("events:personal_feed", args=[feed.token]),
    ):
        response = member.get(url)
        assert response.status_code == 200
        assert vevents(response.content) == []


# ---------------------------------------------------------------------------------------------
# The group's feed


@pytest.fixture
def open_group(events_world):
    group = GroupFactory(slug="open-team", name="Open team", content_default="open")
    MembershipFactory(group=group, user=events_world["people"]["anna"], role="owner")
    return group


def uids(response):
    assert response.status_code == 200, response.content[:200]
    return {str(component["UID"]) for component in vevents(response.content)}


def test_an_open_groups_feed_is_for_everyone_a_closed_ones_for_its_members(
    events_world, open_group
):
    open_event = make(events_world, group=open_group, title="Open middag")
    closed_event = make(events_world, title="Teamoverleg")
    open_url = reverse("group_calendar", args=[open_group.slug])
    closed_url = reverse("group_calendar", args=["team"])
    anonymous = Client()
    outsider = Client()
    outsider.force_login(events_world["people"]["outsider"])
    member = Client()
    member.force_login(events_world["people"]["bram"])

    for client in (anonymous, outsider, member):
        assert uids(client.get(open_url)) == {str(open_event.uid)}
    assert anonymous.get(closed_url).status_code == 404
    assert outsider.get(closed_url).status_code == 404
    response = member.get(closed_url)
    assert uids(response) == {str(closed_event.uid)}
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Team" in str(parsed(response.content)["X-WR-CALNAME"])


def test_a_switched_off_agenda_has_no_feed(events_world):
    make(events_world)
    events_world["group"].events_enabled = False
    events_world["group"].save()
    member = Client()
    member.force_login(events_world["people"]["anna"])
    assert member.get(reverse("group_calendar", args=["team"])).status_code == 404


def test_the_feed_holds_what_is_coming_and_the_last_ninety_days(events_world, open_group):
    coming = EventFactory(group=open_group)
    lately = EventFactory(
        group=open_group,
        starts_at=timezone.now() - datetime.timedelta(days=80),
        ends_at=timezone.now() - datetime.timedelta(days=80) + datetime.timedelta(hours=1),
    )
    EventFactory(
        group=open_group,
        starts_at=timezone.now() - datetime.timedelta(days=100),
        ends_at=timezone.now() - datetime.timedelta(days=100) + datetime.timedelta(hours=1),
    )
    found = uids(Client().get(reverse("group_calendar", args=[open_group.slug])))
    assert found == {str(coming.uid), str(lately.uid)}


def _many_events(group, number):
    """``number`` events, every other one weekly with one moved and one cancelled occurrence."""
    for index in range(number):
        start = soon(days=2 + index % 20)
        fields = {}
        if index % 2:
            fields = {
                "recurrence": "FREQ=WEEKLY;COUNT=4",
                "last_ends_at": start + datetime.timedelta(weeks=3, hours=2),
            }
        event = EventFactory(
            group=group, starts_at=start, description="<p>Over <em>iets</em></p>", **fields
        )
        if index % 2:
            second = start + datetime.timedelta(weeks=1)
            OccurrenceChange.objects.create(
                event=event,
                original_start=second,
                starts_at=second + datetime.timedelta(hours=1),
                ends_at=second + datetime.timedelta(hours=3),
                sequence=1,
            )
            OccurrenceChange.objects.create(
                event=event, original_start=start + datetime.timedelta(weeks=2), cancelled=True
            )


def test_the_group_feed_makes_as_many_queries_for_fifty_events_as_for_five(open_group):
    url = reverse("group_calendar", args=[open_group.slug])
    client = Client()
    _many_events(open_group, 5)
    few = count_queries(client, url)
    _many_events(open_group, 45)
    many = count_queries(client, url)
    assert many == few
    moved = OccurrenceChange.objects.filter(cancelled=False).count()
    assert moved == 24
    assert len(vevents(client.get(url).content)) == 50 + moved  # a VEVENT per moved occurrence


def test_the_personal_feed_makes_as_many_queries_for_fifty_events_as_for_five(events_world):
    anna = events_world["people"]["anna"]
    group = events_world["group"]
    feed = calendar.make_feed(anna)
    url = reverse("events:personal_feed", args=[feed.token])
    client = Client()

    def sign_up(number):
        _many_events(group, number)
        for event in Event.objects.exclude(attendances__person=anna):
            AttendanceFactory(event=event, person=anna, status="maybe")

    sign_up(5)
    few = count_queries(client, url)
    sign_up(45)
    many = count_queries(client, url)
    assert many == few
    assert len({str(c["UID"]) for c in vevents(client.get(url).content)}) == 50


# ---------------------------------------------------------------------------------------------
# The personal feed


def test_making_the_address_is_a_post_and_the_page_shows_it(events_world):
    anna = events_world["people"]["anna"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = reverse("events:calendar")
    assert client.get(page).status_code == 302  # signed in only
    client.force_login(anna)
    response = client.get(page)
    assert response.status_code == 200
    assert not CalendarFeed.objects.exists()  # a GET writes nothing
    assert b"Make my calendar address" in response.content
    response = client.post(page, {"action": "make"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(person=anna)
    client.post(page, {"action": "make"})  # twice: the same address
    assert CalendarFeed.objects.get(person=anna).token == feed.token
    response = client.get(page)
    url = "http://testserver" + reverse("events:personal_feed", args=[feed.token])
    assert f'value="{url}"' in response.content.decode()
    assert "readonly" in response.content.decode()
    assert client.post(page, {"action": "nonsense"}).status_code == 400


def test_the_personal_feed_holds_ones_own_events_only(events_world, open_group):
    people = events_world["people"]
    going = make(events_world, who="owner", title="Ik ga")
    maybe = make(events_world, who="owner", title="Misschien")
    waiting = make(events_world, who="owner", title="Wachtlijst")
    not_going = make(events_world, who="owner", title="Ik ga niet")
    organised = make(events_world, who="anna", group=open_group, title="Zelf georganiseerd")
    someone_elses = make(events_world, who="bram", title="Van Bram")
    AttendanceFactory(event=going, person=people["anna"], status="going")
    AttendanceFactory(event=maybe, person=people["anna"], status="maybe")
    AttendanceFactory(event=waiting, person=people["anna"], status="waiting")
    AttendanceFactory(event=not_going, person=people["anna"], status="not_going")
    AttendanceFactory(event=someone_elses, person=people["bram"], status="going")
    feed = calendar.make_feed(people["anna"])
    response = Client().get(reverse("events:personal_feed", args=[feed.token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert uids(response) == {str(e.uid) for e in (going, maybe, waiting, organised)}


def test_the_personal_feed_shows_only_what_the_person_may_see_now(events_world):
    people = events_world["people"]
    event = make(events_world, who="owner")
    AttendanceFactory(event=event, person=people["cor"], status="going")
    feed = calendar.make_feed(people["cor"])
    url = reverse("events:personal_feed", args=[feed.token])
    assert uids(Client().get(url)) == {str(event.uid)}
    events_world["group"].memberships.filter(user=people["cor"]).delete()
    assert uids(Client().get(url)) == set()


def test_a_renewed_address_stops_working_at_once(events_world):
    anna = events_world["people"]["anna"]
    client = Client()
    client.force_login(anna)
    client.post(reverse("events:calendar"), {"action": "make"})
    old = CalendarFeed.objects.get(person=anna).token
    assert Client().get(reverse("events:personal_feed", args=[old])).status_code == 200
    client.post(reverse("events:calendar"), {"action": "renew"})
    new = CalendarFeed.objects.get(person=anna).token
    assert new != old
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("events:personal_feed", args=[old]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert b"renewed" in response.content
    assert Client().get(reverse("events:personal_feed", args=[new])).status_code == 200
    client.post(reverse("events:calendar"), {"action": "stop"})
    assert Client().get(reverse("events:personal_feed", args=[new])).status_code == 404


@pytest.mark.parametrize("state", ["suspended", "deactivated"])
def test_the_feed_of_a_suspended_or_deactivated_person_is_gone(events_world, state):
    anna = events_world["people"]["anna"]
    make(events_world)
    feed = calendar.make_feed(anna)
    if state == "suspended":
        anna.suspended_until = timezone.now() + datetime.timedelta(days=3)
    else:
        anna.is_active = False
    anna.save()
    response = Client().get(reverse("events:personal_feed", args=[feed.token]))
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


@pytest.mark.parametrize(
    "token",
    [
        "unknown-token-that-is-long-enough-000000000",
        "abc",
        "a" * 1024,
        "%00" + "a" * 40,
        "a%20b" + "c" * 40,
        "%E2%80%AE" + "b" * 40,
        "..%2F..%2Fetc",
        "' OR 1=1 --" + "x" * 30,
    ],
)
def test_a_bad_token_is_404_never_500(db, token):
    calendar.make_feed(UserFactory())
    response = Client().get(f"/events/calendar/{token}.ics")
    # Django itself refuses a NUL in a path (400) before any view.
    assert response.status_code == (400 if "%00" in token else 404)
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_feed_fetched_too_often_is_told_to_wait(events_world, monkeypatch):
    from events import calendar_views

    monkeypatch.setattr(calendar_views, "FEED_FETCHES", 2)
    feed = calendar.make_feed(events_world["people"]["anna"])
    url = reverse("events:personal_feed", args=[feed.token])
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_a_sign_up_that_is_gone_leaves_the_feed(events_world):
    people = events_world["people"]
    event = make(events_world, who="owner")
    AttendanceFactory(event=event, person=people["bram"], status="going")
    feed = calendar.make_feed(people["bram"])
    url = reverse("events:personal_feed", args=[feed.token])
    assert uids(Client().get(url)) == {str(event.uid)}
    Attendance.objects.filter(person=people["bram"]).update(status="not_going")
    assert uids(Client().get(url)) == set()


def test_an_events_kept_text_is_never_served_after_it_changed(events_world):
    """Each event's text is kept in the cache under what it says: any change is a new text."""
    event = make(events_world, title="Eerste titel")
    assert b"Eerste titel" in ics_of(event)
    Event.objects.filter(pk=event.pk).update(title="Tweede titel")  # even past the services
    body = ics_of(event)
    assert b"Tweede titel" in body and b"Eerste titel" not in body


def test_the_personal_feed_leaves_out_a_switched_off_agenda_and_holds_community_events(
    events_world,
):
    people = events_world["people"]
    group_event = make(events_world, who="owner", title="In de groep")
    community_event = EventFactory(
        group=None, site=None, organiser=people["manager"], visibility="logged_in"
    )
    for event in (group_event, community_event):
        AttendanceFactory(event=event, person=people["bram"], status="going")
    feed = calendar.make_feed(people["bram"])
    url = reverse("events:personal_feed", args=[feed.token])
    assert uids(Client().get(url)) == {str(group_event.uid), str(community_event.uid)}
    events_world["group"].events_enabled = False
    events_world["group"].save()
    assert uids(Client().get(url)) == {str(community_event.uid)}


@pytest.mark.parametrize("until", ["{date}", "{date}T100000", "{date}T090000Z"])
def test_a_rule_that_ends_on_a_date_ends_there_in_both_readings(events_world, until):
    """UNTIL written as a date, a wall-clock time or UTC: the calendar app stops where Meent
    does (RFC 5545 wants UTC beside a DTSTART with a zone; the feed writes it so)."""
    start = local(NEXT_YEAR, 2, 1)
    last = (start + datetime.timedelta(weeks=5)).astimezone(AMSTERDAM).date()
    rule = "FREQ=WEEKLY;UNTIL=" + until.format(date=last.strftime("%Y%m%d"))
    event = make(events_world, starts_at=start, recurrence=rule)
    body = ics_of(event)
    assert expanded(body, *window()) == meent_occurrences(event, *window())
    assert len(expanded(body, *window())) == 6
    assert "UNTIL=" in body.decode() and "Z" in body.decode().split("UNTIL=")[1].split("\r")[0]


def test_an_all_day_series_with_an_end_date_is_written_in_dates(events_world):
    day = datetime.date(NEXT_YEAR, 2, 1)
    last = day + datetime.timedelta(weeks=3)
    event = make(
        events_world,
        starts_at=local(day.year, day.month, day.day, 0),
        ends_at=local(day.year, day.month, day.day + 1, 0),
        all_day=True,
        recurrence=f"FREQ=WEEKLY;UNTIL={last:%Y%m%d}",
    )
    body = ics_of(event)
    found = expanded(body, *window())
    assert [start for start, _end in found] == [day + datetime.timedelta(weeks=n) for n in range(4)]
    assert all(end - start == datetime.timedelta(days=1) for start, end in found)
    ours = [o.starts_at.astimezone(AMSTERDAM).date() for o in recurrence.occurrences(event)]
    assert ours == [start for start, _end in found]
    assert f"UNTIL={last:%Y%m%d};" in body.decode() or f"UNTIL={last:%Y%m%d}\r" in body.decode()
