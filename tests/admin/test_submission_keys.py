"""A suspension sent twice is recorded and e-mailed once (meent/idempotency.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import UserFactory
from tests.submissions import key_in

pytestmark = pytest.mark.django_db


def test_a_suspension_sent_twice_is_recorded_and_told_once(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(first_name="Anna", last_name="Spam")
    url = reverse("moderation_admin:suspend", args=[person.pk])
    key = key_in(moderator_client.get(url))
    until = timezone.localdate() + datetime.timedelta(days=7)
    data = {"length": "until", "until": until.isoformat(), "reason": "Spam", "submission_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        first = moderator_client.post(url, data)
        again = moderator_client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    entries = ModelLogEntry.objects.filter(action="meent.person.suspend", object_id=str(person.pk))
    assert entries.count() == 1
    assert [message.to for message in mailoutbox] == [[person.email]]
