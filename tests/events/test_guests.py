"""Guests without an account: sign up by name and e-mail, confirm by the link, cancel by the other
link; what is refused; the waiting list; the e-mail's language and host; expiry."""

import datetime
import re
import uuid
from functools import partial
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from events import guests, services
from events.models import Attendance
from notifications.models import Notification
from tests.events.conftest import soon
from tests.factories import AttendanceFactory, EventFactory, UserFactory
from tests.helpers import at_once, require_row_locks

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _commits_at_once(monkeypatch):
    """What runs after commit runs at once: the test's transaction never commits."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def event(db):
    return EventFactory(
        group=None, site=None, audience="guests", visibility="public", title="Open dag"
    )


def sign_up(client, event, name="Gea Gast", email="gea@example.org", language="nl", **extra):
    headers = {key: extra.pop(key) for key in list(extra) if key.startswith("HTTP_")}
    data = {"name": name, "email": email, "submission_key": str(uuid.uuid4()), **extra}
    url = reverse("events:guest_signup", args=[event.slug])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language, **headers)


def links(message):
    return LINK.findall(message.body)


def token_of(email="gea@example.org"):
    return Attendance.objects.get(guest_email=email).confirm_token


def confirm(client, token):
    return client.post(reverse("events:guest_confirm", args=[token]))


def test_the_event_page_offers_the_guest_form_to_visitors_only(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:guest_signup", args=[event.slug]) in page
    assert 'name="submission_key"' in page
    client.force_login(UserFactory())
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:guest_signup", args=[event.slug]) not in page


def test_a_guest_signs_up_confirms_by_the_link_and_holds_a_place(client, event, settings):
    response = sign_up(client, event, share_details="on")
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.person is None and attendance.confirmed_at is None
    assert len(attendance.confirm_token) >= 43
    assert attendance.share_details
    assert services.counts(event)["going"] == 0  # unconfirmed: no place yet
    [message] = mail.outbox
    assert message.to == ["gea@example.org"]
    confirm_url, cancel_url, event_url = links(message)[:3]
    assert confirm_url.endswith(reverse("events:guest_confirm", args=[attendance.confirm_token]))
    assert cancel_url.endswith(reverse("events:guest_cancel", args=[attendance.confirm_token]))
    assert event_url.endswith(event.get_absolute_url())
    path = urlsplit(confirm_url).path  # on the community's host: see the test of another host
    # Opening the link shows a button; only the click confirms (mail scanners open links).
    page = client.get(path)
    assert page.status_code == 200
    assert Attendance.objects.get().confirmed_at is None
    assert confirm(client, attendance.confirm_token).status_code == 302
    attendance.refresh_from_db()
    assert attendance.confirmed_at is not None
    assert attendance.status == Attendance.Status.GOING
    assert services.counts(event)["going"] == 1
    # Confirming twice changes nothing.
    assert confirm(client, attendance.confirm_token).status_code == 302
    assert Attendance.objects.count() == 1


def test_the_email_is_in_dutch_by_default_and_in_english_from_the_english_page(client, event):
    sign_up(client, event)
    assert "Bevestig" in mail.outbox[0].subject
    sign_up(client, event, email="eve@example.org", language="en")
    english = Attendance.objects.get(guest_email="eve@example.org")
    assert english.guest_language == "en"
    assert mail.outbox[1].subject.startswith("[Meent] Confirm your sign-up")


def test_a_full_event_puts_the_confirmed_guest_on_the_waiting_list_and_moves_them_up(client, event):
    event.capacity = 1
    event.save()
    holder = AttendanceFactory(event=event)
    sign_up(client, event)
    confirm(client, token_of())
    guest = Attendance.objects.get(person__isnull=True)
    assert guest.status == Attendance.Status.WAITING and guest.waiting_since
    mail.outbox.clear()
    with pytest.MonkeyPatch.context():
        services.withdraw(holder.person, event)
    guest.refresh_from_db()
    assert guest.status == Attendance.Status.GOING
    # The guest is told by e-mail (notices.promoted).
    assert [m.to for m in mail.outbox] == [["gea@example.org"]]


def test_a_guest_cancels_by_the_link_and_the_waiting_list_moves_up(client, event):
    event.capacity = 1
    event.save()
    sign_up(client, event)
    token = token_of()
    confirm(client, token)
    waiting = AttendanceFactory(event=event, status="waiting", waiting_since=timezone.now())
    page = client.get(reverse("events:guest_cancel", args=[token]))
    assert page.status_code == 200
    assert Attendance.objects.filter(person__isnull=True).exists()
    response = client.post(reverse("events:guest_cancel", args=[token]))
    assert response.status_code == 302
    assert not Attendance.objects.filter(person__isnull=True).exists()
    waiting.refresh_from_db()
    assert waiting.status == Attendance.Status.GOING
    assert Notification.objects.filter(recipient=waiting.person, message="events.promoted")
    # The link is dead now.
    assert client.get(reverse("events:guest_cancel", args=[token])).status_code == 404
    assert confirm(client, token).status_code == 404


def test_an_address_with_an_account_is_told_to_sign_in(client, event):
    UserFactory(email="Anna@Meent.nl")
    response = sign_up(client, event, email="anna@meent.nl", language="en")
    assert response.status_code == 400
    assert "This address has an account: sign in to sign up." in response.content.decode()
    assert not Attendance.objects.exists() and not mail.outbox


def test_the_same_address_twice_gets_the_link_again_at_most_once_in_ten_minutes(client, event):
    sign_up(client, event)
    response = sign_up(client, event, email="GEA@example.org")
    assert response.status_code == 302
    assert Attendance.objects.count() == 1
    assert len(mail.outbox) == 1  # sent a moment ago: not again yet
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("less than 10 minutes" in m or "minuten" in m for m in messages)
    later = timezone.now() + datetime.timedelta(minutes=21)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("meent.ratelimit.timezone.now", lambda: later)
        sign_up(client, event)
        assert len(mail.outbox) == 2
        sign_up(client, event)
        assert len(mail.outbox) == 2
    assert Attendance.objects.count() == 1


def test_the_same_form_posted_twice_makes_one_sign_up_and_one_email(client, event):
    data = {"name": "Gea", "email": "gea@example.org", "submission_key": str(uuid.uuid4())}
    url = reverse("events:guest_signup", args=[event.slug])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "name, email, message",
    [
        ("", "gea@example.org", "Give your name."),
        ("x" * 151, "gea@example.org", "Your name is too long"),
        ("Gea", "not-an-address", "Give a valid e-mail address"),
        ("Gea", "", "Give your e-mail address."),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(client, event, name, email, message):
    with override("en"):
        response = client.post(
            reverse("events:guest_signup", args=[event.slug]),
            {"name": name, "email": email},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "change, status",
    [
        ({"status": "cancelled"}, 409),
        ({"signup_deadline": "past"}, 409),
    ],
)
def test_closed_events_refuse_guests(client, event, change, status):
    if change.get("signup_deadline") == "past":
        change = {"signup_deadline": timezone.now() - datetime.timedelta(hours=1)}
    for name, value in change.items():
        setattr(event, name, value)
    event.save()
    response = sign_up(client, event, language="en")
    assert response.status_code == status
    assert not Attendance.objects.exists() and not mail.outbox


def test_confirming_after_the_deadline_or_on_a_cancelled_event_is_refused(client, event):
    sign_up(client, event)
    event.status = "cancelled"
    event.save()
    assert confirm(client, token_of()).status_code == 409
    assert Attendance.objects.get().confirmed_at is None


def test_events_that_take_no_guests_answer_404(client, event, events_world):
    for other in (
        EventFactory(group=None, site=None, audience="signed_in", visibility="public"),
        EventFactory(group=None, site=None, audience="guests", visibility="logged_in"),
        EventFactory(group=events_world["group"], audience="guests"),
    ):
        assert sign_up(client, other).status_code == 404
        page = client.get(reverse("events:guest_signup", args=[other.slug]))
        assert page.status_code == 404
    assert sign_up(client, EventFactory.build(slug="nope")).status_code == 404
    assert not Attendance.objects.exists()


def test_a_signed_in_person_is_sent_to_the_answer_form(client, event):
    client.force_login(UserFactory())
    response = sign_up(client, event)
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert not Attendance.objects.exists()


def test_guest_sign_ups_are_rate_limited_per_ip(client, event):
    for number in range(guests.SIGNUPS_PER_IP):
        assert sign_up(client, event, email=f"g{number}@example.org").status_code == 302
    response = sign_up(client, event, email="one-too-many@example.org")
    assert response.status_code == 429
    assert not Attendance.objects.filter(guest_email="one-too-many@example.org").exists()


def test_an_unconfirmed_sign_up_expires_after_48_hours(client, event):
    sign_up(client, event)
    token = token_of()
    Attendance.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    assert confirm(client, token).status_code == 410
    assert Attendance.objects.get().confirmed_at is None
    page = client.get(reverse("events:guest_confirm", args=[token]))
    assert page.status_code == 200 and b"expired" in page.content or b"verlopen" in page.content
    assert guests.expire_unconfirmed() == 1
    assert not Attendance.objects.exists()


def test_expire_keeps_confirmed_and_fresh_sign_ups(client, event):
    sign_up(client, event)
    sign_up(client, event, email="other@example.org")
    confirm(client, token_of())
    Attendance.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    Attendance.objects.create(event=event, guest_email="new@example.org", guest_name="N")
    assert guests.expire_unconfirmed() == 1
    assert set(Attendance.objects.values_list("guest_email", flat=True)) == {
        "gea@example.org",
        "new@example.org",
    }


def test_signing_up_again_after_expiry_sends_a_new_link(client, event):
    sign_up(client, event)
    old = token_of()
    Attendance.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    later = timezone.now() + datetime.timedelta(minutes=21)  # the link may be sent again
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("meent.ratelimit.timezone.now", lambda: later)
        sign_up(client, event, name="Gea Opnieuw")
    attendance = Attendance.objects.get()
    assert attendance.confirm_token != old and attendance.guest_name == "Gea Opnieuw"
    assert len(mail.outbox) == 2
    assert confirm(client, attendance.confirm_token).status_code == 302


def test_unknown_tokens_answer_404(client):
    for token in ("nope", "x" * 100):
        assert client.get(reverse("events:guest_confirm", args=[token])).status_code == 404
        assert client.post(reverse("events:guest_cancel", args=[token])).status_code == 404


def test_the_sign_up_page_without_javascript_and_its_languages(client, event):
    for language in ("nl", "en"):
        page = client.get(
            reverse("events:guest_signup", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language
        )
        assert page.status_code == 200
        assert 'name="email"' in page.content.decode()


def test_a_starting_time_far_ahead_still_takes_guests(client):
    later = EventFactory(
        group=None,
        site=None,
        audience="guests",
        visibility="public",
        starts_at=soon(days=60),
        ends_at=soon(days=60) + datetime.timedelta(hours=1),
        last_ends_at=soon(days=60) + datetime.timedelta(hours=1),
    )
    assert sign_up(client, later).status_code == 302


def test_a_confirmed_guest_finds_the_meeting_link_on_their_page_in_the_window(
    client, event, settings, monkeypatch
):
    settings.MEENT_JITSI_URL = "https://meet.example.nl"
    event.meeting_room = "meent-" + "k" * 24
    event.save()
    sign_up(client, event)
    token = token_of()
    url = reverse("events:guest_confirm", args=[token])
    assert event.meeting_room not in client.get(url).content.decode()  # not confirmed
    confirm(client, token)
    assert event.meeting_room not in client.get(url).content.decode()  # too early
    soon_after = event.starts_at - datetime.timedelta(minutes=5)
    monkeypatch.setattr("events.guests.timezone.now", lambda: soon_after)
    page = client.get(url).content.decode()
    assert "https://meet.example.nl/" + event.meeting_room in page
    # Never on the public event page.
    assert event.meeting_room not in client.get(event.get_absolute_url()).content.decode()


def test_the_daily_purge_deletes_expired_unconfirmed_sign_ups(client, event):
    from events.privacy import purge_guests

    sign_up(client, event)
    assert purge_guests() == 0
    Attendance.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    assert purge_guests() == 1
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_guests_confirming_at_once_for_the_last_place_one_goes_one_waits():

    require_row_locks()
    event = EventFactory(group=None, site=None, audience="guests", visibility="public", capacity=1)
    sign_ups = [
        Attendance.objects.create(
            event=event, guest_name=name, guest_email=f"{name}@example.org", confirm_token=name * 8
        )
        for name in ("gea", "geert")
    ]
    _results, errors = at_once(*(partial(services.confirm_guest, a) for a in sign_ups))
    assert errors == []
    statuses = sorted(Attendance.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["going", "waiting"]
    assert services.counts(event)["going"] == 1


def test_a_community_event_of_another_host_mails_and_leads_to_that_host(client, settings):
    from wagtail.models import Locale, Page, Site

    # A transactional test before this one may have emptied the page tree.
    locale, _created = Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    other = Site.objects.create(
        hostname="oost.testserver", port=80, root_page=root, site_name="Oost"
    )
    settings.ALLOWED_HOSTS = ["testserver", "oost.testserver"]
    event = EventFactory(group=None, site=other, audience="guests", visibility="public")
    assert sign_up(client, event, HTTP_HOST="oost.testserver").status_code == 302
    confirm_url = links(mail.outbox[0])[0]
    assert confirm_url.startswith("http://oost.testserver/events/guest/")
    # The link opened on another host leads to the event's own.
    response = client.get(reverse("events:guest_confirm", args=[token_of()]))
    assert response.status_code == 302
    assert response["Location"].startswith("http://oost.testserver")
