"""The event's own pages: the page, organising through the form, answers, cancel and delete."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from events import recurrence, services
from events.models import Attendance, Event
from tests.events.conftest import make
from tests.helpers import count_queries


def form_data(**overrides):
    data = {
        "title": "Kennissessie open data",
        "description": "<p>Over <strong>datasets</strong></p><script>alert(1)</script>",
        "starts_at": "2028-03-21T10:00",
        "ends_at": "2028-03-21T12:00",
        "time_zone": "Europe/Amsterdam",
        "audience": "members",
        "capacity": "2",
        "location": "Utrecht",
        "submission_key": "a" * 32,
    }
    data.update(overrides)
    return data


def test_a_member_organises_through_the_form_in_the_events_wall_clock(client, events_world):
    group = events_world["group"]
    client.force_login(events_world["people"]["anna"])
    url = reverse("group_event_new", args=[group.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    # 10:00 in Amsterdam on 21 March 2028 (winter time): 09:00 UTC.
    assert event.starts_at == datetime.datetime(2028, 3, 21, 9, 0, tzinfo=datetime.UTC)
    assert "<script>" not in event.description and "<strong>datasets</strong>" in event.description
    # The same submission again makes nothing new.
    again = client.post(url, form_data())
    assert again.status_code == 302 and Event.objects.count() == 1


def test_a_series_a_time_zone_and_all_day_through_the_form(client, events_world):
    client.force_login(events_world["people"]["anna"])
    url = reverse("group_event_new", args=[events_world["group"].slug])
    client.post(
        url,
        form_data(
            repeat="monthly", repeat_count="3", time_zone="Europe/London", submission_key="b" * 32
        ),
    )
    series = Event.objects.get()
    assert series.recurrence == "FREQ=MONTHLY;COUNT=3;BYDAY=3TU"
    assert series.starts_at == datetime.datetime(2028, 3, 21, 10, 0, tzinfo=datetime.UTC)
    assert len(recurrence.occurrences(series)) == 3
    client.post(
        url,
        form_data(
            all_day="on", title="Hackathon", ends_at="2028-03-22T09:00", submission_key="c" * 32
        ),
    )
    day = Event.objects.get(title="Hackathon")
    zone = recurrence.zone("Europe/Amsterdam")
    assert day.starts_at.astimezone(zone).hour == 0
    assert (day.ends_at - day.starts_at) == datetime.timedelta(days=2)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"ends_at": "2028-03-21T09:00"}, "ends_at"),
        ({"starts_at": "2001-01-01T10:00", "ends_at": "2001-01-01T11:00"}, "starts_at"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-1"}, "capacity"),
        ({"capacity": "veel"}, "capacity"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"repeat": "weekly"}, "repeat_until"),
        ({"repeat": "custom", "rule": "FREQ=SECONDLY;COUNT=9"}, "rule"),
        ({"repeat": "custom", "rule": "FREQ=DAILY"}, "rule"),
        ({"repeat": "custom", "rule": "FREQ=DAILY;COUNT=2000"}, "rule"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"audience": "guests"}, "audience"),
        ({"signup_deadline": "2028-03-22T10:00"}, "signup_deadline"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_nothing_is_saved(
    client, events_world, overrides, field
):
    client.force_login(events_world["people"]["anna"])
    url = reverse("group_event_new", args=[events_world["group"].slug])
    response = client.post(url, form_data(**overrides))
    assert 400 <= response.status_code < 500
    form = response.context["form"]
    # A rule refused by the services lands on the field the person wrote it in.
    assert form.errors.get(field) or (field == "rule" and form.errors.get("repeat_until")), (
        form.errors
    )
    assert not Event.objects.exists()
    # What was typed stays in the form.
    assert response.context["form"]["title"].value() == form_data(**overrides)["title"]


@pytest.mark.parametrize("who, status", [("outsider", 403), (None, 302), ("bram", 200)])
def test_only_members_organise_in_a_members_only_group(client, events_world, who, status):
    if who:
        client.force_login(events_world["people"][who])
    url = reverse("group_event_new", args=[events_world["group"].slug])
    assert client.get(url).status_code == status


def test_community_events_are_organised_by_community_managers(client, events_world):
    url = reverse("events:new")
    client.force_login(events_world["people"]["anna"])
    assert client.get(url).status_code == 403
    client.force_login(events_world["people"]["manager"])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(audience="guests", visibility="public"))
    event = Event.objects.get()
    assert response.status_code == 302 and event.group is None and event.audience == "guests"


def test_the_page_shows_when_where_places_and_the_answer_form(client, events_world):
    event = make(events_world, capacity=2, location="Stadhuis")
    services.answer(events_world["people"]["bram"], event, "going")
    client.force_login(events_world["people"]["cor"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Stadhuis" in page
    assert f'action="{reverse("events:answer", args=[event.slug])}"' in page
    assert "<time datetime=" in page


def test_outsiders_and_anonymous_visitors_do_not_see_a_members_only_event(client, events_world):
    event = make(events_world)
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(events_world["people"]["outsider"])
    assert client.get(event.get_absolute_url()).status_code == 404
    response = client.post(reverse("events:answer", args=[event.slug]), {"status": "going"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_answers_through_the_page_and_the_waiting_list(client, events_world):
    event = make(events_world, capacity=1)
    people = events_world["people"]
    url = reverse("events:answer", args=[event.slug])
    client.force_login(people["bram"])
    assert client.post(url, {"status": "going"}).status_code == 302
    client.force_login(people["cor"])
    client.post(url, {"status": "going"})
    assert Attendance.objects.get(person=people["cor"]).status == "waiting"
    with translation.override("nl"):
        waiting = gettext("You are on the waiting list. You are told when a place comes free.")
    assert waiting in client.get(event.get_absolute_url()).content.decode()
    bad = client.post(url, {"status": "waiting"})
    assert bad.status_code == 400
    client.force_login(people["bram"])
    client.post(reverse("events:withdraw", args=[event.slug]))
    assert Attendance.objects.get(person=people["cor"]).status == "going"
    again = client.post(reverse("events:withdraw", args=[event.slug]))
    assert again.status_code == 404


def test_cancel_and_delete_ask_first_and_are_for_organisers(client, events_world):
    event = make(events_world)
    people = events_world["people"]
    client.force_login(people["bram"])
    assert client.get(reverse("events:cancel", args=[event.slug])).status_code == 403
    assert client.post(reverse("events:cancel", args=[event.slug])).status_code == 403
    client.force_login(people["owner"])  # the group's owner manages its events
    assert client.get(reverse("events:cancel", args=[event.slug])).status_code == 200
    client.post(reverse("events:cancel", args=[event.slug]))
    event.refresh_from_db()
    assert event.is_cancelled
    assert client.get(reverse("events:edit", args=[event.slug])).status_code == 409
    client.post(reverse("events:delete", args=[event.slug]))
    assert not Event.objects.exists()


def test_moving_one_date_of_a_series_through_the_form(client, events_world):
    event = make(events_world, recurrence="FREQ=WEEKLY;COUNT=3")
    client.force_login(events_world["people"]["anna"])
    second = recurrence.starts(event)[1]
    url = reverse("events:occurrence", args=[event.slug])
    assert client.get(url, {"at": second.isoformat()}).status_code == 200
    assert client.get(url, {"at": "2028-13-45T99:00"}).status_code == 400
    assert (
        client.get(url, {"at": (second + datetime.timedelta(minutes=3)).isoformat()}).status_code
        == 400
    )
    response = client.post(url, {"original_start": second.isoformat(), "action": "cancel"})
    assert response.status_code == 302
    assert [o.cancelled for o in recurrence.occurrences(event, cancelled=True)] == [
        False,
        True,
        False,
    ]


def test_the_page_asks_the_same_number_of_queries_for_a_long_series(client, events_world):
    short = make(events_world, recurrence="FREQ=WEEKLY;COUNT=2", title="Kort")
    long = make(events_world, recurrence="FREQ=WEEKLY;COUNT=200", title="Lang")
    for n in range(3):
        services.change_occurrence(
            events_world["people"]["anna"], long, recurrence.starts(long)[n + 1], cancelled=True
        )
    client.force_login(events_world["people"]["bram"])
    assert count_queries(client, short.get_absolute_url()) == count_queries(
        client, long.get_absolute_url()
    )


def test_an_event_of_another_community_leads_to_its_own_host(client, events_world, settings):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.testserver", port=80, root_page=Page.objects.get(depth=1), site_name="Oost"
    )
    group = events_world["group"]
    group.site = other
    group.save()
    settings.ALLOWED_HOSTS = ["testserver", "oost.testserver"]
    event = make(events_world)
    client.force_login(events_world["people"]["anna"])
    response = client.get(event.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("http://oost.testserver")
