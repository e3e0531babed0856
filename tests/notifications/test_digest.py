import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Email, Kind, Notification, NotificationPreference
from tests.factories import UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def run_digests():
    out = io.StringIO()
    call_command("send_notification_digests", stdout=out)
    return out.getvalue()


def test_one_summary_per_person_with_all_daily_items_and_a_second_run_sends_nothing(
    mailoutbox,
):
    anna, bram, carla = UserFactory(), UserFactory(), UserFactory()
    NotificationFactory(recipient=anna, kind=Kind.MENTION, text="Anna genoemd", url="/a/")
    NotificationFactory(recipient=anna, kind=Kind.REPLY, text="Reactie voor Anna", url="/b/")
    NotificationFactory(recipient=bram, kind=Kind.REPLY, text="Reactie voor Bram", url="/c/")
    # Immediate kinds are not the summary's business.
    NotificationFactory(recipient=carla, kind=Kind.MEMBERSHIP, text="Rol voor Carla")

    output = run_digests()

    assert len(mailoutbox) == 2
    by_person = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_person) == {anna.email, bram.email}
    anna_mail = by_person[anna.email]
    assert anna_mail.subject.startswith("[Meent] ")
    assert "Anna genoemd" in anna_mail.body
    assert "Reactie voor Anna" in anna_mail.body
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/a/" in anna_mail.body
    assert "Bram" not in anna_mail.body
    assert "Reactie voor Bram" in by_person[bram.email].body
    assert not Notification.objects.filter(
        kind__in=[Kind.MENTION, Kind.REPLY], emailed_at__isnull=True
    ).exists()
    assert Notification.objects.get(recipient=carla).emailed_at is None
    assert "[##############################] 2/2" in output
    summary = output.strip().splitlines()[-1]
    assert "2" in summary and "3" in summary  # two summaries, three notifications

    mailoutbox.clear()
    run_digests()
    assert mailoutbox == []


def test_preferences_decide_what_goes_into_the_summary(mailoutbox):
    person = UserFactory()
    NotificationPreference.objects.create(user=person, kind=Kind.MENTION, email=Email.NEVER)
    NotificationPreference.objects.create(user=person, kind=Kind.JOIN_REQUEST, email=Email.DAILY)
    NotificationFactory(recipient=person, kind=Kind.MENTION, text="Niet mailen")
    NotificationFactory(recipient=person, kind=Kind.JOIN_REQUEST, text="Verzoek om lid te worden")
    NotificationFactory(recipient=person, kind=Kind.REPLY, text="Standaard dagelijks")

    run_digests()

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Verzoek om lid te worden" in body
    assert "Standaard dagelijks" in body
    assert "Niet mailen" not in body


def test_read_items_and_suspended_people_are_left_out(mailoutbox):
    reader = UserFactory()
    NotificationFactory(recipient=reader, kind=Kind.REPLY, read_at=timezone.now())
    suspended = UserFactory(suspended_until=timezone.now() + timedelta(days=1))
    NotificationFactory(recipient=suspended, kind=Kind.REPLY)
    inactive = UserFactory(is_active=False)
    NotificationFactory(recipient=inactive, kind=Kind.REPLY)

    output = run_digests()

    assert mailoutbox == []
    assert "0" in output.strip().splitlines()[-1]


def test_a_failing_mailbox_is_tried_again_next_run(mailoutbox, monkeypatch):
    person = UserFactory()
    NotificationFactory(recipient=person, kind=Kind.REPLY, text="Later alsnog")

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("notifications.emails.send_mail", broken)
    run_digests()
    assert Notification.objects.get().emailed_at is None

    monkeypatch.undo()
    run_digests()
    assert len(mailoutbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_a_long_summary_lists_fifty_and_counts_the_rest(mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"  # the language of e-mails
    person = UserFactory()
    NotificationFactory.create_batch(55, recipient=person, kind=Kind.REPLY, actor=None)

    run_digests()

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert body.count("\n* ") == 50
    assert "5 more notifications" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
