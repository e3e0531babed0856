"""What people hear about events: changes, cancellations, a moved or cancelled occurrence, a place
come free, being taken off the list, a new event for the group's followers. People with an account
by notification (in the reader's language when shown), confirmed guests by e-mail in the
community's language; everyone once, never the person who made the change."""

import datetime

import pytest
from django.utils import translation
from wagtail.models import Site

from activity import services as stream
from events import notices, recurrence, services
from events.models import Attendance, Event
from events.services import EventInput
from notifications.messages import MESSAGES, render
from notifications.models import Kind, Notification, NotificationPreference
from tests.events.conftest import make, soon
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The messages of events/notices.py and events/tasks.py (organisers' messages are another part's).
EVENT_KEYS = [
    "events.changed",
    "events.changed_online",
    "events.cancelled",
    "events.occurrence_moved",
    "events.occurrence_cancelled",
    "events.promoted",
    "events.removed",
    "events.reminder",
]


def edit(user, event, **fields):
    """The event as it is, with ``fields`` changed, saved by ``user``."""
    values = EventInput(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description=event.description,
        location=event.location,
        capacity=event.capacity,
        audience=event.audience,
        visibility=event.visibility,
        recurrence=event.recurrence,
    )
    for name, value in fields.items():
        setattr(values, name, value)
    return services.save_event(user, values, event=event)


def guest(event, email, name="Gast", status="going", confirmed=True):
    from django.utils import timezone

    return Attendance.objects.create(
        event=event,
        guest_name=name,
        guest_email=email,
        status=status,
        confirm_token=f"token-{email}",
        confirmed_at=timezone.now() if confirmed else None,
    )


def told(person, key=None):
    rows = Notification.objects.filter(recipient=person, kind=Kind.EVENTS)
    return list(rows.filter(message=key) if key else rows)


def community_event(world, **fields):
    start = soon()
    values = EventInput(
        title=fields.pop("title", "Open dag"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        location="Raadhuis",
        audience=Event.Audience.GUESTS,
        visibility=Event.Visibility.PUBLIC,
        **fields,
    )
    site = Site.objects.get(is_default_site=True)
    return services.save_event(world["people"]["manager"], values, site_id=site.pk)


# ---------------------------------------------------------------------------------------------
# The messages themselves


@pytest.mark.parametrize("key", EVENT_KEYS)
def test_each_message_reads_in_dutch_and_in_english(key):
    assert key in MESSAGES
    params = {
        "title": "Werksessie",
        "start": "2027-03-02T09:00:00+00:00",
        "original": "2027-03-01T09:00:00+00:00",
        "place": "Stadhuis",
    }
    with translation.override("en"):
        english = render(key, params)
    with translation.override("nl"):
        dutch = render(key, params)
    for text in (english, dutch):
        assert "Werksessie" in text
        assert "(unknown)" not in text and "(onbekend)" not in text
        assert "%(" not in text and "T09:00" not in text  # dates shown, not stored ISO
    assert dutch != english, f"{key} has no Dutch translation"
    assert "maart" in dutch and "March" in english


# ---------------------------------------------------------------------------------------------
# Changes, cancellations, occurrences


def test_a_change_of_place_tells_everyone_signed_up_but_the_organiser_who_made_it(
    events_world, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    event = make(events_world, capacity=2, location="Stadhuis")
    services.answer(people["anna"], event, "going")  # the organiser signed up too
    services.answer(people["bram"], event, "going")
    services.answer(people["cor"], event, "going")  # full: waiting
    services.answer(people["owner"], event, "maybe")
    outsider = people["outsider"]  # never signed up
    assert Attendance.objects.get(event=event, person=people["cor"]).status == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        edit(people["anna"], event, location="Bibliotheek, zaal 2")
    for name in ("bram", "cor", "owner"):
        [notification] = told(people[name], "events.changed")
        assert notification.url == event.get_absolute_url()
        assert notification.params["place"] == "Bibliotheek, zaal 2"
        with translation.override("nl"):
            assert "Bibliotheek, zaal 2" in notification.display_text
            assert "is veranderd" in notification.display_text
        with translation.override("en"):
            assert notification.display_text.startswith("The time or place of “Werksessie”")
    assert told(people["anna"]) == []
    assert told(outsider) == []


def test_a_change_made_by_a_group_admin_tells_the_organiser_who_signed_up(events_world):
    people = events_world["people"]
    event = make(events_world, location="")
    services.answer(people["anna"], event, "going")
    services.answer(people["owner"], event, "going")
    notices.changed(event.pk, ["location"], actor_id=people["owner"].pk)
    assert len(told(people["anna"], "events.changed_online")) == 1
    assert told(people["owner"]) == []
    # Without a name of who made it, the organiser is taken to have made it.
    notices.changed(event.pk, ["location"])
    assert len(told(people["anna"])) == 1
    assert len(told(people["owner"], "events.changed_online")) == 1


def test_the_services_name_who_made_the_change(events_world, django_capture_on_commit_callbacks):
    people = events_world["people"]
    event = make(events_world, location="Stadhuis")
    services.answer(people["anna"], event, "going")
    services.answer(people["owner"], event, "going")
    with django_capture_on_commit_callbacks(execute=True):
        edit(people["owner"], event, location="Provinciehuis")
    assert len(told(people["anna"])) == 1  # the organiser hears of the owner's change
    assert told(people["owner"]) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(people["owner"], event)
    assert len(told(people["anna"])) == 2
    assert told(people["owner"]) == []


def test_a_change_of_title_only_tells_nobody(events_world, django_capture_on_commit_callbacks):
    people = events_world["people"]
    event = make(events_world, location="Stadhuis")
    services.answer(people["bram"], event, "going")
    with django_capture_on_commit_callbacks(execute=True):
        edit(people["anna"], event, title="Werksessie (nieuwe naam)")
    assert told(people["bram"]) == []


def test_a_cancellation_tells_people_and_e_mails_confirmed_guests_in_dutch(
    events_world, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "nl"
    people = events_world["people"]
    event = community_event(events_world)
    services.answer(people["bram"], event, "maybe")
    services.answer(people["cor"], event, "not_going")
    guest(event, "gast@example.org", name="Gea Gast")
    guest(event, "later@example.org", status="waiting")
    guest(event, "nooit@example.org", confirmed=False)  # never opened the link: not told
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(people["manager"], event)
    assert len(told(people["bram"], "events.cancelled")) == 1
    assert told(people["cor"]) == []
    guests = [m for m in mailoutbox if m.to[0].endswith("example.org")]
    assert sorted(m.to[0] for m in guests) == ["gast@example.org", "later@example.org"]
    mail = next(m for m in guests if m.to == ["gast@example.org"])
    assert "Hallo Gea Gast" in mail.body
    assert "/events/guest/" not in mail.body  # nothing left to cancel
    assert "“Open dag” van" in mail.body and "gaat niet door" in mail.body
    assert "http://localhost/events/" in mail.body or event.get_absolute_url() in mail.body
    assert mail.body.count(event.get_absolute_url()) == 1
    assert mail.subject.startswith("[Meent] ")


def test_a_guest_is_e_mailed_in_the_communitys_language_or_their_accounts(
    events_world, mailoutbox, settings
):
    event = community_event(events_world)
    UserFactory(email="heeft@example.org", language="en")
    guest(event, "heeft@example.org")
    guest(event, "geen@example.org")
    settings.LANGUAGE_CODE = "nl"
    notices.cancelled(event.pk, actor_id=events_world["people"]["manager"].pk)
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Hallo" in by_address["geen@example.org"].body
    assert "is cancelled" in by_address["heeft@example.org"].body
    mailoutbox.clear()
    settings.LANGUAGE_CODE = "en"
    notices.cancelled(event.pk, actor_id=events_world["people"]["manager"].pk)
    assert "Hello Gast" in {m.to[0]: m for m in mailoutbox}["geen@example.org"].body


def test_a_link_in_a_guests_e_mail_leads_to_the_events_community(events_world, mailoutbox):
    from notifications.emails import root_url
    from notifications.service import community_of

    event = community_event(events_world)
    guest(event, "gast@example.org")
    notices.cancelled(event.pk, actor_id=events_world["people"]["manager"].pk)
    [mail] = mailoutbox
    assert root_url(community_of(event)) + event.get_absolute_url() in mail.body


def test_nobody_is_told_twice(events_world, mailoutbox):
    people = events_world["people"]
    event = community_event(events_world)
    services.answer(people["bram"], event, "going")
    # A guest sign-up with the address of a person who signed up with their account.
    guest(event, people["bram"].email.upper())
    guest(event, "gast@example.org")
    sign_ups = list(notices._signed_up(event))
    count = notices.tell(event, sign_ups + sign_ups, "events.cancelled", {"title": event.title})
    assert count == 2
    assert len(told(people["bram"])) == 1
    assert [m.to for m in mailoutbox if m.to != [people["bram"].email]] == [["gast@example.org"]]


def test_one_occurrence_moved_or_cancelled_tells_everyone_signed_up(
    events_world, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    event = make(events_world, recurrence="FREQ=WEEKLY;COUNT=4")
    services.answer(people["bram"], event, "going")
    first, second = recurrence.starts(event)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        services.change_occurrence(people["anna"], event, second, cancelled=True)
    [notification] = told(people["bram"], "events.occurrence_cancelled")
    with translation.override("nl"):
        assert "de andere data blijven" in notification.display_text
    with django_capture_on_commit_callbacks(execute=True):
        services.change_occurrence(
            people["anna"],
            event,
            first,
            starts_at=first + datetime.timedelta(hours=1),
            ends_at=first + datetime.timedelta(hours=3),
        )
    [moved] = told(people["bram"], "events.occurrence_moved")
    assert moved.params["start"] == (first + datetime.timedelta(hours=1)).isoformat()
    assert told(people["anna"]) == []


# ---------------------------------------------------------------------------------------------
# Places and the list


def test_the_first_on_the_waiting_list_hears_a_place_came_free(
    events_world, django_capture_on_commit_callbacks, mailoutbox
):
    people = events_world["people"]
    event = make(events_world, capacity=1)
    services.answer(people["bram"], event, "going")
    services.answer(people["cor"], event, "going")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(people["bram"], event)
    [notification] = told(people["cor"], "events.promoted")
    with translation.override("nl"):
        assert notification.display_text.startswith("Er is een plek vrijgekomen")
    with translation.override("en"):
        assert notification.display_text.startswith(
            "A place came free: you are going to “Werksessie” on"
        )
    # At once by e-mail (the kind's default), in the person's language.
    assert [m.to for m in mailoutbox] == [[people["cor"].email]]


def test_a_guest_moved_up_is_e_mailed(events_world, django_capture_on_commit_callbacks, mailoutbox):
    people = events_world["people"]
    event = community_event(events_world, capacity=1)
    services.answer(people["bram"], event, "going")
    waiting = guest(event, "wacht@example.org", status="waiting")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(people["bram"], event)
    waiting.refresh_from_db()
    assert waiting.status == "going"
    [mail] = mailoutbox
    assert mail.to == ["wacht@example.org"]
    assert "Er is een plek vrijgekomen" in mail.body
    # Their own link to cancel, on the event's host.
    assert f"/events/guest/{waiting.confirm_token}/cancel/" in mail.body


def test_a_guest_reads_in_the_language_they_signed_up_in(events_world, mailoutbox, settings):
    settings.LANGUAGE_CODE = "nl"
    event = community_event(events_world)
    chosen = guest(event, "english@example.org")
    Attendance.objects.filter(pk=chosen.pk).update(guest_language="en")
    notices.cancelled(event.pk, actor_id=events_world["people"]["manager"].pk)
    [mail] = mailoutbox
    assert mail.body.startswith("Hello Gast,") and "is cancelled" in mail.body


def test_an_e_mail_follows_the_persons_preference(
    events_world, django_capture_on_commit_callbacks, mailoutbox
):
    people = events_world["people"]
    NotificationPreference.objects.create(user=people["cor"], kind=Kind.EVENTS, email="never")
    event = make(events_world, capacity=1)
    services.answer(people["bram"], event, "going")
    services.answer(people["cor"], event, "going")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(people["bram"], event)
    assert len(told(people["cor"], "events.promoted")) == 1
    assert mailoutbox == []


def test_someone_taken_off_the_list_is_told(
    events_world, django_capture_on_commit_callbacks, mailoutbox
):
    people = events_world["people"]
    event = community_event(events_world)
    services.answer(people["bram"], event, "going")
    visitor = guest(event, "gast@example.org")
    unconfirmed = guest(event, "stil@example.org", confirmed=False)
    attendance = Attendance.objects.get(event=event, person=people["bram"])
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attendee(people["manager"], attendance)
        services.remove_attendee(people["manager"], visitor)
        services.remove_attendee(people["manager"], unconfirmed)
    [notification] = told(people["bram"], "events.removed")
    with translation.override("en"):
        assert notification.display_text.startswith("An organiser took you off the list")
    assert [m.to for m in mailoutbox if m.to[0].endswith("example.org")] == [["gast@example.org"]]


def test_a_hidden_event_tells_nobody(events_world, django_capture_on_commit_callbacks):
    people = events_world["people"]
    event = make(events_world, location="Stadhuis")
    services.answer(people["bram"], event, "going")
    Event.objects.filter(pk=event.pk).update(hidden_at=datetime.datetime.now(datetime.UTC))
    notices.changed(event.pk, ["location"], actor_id=people["anna"].pk)
    notices.cancelled(event.pk)
    assert told(people["bram"]) == []


# ---------------------------------------------------------------------------------------------
# A new event


def test_a_new_event_is_announced_to_the_groups_followers(
    events_world, django_capture_on_commit_callbacks
):
    people = events_world["people"]
    group = events_world["group"]
    stream.follow(people["bram"], group)
    stream.follow(people["outsider"], group)  # may not see the members-only group's events
    with django_capture_on_commit_callbacks(execute=True):
        event = make(events_world)
    # The line is in the group's stream, by its organiser.
    [line] = stream.news_entries(people["bram"], None, group_ids={group.pk}, people_ids=[])
    assert (line.kind, line.target_id, line.actor_id) == (
        "events.created",
        event.pk,
        people["anna"].pk,
    )
    [notification] = Notification.objects.filter(recipient=people["bram"], kind=Kind.FOLLOWING)
    assert notification.message == "activity.new_in_group"
    assert notification.url == event.get_absolute_url()
    assert not Notification.objects.filter(recipient=people["outsider"]).exists()
    assert not Notification.objects.filter(recipient=people["anna"]).exists()


def test_a_mention_in_the_description_tells_who_may_see_the_event_once(
    events_world, django_capture_on_commit_callbacks
):
    def mentions_of(person):
        return list(Notification.objects.filter(recipient=person, message="events.mention"))

    people = events_world["people"]
    bram, outsider = people["bram"], people["outsider"]
    text = (
        f'<p>Met <a class="mention" data-person="{bram.pk}" href="/people/{bram.pk}/">@Bram Test</a>'
        f' en <a class="mention" data-person="{outsider.pk}" href="/people/{outsider.pk}/">'
        "@Outsider Test</a></p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = make(events_world, description=text)
    assert len(mentions_of(bram)) == 1
    assert mentions_of(outsider) == []  # the group is members only: not told
    with django_capture_on_commit_callbacks(execute=True):
        edit(people["anna"], event, description=text + "<p>Aangevuld.</p>")
    assert len(mentions_of(bram)) == 1  # told once
