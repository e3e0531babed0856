"""The organisers' tools (attendee list, CSV, removing someone, a message to everyone) and the
online meeting's door, with who may use them."""

import csv
import datetime
import io
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Attendance
from notifications.models import Notification
from tests.factories import AttendanceFactory, EventFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(events_world):
    """A group event by Anna with two places: Bram going (sharing), Cor maybe, a confirmed guest
    going (sharing), the outsider waiting, the owner not going, an unconfirmed guest."""
    people = events_world["people"]
    event = EventFactory(
        group=events_world["group"], organiser=people["anna"], capacity=2, title="Werksessie"
    )
    people["bram"].email = "=cmd|' /C calc'!A0@meent.nl"  # a formula in a spreadsheet
    people["bram"].save()
    AttendanceFactory(event=event, person=people["bram"], share_details=True)
    AttendanceFactory(event=event, person=people["cor"], status="maybe")
    guest = Attendance.objects.create(
        event=event,
        guest_name="Gea Gast",
        guest_email="gea@example.org",
        confirmed_at=timezone.now(),
        share_details=True,
        confirm_token="t" * 43,
    )
    Attendance.objects.create(
        event=event,
        guest_name="Onbevestigd",
        guest_email="unconfirmed@example.org",
        confirm_token="u" * 43,
    )
    AttendanceFactory(
        event=event, person=people["outsider"], status="waiting", waiting_since=timezone.now()
    )
    AttendanceFactory(event=event, person=people["owner"], status="not_going")
    return {"event": event, "guest": guest, **events_world}


def test_the_organiser_sees_the_list_with_only_what_was_shared(client, listed):
    people = listed["people"]
    client.force_login(people["anna"])
    response = client.get(reverse("events:attendees", args=[listed["event"].slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Bram Test", "Cor Test", "Gea Gast", "Outsider Test", "Owner Test"):
        assert name in page
    assert "gea@example.org" in page  # shared
    assert people["cor"].email not in page  # not shared
    assert "Onbevestigd" not in page  # never confirmed
    assert page.index("Gea Gast") < page.index("Outsider Test") < page.index("Owner Test")
    assert reverse("events:remove_attendee", args=[listed["event"].slug, listed["guest"].pk]) in (
        page
    )


@pytest.mark.parametrize("who, status", [("bram", 403), ("outsider", 404), ("manager", 404)])
def test_others_are_refused_with_a_reason(client, listed, who, status):
    group = listed["group"]
    group.content_default = "members"
    group.save()
    client.force_login(listed["people"][who])
    slug = listed["event"].slug
    for name in ("events:attendees", "events:attendees_csv", "events:message"):
        assert client.get(reverse(name, args=[slug])).status_code == status
    remove = reverse("events:remove_attendee", args=[slug, listed["guest"].pk])
    assert client.post(remove).status_code == status
    message = {"subject": "Hoi", "text": "Tekst"}
    assert client.post(reverse("events:message", args=[slug]), message).status_code == status
    assert Attendance.objects.filter(pk=listed["guest"].pk).exists()
    assert not mail.outbox


def test_signed_out_visitors_are_sent_to_sign_in(client, listed):
    response = client.get(reverse("events:attendees", args=[listed["event"].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_group_owner_may_see_the_list_too(client, listed):
    client.force_login(listed["people"]["owner"])
    assert client.get(reverse("events:attendees", args=[listed["event"].slug])).status_code == 200


def test_the_list_costs_the_same_queries_for_few_and_many(client, listed):
    client.force_login(listed["people"]["anna"])
    url = reverse("events:attendees", args=[listed["event"].slug])
    few = count_queries(client, url)
    for _ in range(20):
        AttendanceFactory(event=listed["event"], status="maybe", share_details=True)
    assert count_queries(client, url) == few


def read_csv(response):
    raw = b"".join(response) if response.streaming else response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_has_a_header_in_the_readers_language_and_only_shared_details(client, listed):
    client.force_login(listed["people"]["anna"])
    url = reverse("events:attendees_csv", args=[listed["event"].slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Name", "Answer", "Guest", "E-mail address", "Organisation", "Since"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Bram Test", "Cor Test", "Gea Gast", "Outsider Test", "Owner Test"}
    # A formula is neutralised; what was not shared is empty.
    assert by_name["Bram Test"][3] == "'=cmd|' /C calc'!A0@meent.nl"
    assert by_name["Bram Test"][4] == "Gemeente Meent"
    assert by_name["Cor Test"][3:5] == ["", ""]
    assert by_name["Gea Gast"][2:4] == ["yes", "gea@example.org"]
    assert [row[1] for row in rows[1:]] == [
        "going",
        "going",
        "maybe",
        "on the waiting list",
        "not going",
    ]
    dutch = read_csv(client.get(url, HTTP_ACCEPT_LANGUAGE="nl"))
    assert dutch[0][0] == "Naam"


def test_names_that_look_like_formulas_are_neutralised(client, listed):
    person = listed["people"]["cor"]
    person.first_name, person.last_name = "@SUM(A1:A9)", "+1"
    person.save()
    client.force_login(listed["people"]["anna"])
    rows = read_csv(client.get(reverse("events:attendees_csv", args=[listed["event"].slug])))
    assert "'@SUM(A1:A9) +1" in [row[0] for row in rows]


def test_the_organiser_removes_someone_after_a_confirmation_and_the_list_moves_up(
    client, listed, django_capture_on_commit_callbacks
):
    client.force_login(listed["people"]["anna"])
    slug = listed["event"].slug
    guest = listed["guest"]
    url = reverse("events:remove_attendee", args=[slug, guest.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Gea Gast" in page.content.decode()
    assert Attendance.objects.filter(pk=guest.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Attendance.objects.filter(pk=guest.pk).exists()
    waiting = Attendance.objects.get(person=listed["people"]["outsider"])
    assert waiting.status == Attendance.Status.GOING  # moved up into the freed place
    assert "gea@example.org" in [address for m in mail.outbox for address in m.to]
    # Gone: a second removal is a 404, never a 500.
    assert client.post(url).status_code == 404


def test_an_unconfirmed_guest_or_another_events_sign_up_cannot_be_removed(client, listed):
    client.force_login(listed["people"]["anna"])
    slug = listed["event"].slug
    unconfirmed = Attendance.objects.get(guest_email="unconfirmed@example.org")
    other = AttendanceFactory()
    for attendance in (unconfirmed, other):
        url = reverse("events:remove_attendee", args=[slug, attendance.pk])
        assert client.post(url).status_code == 404
        assert Attendance.objects.filter(pk=attendance.pk).exists()


def send(client, event, subject="Parkeren", text="Parkeer bij het station.", key=None):
    return client.post(
        reverse("events:message", args=[event.slug]),
        {"subject": subject, "text": text, "submission_key": key or str(uuid.uuid4())},
    )


def test_a_message_reaches_everyone_going_maybe_or_waiting_once(
    client, listed, django_capture_on_commit_callbacks
):
    people = listed["people"]
    client.force_login(people["anna"])
    event = listed["event"]
    assert client.get(reverse("events:message", args=[event.slug])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, event, text="Parkeer bij het station.\n<b>niet</b> op het plein.")
    assert response.status_code == 302
    recipients = sorted(address for m in mail.outbox for address in m.to)
    # The outsider waits but may not see the group's event (members only): not told.
    assert recipients == sorted([people["bram"].email, people["cor"].email, "gea@example.org"])
    body = mail.outbox[0].body
    assert "<b>niet</b> op het plein." in body  # plain text stays plain
    assert mail.outbox[0].subject == "[Meent] Parkeren"
    notifications = Notification.objects.filter(message="events.message")
    assert {n.recipient for n in notifications} == {people["bram"], people["cor"]}
    assert all(n.emailed_at for n in notifications)  # e-mailed above, not twice
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("3" in message for message in messages)


def test_the_same_message_posted_twice_is_sent_once(client, listed):
    client.force_login(listed["people"]["anna"])
    key = str(uuid.uuid4())
    send(client, listed["event"], key=key)
    sent = len(mail.outbox)
    assert send(client, listed["event"], key=key).status_code == 302
    assert len(mail.outbox) == sent


def test_messages_are_rate_limited_per_event(client, listed):
    client.force_login(listed["people"]["anna"])
    for _ in range(5):
        assert send(client, listed["event"]).status_code == 302
    sent = len(mail.outbox)
    response = send(client, listed["event"])
    assert response.status_code == 429
    assert len(mail.outbox) == sent


@pytest.mark.parametrize(
    "subject, text", [("", "tekst"), ("Onderwerp", "   "), ("x" * 151, "tekst"), ("a", "x" * 5001)]
)
def test_a_bad_message_is_a_form_error(client, listed, subject, text):
    client.force_login(listed["people"]["anna"])
    assert send(client, listed["event"], subject=subject, text=text).status_code == 400
    assert not mail.outbox


# ---------------------------------------------------------------------------------------------
# The online meeting


@pytest.fixture
def online(events_world, settings):
    settings.MEENT_JITSI_URL = "https://meet.example.nl/"
    start = timezone.now() + datetime.timedelta(hours=2)
    event = EventFactory(
        group=events_world["group"],
        organiser=events_world["people"]["anna"],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        last_ends_at=start + datetime.timedelta(hours=1),
        meeting_room="meent-" + "r" * 24,
        meeting_opens_minutes=15,
    )
    AttendanceFactory(event=event, person=events_world["people"]["bram"])
    return {"event": event, **events_world}


def door(client, event, now, monkeypatch):
    monkeypatch.setattr("events.organiser_views.timezone.now", lambda: now)
    monkeypatch.setattr("events.services.timezone.now", lambda: now)
    return client.get(reverse("events:meeting", args=[event.slug]))


def test_the_meeting_opens_to_people_who_signed_up_within_the_window(client, online, monkeypatch):
    event = online["event"]
    client.force_login(online["people"]["bram"])
    room = "https://meet.example.nl/" + event.meeting_room
    too_early = event.starts_at - datetime.timedelta(minutes=16)
    response = door(client, event, too_early, monkeypatch)
    assert response.status_code == 403
    assert event.meeting_room not in response.content.decode()
    within = event.starts_at - datetime.timedelta(minutes=14)
    response = door(client, event, within, monkeypatch)
    assert response.status_code == 302 and response["Location"] == room
    during = event.starts_at + datetime.timedelta(minutes=30)
    assert door(client, event, during, monkeypatch)["Location"] == room
    after = event.ends_at + datetime.timedelta(minutes=1)
    response = door(client, event, after, monkeypatch)
    assert response.status_code == 403
    assert event.meeting_room not in response.content.decode()


@pytest.mark.parametrize("who", ["cor", "outsider", None])
def test_people_who_did_not_sign_up_never_see_the_room(client, online, monkeypatch, who):
    event = online["event"]
    if who:
        client.force_login(online["people"][who])
    within = event.starts_at - datetime.timedelta(minutes=5)
    response = door(client, event, within, monkeypatch)
    assert response.status_code in (403, 404)
    assert event.meeting_room not in response.content.decode()
    page = client.get(event.get_absolute_url())
    assert event.meeting_room not in page.content.decode()
    ics = client.get(reverse("events:ics", args=[event.slug]))
    assert event.meeting_room.encode() not in ics.content


def test_a_waiting_person_is_told_why(client, online, monkeypatch):
    event = online["event"]
    AttendanceFactory(
        event=event, person=online["people"]["cor"], status="waiting", waiting_since=timezone.now()
    )
    client.force_login(online["people"]["cor"])
    response = door(client, event, event.starts_at, monkeypatch)
    assert response.status_code == 403
    assert "waiting list" in response.content.decode() or "wachtlijst" in response.content.decode()


def test_a_cancelled_event_closes_its_meeting(client, online, monkeypatch):
    event = online["event"]
    services.cancel_event(online["people"]["anna"], event)
    client.force_login(online["people"]["bram"])
    response = door(client, event, event.starts_at, monkeypatch)
    assert response.status_code == 403
    assert event.meeting_room not in response.content.decode()


def test_without_jitsi_the_organisers_https_link_is_used(client, online, monkeypatch, settings):
    settings.MEENT_JITSI_URL = ""
    event = online["event"]
    event.meeting_room = ""
    event.online_url = "https://video.example.nl/kamer-42"
    event.save()
    client.force_login(online["people"]["bram"])
    response = door(client, event, event.starts_at - datetime.timedelta(minutes=1), monkeypatch)
    assert response.status_code == 302
    assert response["Location"] == "https://video.example.nl/kamer-42"


def test_an_event_without_a_meeting_answers_404(client, events_world):
    event = EventFactory(group=events_world["group"])
    client.force_login(events_world["people"]["bram"])
    assert client.get(reverse("events:meeting", args=[event.slug])).status_code == 404


def test_a_new_room_name_is_meent_and_24_random_characters(events_world, settings):
    settings.MEENT_JITSI_URL = "https://meet.example.nl"
    start = timezone.now() + datetime.timedelta(days=3)
    first, second = (
        services.save_event(
            events_world["people"]["anna"],
            services.EventInput(
                title="Online",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                online_meeting=True,
            ),
            group=events_world["group"],
        )
        for _ in range(2)
    )
    assert first.meeting_room.startswith("meent-") and len(first.meeting_room) == 30
    assert first.meeting_room != second.meeting_room


# ---------------------------------------------------------------------------------------------
# An ad-hoc call from a group's chat (chat/views.py: group_call)


def test_a_member_starts_a_video_call_from_the_groups_chat(client, events_world, settings):
    from chat.models import Message

    settings.MEENT_JITSI_URL = "https://meet.example.nl/"
    group = events_world["group"]
    client.force_login(events_world["people"]["bram"])
    room = client.get(reverse("chat:group_room", args=[group.slug]), follow=True)
    assert reverse("chat:group_call", args=[group.slug]) in room.content.decode()
    url = reverse("chat:group_call", args=[group.slug])
    response = client.post(url, {"client_id": "abc"})
    assert response.status_code == 302
    address = response["Location"]
    assert address.startswith("https://meet.example.nl/meent-")
    assert len(address.removeprefix("https://meet.example.nl/meent-")) == 24
    [message] = Message.objects.all()
    assert address in message.body and message.author == events_world["people"]["bram"]
    # The same button pressed twice: one message, the same call.
    assert client.post(url, {"client_id": "abc"})["Location"] == address
    assert Message.objects.count() == 1
    # Another press on a fresh page: a new room.
    assert client.post(url, {"client_id": "def"})["Location"] != address


def test_only_members_start_a_call_and_only_with_a_meeting_server(client, events_world, settings):
    from chat.models import Message

    group = events_world["group"]
    url = reverse("chat:group_call", args=[group.slug])
    settings.MEENT_JITSI_URL = ""
    client.force_login(events_world["people"]["bram"])
    assert client.post(url).status_code == 404
    room = client.get(reverse("chat:group_room", args=[group.slug]), follow=True)
    assert url not in room.content.decode()
    settings.MEENT_JITSI_URL = "https://meet.example.nl"
    client.force_login(events_world["people"]["outsider"])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert not Message.objects.exists()


def test_the_room_name_is_in_no_list_feed_search_entry_or_notification(
    client, online, django_capture_on_commit_callbacks
):
    """Only the door (and the page of someone who may join) ever holds it."""
    from events.search import EventDocument

    event, people = online["event"], online["people"]
    room = event.meeting_room
    entry = EventDocument().prepare(event)
    assert room not in repr(entry)
    client.force_login(people["bram"])  # signed up, but before the window
    for url in (
        reverse("events:agenda"),
        reverse("events:mine"),
        reverse("group_agenda", args=[online["group"].slug]),
        reverse("group_calendar", args=[online["group"].slug]),
        reverse("events:ics", args=[event.slug]),
        event.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert room not in response.content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(
            people["anna"],
            services.EventInput(
                title=event.title,
                starts_at=event.starts_at + datetime.timedelta(hours=1),
                ends_at=event.ends_at + datetime.timedelta(hours=1),
                online_meeting=True,
            ),
            event=event,
            group=online["group"],
        )
    told = Notification.objects.filter(recipient=people["bram"])
    assert told.exists()
    assert all(room not in repr(n.params) + n.url for n in told)
    assert all(room not in m.body for m in mail.outbox)
    event.refresh_from_db()
    assert event.meeting_room == room  # kept across the change


def test_an_address_the_mail_server_refuses_stops_no_other(client, listed, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refuse_gea(self, messages):
        if any("gea@example.org" in m.to for m in messages):
            raise OSError("550 no such mailbox")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_gea)
    client.force_login(listed["people"]["anna"])
    response = send(client, listed["event"])
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # Bram and Cor
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2" in message for message in messages)
