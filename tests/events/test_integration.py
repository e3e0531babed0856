"""Events in everything else: the activity stream (followed, saved), search (labels, the agenda
switch, hidden events, the date), reports and moderation, "download my data" and account
deletion (places freed through the services, organised events kept without organiser)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from activity import registry as activity_registry
from activity import services as stream
from events import services
from events.models import Attendance, Event
from moderation import services as moderation
from moderation.models import Kind as ReportKind
from moderation.models import Report
from notifications.models import Notification
from privacy import export as exporting
from privacy import services as privacy
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.events.conftest import make
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db


def found(user, text, **filters):
    drain_outbox()
    results = get_search_backend().search(SearchQuery(text=text, user=user, **filters))
    return {(hit.type, hit.object_id) for hit in results.hits}


# ---------------------------------------------------------------------------------------------
# The stream


def test_an_event_is_an_item_to_follow_and_save_with_a_news_kind():
    item = activity_registry.item_for(Event)
    assert item.key == "events.event" and item.followable and item.bookmarkable
    kind = activity_registry.kind("events.created")
    assert kind.news and kind.digest and kind.new_item
    assert kind in activity_registry.news_kinds()


def test_the_groups_stream_shows_the_new_event_to_members_only(events_world, client):
    people = events_world["people"]
    event = make(events_world, title="Stuurgroep maart")
    stream.follow(people["bram"], event)
    stream.save_for_later(people["bram"], event)
    assert stream.is_saved(people["bram"], event)
    client.force_login(people["bram"])
    page = client.get(f"/groups/{events_world['group'].slug}/activity/").content.decode()
    assert event.get_absolute_url() in page and "Stuurgroep maart" in page
    lines = stream.news_entries(people["outsider"], None, group_ids={events_world["group"].pk})
    assert [e for e in lines if e.kind == "events.created"] == []
    lines = stream.news_entries(people["cor"], None, group_ids={events_world["group"].pk})
    assert [e.target_id for e in lines if e.kind == "events.created"] == [event.pk]


# ---------------------------------------------------------------------------------------------
# Search


def test_search_finds_an_event_by_title_description_and_address_for_who_may_see_it(
    events_world,
):
    people = events_world["people"]
    event = make(
        events_world,
        title="Datacafé",
        description="<p>Over <strong>zaakgericht</strong> werken</p>",
        location="Stadskantoor Zwolle",
    )
    key = ("event", event.pk)
    for text in ("Datacafé", "zaakgericht", "Zwolle"):
        assert key in found(people["bram"], text)
        assert key not in found(people["outsider"], text)
        assert key not in found(AnonymousUser(), text)
    # The date filter reads the start.
    day = event.starts_at.date()
    assert key in found(people["bram"], "Datacafé", date_from=day, date_to=day)
    later = day + datetime.timedelta(days=1)
    assert key not in found(people["bram"], "Datacafé", date_from=later)


def test_a_hidden_event_and_a_switched_off_agenda_leave_search(events_world):
    people = events_world["people"]
    event = make(events_world, title="Kwartaaloverleg")
    other = make(events_world, title="Kwartaalborrel")
    assert ("event", event.pk) in found(people["bram"], "Kwartaaloverleg")
    event.hidden_at = timezone.now()
    event.save(update_fields=["hidden_at"])
    assert ("event", event.pk) not in found(people["bram"], "Kwartaaloverleg")
    group = events_world["group"]
    group.events_enabled = False
    group.save()
    assert ("event", other.pk) not in found(people["owner"], "Kwartaalborrel")
    group.events_enabled = True
    group.save()
    assert ("event", other.pk) in found(people["owner"], "Kwartaalborrel")


# ---------------------------------------------------------------------------------------------
# Reports and moderation


def test_an_event_is_reported_and_hidden_by_a_moderator(
    events_world, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    event = make(events_world, title="Verdachte bijeenkomst")
    moderator = people["manager"]
    make_moderator(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(people["bram"], ReportKind.EVENT, event.pk, "spam")
    assert report.author == people["anna"] and report.group == events_world["group"]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(moderator, report, Report.Decision.HIDE, "Reclame")
    event.refresh_from_db()
    assert event.hidden_at is not None
    assert not Event.objects.visible_to(people["bram"]).filter(pk=event.pk).exists()
    # The organiser hears why, in their language (the report's description of an event).
    told = Notification.objects.get(recipient=people["anna"], message="moderation.hidden")
    assert "Verdachte bijeenkomst" in told.display_text


def test_the_event_page_offers_a_report_link_the_moderation_view_takes(events_world, client):
    people = events_world["people"]
    event = make(events_world)
    client.force_login(people["bram"])
    response = client.get(f"/report/event/{event.pk}/")
    assert response.status_code == 200
    # The organiser cannot report their own event.
    from moderation.targets import may_report

    assert may_report(people["bram"], event)
    assert not may_report(people["outsider"], event)


# ---------------------------------------------------------------------------------------------
# Privacy


def test_my_data_holds_my_sign_ups_and_the_events_i_organise(events_world):
    people = events_world["people"]
    event = make(events_world, title="Werksessie", location="Stadhuis")
    services.answer(people["bram"], event, "maybe", share_details=True)
    data, _files = exporting.collect(people["bram"])
    [signup] = data["event_signups"]
    assert signup["event"] == "Werksessie" and signup["answer"] == "maybe"
    assert signup["share_details"] is True
    data, _files = exporting.collect(people["anna"])
    [organised] = data["events_organised"]
    assert organised["title"] == "Werksessie" and organised["address"] == "Stadhuis"
    assert organised["link"].endswith(event.get_absolute_url())


def test_deleting_an_account_frees_its_place_and_keeps_its_events(
    events_world, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    event = make(events_world, capacity=1)
    services.answer(people["bram"], event, "going")
    services.answer(people["cor"], event, "going")  # waits
    mine = make(events_world, who="bram", title="Bram organiseert")
    with translation.override("en"):
        plan = privacy.plan(people["bram"])
    assert any("sign-up for an event is deleted" in line for line in plan)
    assert any("event you organise stays" in line for line in plan)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(people["bram"])
    cor = Attendance.objects.get(event=event, person=people["cor"])
    assert cor.status == "going"
    assert Notification.objects.filter(recipient=people["cor"], message="events.promoted").exists()
    mine.refresh_from_db()
    assert mine.organiser is None
    assert ("event", mine.pk) in found(people["anna"], "Bram organiseert")
