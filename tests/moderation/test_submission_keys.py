"""A report sent twice is one report, answered as the first was (meent/idempotency.py)."""

import uuid

import pytest
from django.urls import reverse

from moderation.models import Flag
from tests.submissions import key_in, keys_in, post_twice

pytestmark = pytest.mark.django_db


def test_a_report_sent_twice_is_one_report_and_the_same_answer(client, world):
    client.force_login(world["people"]["reader"])
    url = reverse("moderation:report", args=["comment", world["comment"].pk])
    key = key_in(client.get(url))
    data = {"reason": "spam", "text": "", "submission_key": key}
    first, _again = post_twice(client, url, data, Flag.objects.count)
    assert first["Location"].startswith(world["post"].get_absolute_url())
    # Another key: the person's open report stands, as before ("you reported this on ...").
    response = client.post(url, {**data, "submission_key": str(uuid.uuid4())})
    assert response.status_code == 200
    assert Flag.objects.count() == 1


def test_a_report_with_errors_keeps_its_key(client, world):
    client.force_login(world["people"]["reader"])
    url = reverse("moderation:report", args=["comment", world["comment"].pk])
    key = key_in(client.get(url))
    response = client.post(url, {"reason": "", "text": "", "submission_key": key})
    assert response.status_code == 400
    assert keys_in(response) == [uuid.UUID(key)]
    assert not Flag.objects.exists()
