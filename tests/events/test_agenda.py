"""The agendas: the community's list by day and its month table, "my events" and a group's
Agenda tab. Who sees what (the access policy, the agenda switch, the community's host), the
filters and the past, the month table's structure, bad parameters (400 with a reason, never a
500) and the same number of queries for 10 and 1,000 events, repeating ones among them."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone

from events import agenda, recurrence
from events.models import Attendance, Event, OccurrenceChange
from groups.models import Membership
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AGENDA = reverse("events:agenda")
MONTH = reverse("events:month")
MINE = reverse("events:mine")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def make_event(**fields):
    """An event whose ``last_ends_at`` is what the services would store (the factory's is the
    first end, which is wrong for a repeating event)."""
    event = EventFactory(**fields)
    if event.recurrence:
        event.last_ends_at = recurrence.last_end(event)
        Event.objects.filter(pk=event.pk).update(last_ends_at=event.last_ends_at)
    return event


def community_event(**fields):
    fields.setdefault("group", None)
    return make_event(**fields)


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".event-card .card__title a")]


@pytest.fixture
def people():
    member = UserFactory(email="lid@meent.nl", first_name="Mila", last_name="Lid")
    outsider = UserFactory(email="buiten@meent.nl", first_name="Bas", last_name="Buiten")
    return {"member": member, "outsider": outsider}


@pytest.fixture
def groups(people):
    open_group = GroupFactory(name="Open groep", slug="open", content_default="open")
    closed = GroupFactory(name="Dichte groep", slug="dicht", content_default="members")
    hidden = GroupFactory(
        name="Geheime groep", slug="geheim", content_default="members", visibility="hidden"
    )
    for group in (open_group, closed, hidden):
        MembershipFactory(group=group, user=people["member"], role=Membership.Role.MEMBER)
    return {"open": open_group, "closed": closed, "hidden": hidden}


# --- the community's agenda ---------------------------------------------------------------------


def test_upcoming_occurrences_grouped_by_day_in_the_readers_language(client):
    community_event(title="Voorjaarsdag", starts_at=at(2027, 3, 9), ends_at=at(2027, 3, 9, 16))
    community_event(title="Later", starts_at=at(2027, 3, 10), ends_at=at(2027, 3, 10, 12))
    community_event(title="Eerder", starts_at=at(2027, 3, 9, 8), ends_at=at(2027, 3, 9, 9))

    dutch = client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 200
    soup = BeautifulSoup(dutch.content, "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.select(".agenda-day__title")]
    assert headings == ["dinsdag 9 maart 2027", "woensdag 10 maart 2027"]
    assert soup.select_one(".agenda-day__title time")["datetime"] == "2027-03-09"
    assert titles(dutch) == ["Eerder", "Voorjaarsdag", "Later"]
    english = client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="en")
    assert "Tuesday 9 March 2027" in english.content.decode()


def test_a_day_heading_leaves_out_this_years_number(client):
    soon = timezone.localtime() + datetime.timedelta(days=1)
    community_event(title="Morgen", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1))
    soup = BeautifulSoup(client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="en").content, "html.parser")
    heading = soup.select_one(".agenda-day__title").get_text(strip=True)
    if soon.year == timezone.localdate().year:
        assert str(soon.year) not in heading
    assert heading.startswith(soon.strftime("%A"))


def test_the_card_shows_place_group_cancellation_places_and_my_answer(client, people, groups):
    event = make_event(
        title="Werksessie",
        group=groups["open"],
        location="Stadhuis Utrecht",
        online_url="https://meet.example.org/werksessie",
        capacity=3,
    )
    AttendanceFactory(event=event, person=people["member"], status="going")
    AttendanceFactory(event=event, status="going")
    AttendanceFactory(event=event, status="maybe")  # holds no place
    make_event(title="Afgelast", group=groups["open"], status=Event.Status.CANCELLED)
    client.force_login(people["member"])
    html = client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    card, cancelled = soup.select(".event-card")
    text = card.get_text(" ", strip=True)
    assert "Stadhuis Utrecht" in text and "and online" in text
    assert "1 place left" in text
    assert "You are going" in text
    assert card.select_one("a[href='/groups/open/agenda/']").get_text() == "Open groep"
    assert card.select_one(".card__title a")["href"] == reverse("events:event", args=[event.slug])
    times = card.select("time")
    assert times[0]["datetime"] == event.starts_at.astimezone(AMSTERDAM).isoformat()
    assert "cancelled" in cancelled.select_one(".badge").get_text()


def test_an_outsider_never_sees_a_closed_groups_events_in_any_list(client, people, groups):
    for name, group in groups.items():
        make_event(title=f"Van {name}", group=group, organiser=people["member"])
    community_event(title="Alleen aangemeld", visibility=Event.Visibility.LOGGED_IN)
    community_event(title="Voor iedereen")
    month = (
        MONTH + "?month=" + (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m")
    )

    def listed(url):
        return client.get(url).content.decode()

    for page in (AGENDA, month):
        shown = listed(page)
        assert "Van open" in shown and "Voor iedereen" in shown
        assert "Van closed" not in shown and "Van hidden" not in shown
        assert "Alleen aangemeld" not in shown
    client.force_login(people["outsider"])
    for page in (AGENDA, month, MINE):
        shown = listed(page)
        assert "Van closed" not in shown and "Van hidden" not in shown
    assert "Alleen aangemeld" in listed(AGENDA)
    assert client.get(reverse("group_agenda", args=["geheim"])).status_code == 404
    refused = client.get(reverse("group_agenda", args=["dicht"]), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "Van closed" not in refused.content.decode()
    assert "Only members of this group" in refused.content.decode()
    client.force_login(people["member"])
    for page in (AGENDA, month, MINE):
        shown = listed(page)
        assert "Van closed" in shown and "Van hidden" in shown


def test_a_switched_off_agenda_shows_its_events_nowhere(client, people, groups):
    group = groups["open"]
    make_event(title="Uitgezet", group=group, organiser=people["member"])
    group.events_enabled = False
    group.save()
    client.force_login(people["member"])
    month = (
        MONTH + "?month=" + (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m")
    )
    for page in (AGENDA, month, MINE):
        assert "Uitgezet" not in client.get(page).content.decode(), page
    assert client.get(reverse("group_agenda", args=[group.slug])).status_code == 404
    home = client.get(reverse("groups:home", args=[group.slug])).content.decode()
    assert "/groups/open/agenda/" not in home


def test_another_communitys_events_are_not_on_this_host(client, people):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.localhost", port=80, root_page=Page.get_first_root_node()
    )
    oost_group = GroupFactory(name="Oost", slug="oost", content_default="open", site=other)
    make_event(title="Oostelijke dag", group=oost_group)
    community_event(title="Oostelijk congres", site=other)
    community_event(title="Hier")
    month = (
        MONTH + "?month=" + (timezone.localdate() + datetime.timedelta(days=7)).strftime("%Y-%m")
    )
    for page in (AGENDA, month):
        here = client.get(page).content.decode()
        assert "Hier" in here
        assert "Oostelijke dag" not in here and "Oostelijk congres" not in here
        there = client.get(page, HTTP_HOST="oost.localhost").content.decode()
        assert "Oostelijke dag" in there and "Oostelijk congres" in there
        assert ">Hier<" not in there
    assert "Oost</option>" not in client.get(AGENDA).content.decode()


def test_filters_by_group_and_by_the_organisers_organisation(client, people, groups):
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    zwolle = OrganisationFactory(name="Gemeente Zwolle", slug="zwolle")
    anna = UserFactory(organisation=utrecht)
    piet = UserFactory(organisation=zwolle)
    make_event(title="Utrechts overleg", group=groups["open"], organiser=anna)
    community_event(title="Zwolse dag", organiser=piet)
    make_event(title="Dicht overleg", group=groups["closed"], organiser=piet)

    page = client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="en")
    soup = BeautifulSoup(page.content, "html.parser")
    assert [o.get_text() for o in soup.select("#filter-group option")] == ["All", "Open groep"]
    offered = [o.get_text() for o in soup.select("#filter-organisation option")]
    assert offered == ["All organisations", "Gemeente Utrecht", "Gemeente Zwolle"]

    assert titles(client.get(AGENDA, {"group": "open"})) == ["Utrechts overleg"]
    assert titles(client.get(AGENDA, {"group": "dicht"})) == []
    assert titles(client.get(AGENDA, {"organisation": zwolle.pk})) == ["Zwolse dag"]
    assert titles(client.get(AGENDA, {"organisation": utrecht.pk, "group": "open"})) == [
        "Utrechts overleg"
    ]
    chosen = BeautifulSoup(client.get(AGENDA, {"group": "open"}).content, "html.parser")
    assert chosen.select_one("#filter-group option[selected]")["value"] == "open"


def test_the_past_newest_first_and_not_among_the_upcoming(client):
    now = timezone.now()
    for days in (3, 10, 1):
        start = now - datetime.timedelta(days=days)
        community_event(
            title=f"{days} dagen geleden",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
    community_event(title="Komt nog")
    assert titles(client.get(AGENDA)) == ["Komt nog"]
    past = client.get(AGENDA, {"when": "past"}, HTTP_ACCEPT_LANGUAGE="en")
    assert titles(past) == ["1 dagen geleden", "3 dagen geleden", "10 dagen geleden"]
    soup = BeautifulSoup(past.content, "html.parser")
    assert soup.select_one(".agenda-switch a[aria-current=page]").get_text() == "Past"


def test_a_repeating_event_shows_each_occurrence_and_a_cancelled_one_marked(client):
    event = community_event(
        title="Weekstart",
        starts_at=at(2027, 3, 1, 9),
        ends_at=at(2027, 3, 1, 10),
        recurrence="FREQ=WEEKLY;COUNT=4",
    )
    OccurrenceChange.objects.create(event=event, original_start=at(2027, 3, 8, 9), cancelled=True)
    moved_from = at(2027, 3, 15, 9)
    OccurrenceChange.objects.create(
        event=event,
        original_start=moved_from,
        starts_at=at(2027, 3, 16, 14),
        ends_at=at(2027, 3, 16, 15),
    )
    soup = BeautifulSoup(client.get(AGENDA, HTTP_ACCEPT_LANGUAGE="en").content, "html.parser")
    days = [h.get_text(" ", strip=True) for h in soup.select(".agenda-day__title")]
    assert days == [
        "Monday 1 March 2027",
        "Monday 8 March 2027",
        "Tuesday 16 March 2027",
        "Monday 22 March 2027",
    ]
    cards = soup.select(".event-card")
    assert "event-card--cancelled" in cards[1]["class"]
    assert "moved" in cards[2].get_text()
    # Across the clocks' change (28 March), still at 9:00 in Amsterdam.
    later = community_event(
        title="Na de zomertijd",
        starts_at=at(2027, 3, 22, 9),
        ends_at=at(2027, 3, 22, 10),
        recurrence="FREQ=WEEKLY;COUNT=2",
    )
    second = agenda.entries(Event.objects.filter(pk=later.pk))[1]
    assert second.starts_at.astimezone(AMSTERDAM).hour == 9


def test_new_event_only_for_community_managers(client, people):
    client.force_login(people["member"])
    assert reverse("events:new") not in client.get(AGENDA).content.decode()
    manager = UserFactory()
    manager.groups.add(
        AuthGroup.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)[0]
    )
    client.force_login(manager)
    assert reverse("events:new") in client.get(AGENDA).content.decode()


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"when": "soon"}, "When"),
        ({"organisation": "abc"}, "Organisation"),
        ({"organisation": "99999999999999999999"}, "Organisation"),
        ({"organisation": "-1"}, "Organisation"),
        ({"group": "a b"}, "Group"),
        ({"group": "x" * 101}, "Group"),
        ({"page": "abc"}, "Page"),
    ],
)
def test_bad_agenda_parameters_are_a_400_that_says_why(client, query, reason):
    community_event(title="Blijft staan")
    response = client.get(AGENDA, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "message--error" in response.content.decode()
    assert reason in response.content.decode()
    assert titles(response) == ["Blijft staan"]  # shown as without the parameter


# --- the month ---------------------------------------------------------------------------------


def test_the_month_is_a_table_with_caption_weekdays_days_and_events(client):
    community_event(title="Maartdag", starts_at=at(2027, 3, 9, 14), ends_at=at(2027, 3, 9, 15))
    community_event(
        title="Driedaags",
        starts_at=at(2027, 3, 30, 0, 0),
        ends_at=at(2027, 4, 2, 0, 0),
        all_day=True,
    )
    community_event(title="April", starts_at=at(2027, 4, 5), ends_at=at(2027, 4, 5, 11))
    response = client.get(MONTH, {"month": "2027-03"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table.month")
    assert table.caption.get_text(strip=True) == "maart 2027"
    headers = table.select("thead th")
    assert [th["scope"] for th in headers] == ["col"] * 7
    assert [th.abbr["title"] for th in headers] == [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ]
    rows = table.select("tbody tr")
    assert len(rows) == 5 and all(len(row.select("td")) == 7 for row in rows)
    ninth = table.select_one("time[datetime='2027-03-09']").parent
    assert ninth.select_one(".month__long").get_text() == "dinsdag 9 maart"
    link = ninth.select_one(".month__events a")
    assert link.get_text(" ", strip=True) == "14:00 Maartdag"
    assert link["href"].startswith("/events/")
    # A three-day event is on each of its days in the month, not in April's.
    for day in ("2027-03-30", "2027-03-31"):
        cell = table.select_one(f"time[datetime='{day}']").parent
        assert "Driedaags" in cell.get_text()
    assert "April" not in table.get_text()
    assert soup.select_one("a[rel=prev]")["href"] == MONTH + "?month=2027-02"
    assert soup.select_one("a[rel=next]")["href"] == MONTH + "?month=2027-04"
    assert not table.select("[aria-current]")  # today is not in March 2027


def test_today_is_marked_in_the_current_month(client):
    soup = BeautifulSoup(client.get(MONTH).content, "html.parser")
    today = timezone.localdate()
    marked = soup.select("table.month td[aria-current=date]")
    assert len(marked) == 1
    assert marked[0].time["datetime"] == today.isoformat()
    assert soup.select_one("table.month caption").get_text(strip=True).endswith(str(today.year))


@pytest.mark.parametrize(
    "month",
    ["2027-13", "2027-00", "2027-3", "maart", "1969-12", "2101-01", "２０２７-03", "2027-03\x00"],
)
def test_bad_months_are_a_400_that_says_why(client, month):
    response = client.get(MONTH, {"month": month}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "message--error" in text
    assert "Month" in text and ("2027-03" in text or "1970 to 2100" in text)


def test_the_first_and_last_months_have_no_link_beyond_them(client):
    first = BeautifulSoup(client.get(MONTH, {"month": "1970-01"}).content, "html.parser")
    assert first.select_one("a[rel=prev]") is None
    assert first.select_one("a[rel=next]") is not None
    last = BeautifulSoup(client.get(MONTH, {"month": "2100-12"}).content, "html.parser")
    assert last.select_one("a[rel=next]") is None


# --- my events ---------------------------------------------------------------------------------


def test_my_events_are_the_ones_i_answered_and_organise_with_my_status(client, people, groups):
    me = people["member"]
    answers = {"going": "Ik ga", "maybe": "Misschien", "waiting": "Wachtlijst"}
    for status, title in answers.items():
        AttendanceFactory(
            event=make_event(title=title, group=groups["open"]), person=me, status=status
        )
    AttendanceFactory(
        event=make_event(title="Niet", group=groups["open"]),
        person=me,
        status=Attendance.Status.NOT_GOING,
    )
    make_event(title="Mijn eigen", group=groups["open"], organiser=me)
    make_event(title="Van een ander", group=groups["open"])
    start = timezone.now() - datetime.timedelta(days=2)
    AttendanceFactory(
        event=make_event(
            title="Geweest",
            group=groups["open"],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        ),
        person=me,
    )
    assert client.get(MINE).status_code == 302  # signed in only
    client.force_login(me)
    response = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en")
    assert sorted(titles(response)) == ["Ik ga", "Mijn eigen", "Misschien", "Wachtlijst"]
    soup = BeautifulSoup(response.content, "html.parser")
    status = {
        card.select_one(".card__title a").get_text(): card.select_one(
            ".event-card__status"
        ).get_text(" ", strip=True)
        for card in soup.select(".event-card")
    }
    assert "You are going" in status["Ik ga"]
    assert "You might go" in status["Misschien"]
    assert "You are on the waiting list" in status["Wachtlijst"]
    assert "You organise this" in status["Mijn eigen"]
    assert titles(client.get(MINE, {"when": "past"})) == ["Geweest"]


# --- a group's Agenda tab ----------------------------------------------------------------------


def test_the_groups_agenda_tab(client, people, groups):
    group = groups["open"]
    make_event(title="Groepsoverleg", group=group)
    make_event(title="Elders", group=groups["closed"])
    url = reverse("group_agenda", args=[group.slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert titles(response) == ["Groepsoverleg"]
    current = soup.select_one("nav.tabs a[aria-current=page]")
    assert current.get_text() == "Agenda" and current["href"] == url
    assert soup.select_one(f"a[href='{reverse('group_event_new', args=[group.slug])}']") is None
    client.force_login(people["member"])
    member_view = BeautifulSoup(client.get(url).content, "html.parser")
    assert member_view.select_one(f"a[href='{reverse('group_event_new', args=[group.slug])}']")
    home = client.get(reverse("groups:home", args=[group.slug])).content.decode()
    assert f'href="{url}"' in home
    group.event_organisers = "managers"
    group.save()
    managers_only = BeautifulSoup(client.get(url).content, "html.parser")
    assert not managers_only.select_one(
        f"a[href='{reverse('group_event_new', args=[group.slug])}']"
    )
    assert client.get(url, {"when": "later"}).status_code == 400


# --- queries -----------------------------------------------------------------------------------


def bulk_events(count, groups, organiser, every=5):
    """``count`` events from tomorrow on, every ``every``-th (and the first six) repeating
    weekly with a cancelled and a moved occurrence; one event a day, so the month view holds a
    good share of them."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events = []
    for number in range(count):
        start = now + datetime.timedelta(days=1 + number % 60, hours=number % 7)
        event = Event(
            group=groups[number % len(groups)] if number % 3 else None,
            organiser=organiser,
            title=f"Bulk {number}",
            slug=f"bulk-{number}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            last_ends_at=start + datetime.timedelta(hours=1),
            capacity=10 if number % 2 else None,
            # The first six repeat: each group (and the community) has a series, however few.
            recurrence="FREQ=WEEKLY;COUNT=8" if number % every == 0 or number < 6 else "",
        )
        if event.recurrence:
            event.last_ends_at = recurrence.last_end(event)
        events.append(event)
    created = Event.objects.bulk_create(events)
    changes = []
    for event in created:
        if event.recurrence:
            starts = recurrence.starts(event)
            changes.append(OccurrenceChange(event=event, original_start=starts[1], cancelled=True))
            changes.append(
                OccurrenceChange(
                    event=event,
                    original_start=starts[2],
                    starts_at=starts[2] + datetime.timedelta(hours=3),
                    ends_at=starts[2] + datetime.timedelta(hours=4),
                )
            )
    OccurrenceChange.objects.bulk_create(changes)
    Attendance.objects.bulk_create(
        [Attendance(event=event, person=organiser, status="going") for event in created[::4]]
    )
    return created


def test_the_queries_stay_the_same_for_10_and_1000_events(client, people, groups):
    member = people["member"]
    client.force_login(member)
    shown = [groups["open"], groups["closed"]]
    month = (
        MONTH + "?month=" + (timezone.localdate() + datetime.timedelta(days=20)).strftime("%Y-%m")
    )
    pages = [
        AGENDA,
        AGENDA + "?when=past",
        AGENDA + "?group=open&page=2",
        month,
        MINE,
        reverse("group_agenda", args=["open"]),
    ]
    bulk_events(10, shown, member)
    few = {url: count_queries(client, url) for url in pages}
    Event.objects.all().delete()
    bulk_events(1000, shown, member)
    many = {url: count_queries(client, url) for url in pages}
    assert many == few
    client.logout()
    anonymous = count_queries(client, AGENDA)
    assert anonymous <= few[AGENDA]


def test_entries_cost_two_queries_and_a_page_of_cards_one(
    django_assert_num_queries, people, groups
):
    bulk_events(200, [groups["open"]], people["member"])
    events = Event.objects.all()
    with django_assert_num_queries(2):
        found = agenda.upcoming(events)
    assert len(found) > 200
    assert any(entry.cancelled for entry in found)
    assert any(entry.moved for entry in found)
    with django_assert_num_queries(1):
        shown = agenda.with_details(found[:100], people["member"])
    assert [entry.starts_at for entry in shown] == [entry.starts_at for entry in found[:100]]
    assert {entry.my_answer for entry in shown} == {"", "going"}
    with django_assert_num_queries(0):
        [(entry.places_left, entry.event.group and entry.event.group.name) for entry in shown]


def test_every_day_heading_is_unique_and_every_card_id_too(client):
    soon = timezone.now() + datetime.timedelta(days=2)
    community_event(
        title="Reeks",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=1),
        recurrence="FREQ=DAILY;COUNT=5",
    )
    html = client.get(AGENDA).content.decode()
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
