""" "Download my data" pressed twice makes one download (meent/idempotency.py). A person's
submission keys are not exported (they say nothing about the person: which form was sent when, for
a week) and go with the account (tests/platform/test_idempotency.py)."""

import uuid

import pytest
from django.urls import reverse

from privacy.models import DataExport
from tests.submissions import key_in

pytestmark = pytest.mark.django_db


def test_download_my_data_pressed_twice_is_one_download(
    client, privacy_world, django_capture_on_commit_callbacks
):
    client.force_login(privacy_world.anna)
    key = key_in(client.get(reverse("privacy:overview")))
    url = reverse("privacy:start_export")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"submission_key": key})
    export = DataExport.objects.get(user=privacy_world.anna)
    assert export.status == "ready"  # built already: only the key stops a second one
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"submission_key": key})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == export.get_absolute_url()
    assert DataExport.objects.filter(user=privacy_world.anna).count() == 1
    # The overview, shown again, has a key of its own: asked again, another download.
    fresh = key_in(client.get(reverse("privacy:overview")))
    assert fresh != key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission_key": fresh})
    assert DataExport.objects.filter(user=privacy_world.anna).count() == 2


def test_a_malformed_key_starts_nothing_and_says_so(client, privacy_world):
    client.force_login(privacy_world.anna)
    response = client.post(
        reverse("privacy:start_export"), {"submission_key": "kapot"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:overview")
    assert not DataExport.objects.exists()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This form was not sent completely, so nothing was saved." in page
    assert uuid.UUID(key_in(client.get(reverse("privacy:overview"))))
