"""Download my data in the person's own language: the ZIP's notifications, the notification and
the e-mail that say it is ready (with the date in that language's format), whoever's language the
request that started it had."""

from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from notifications import Kind, notify
from notifications.models import Notification
from privacy.models import DataExport
from privacy.tasks import build_data_export
from tests.factories import UserFactory

from .test_export import read_zip

pytestmark = pytest.mark.django_db

EXPIRES = timezone.make_aware(datetime(2026, 12, 7, 14, 5))  # Amsterdam time


def export_for(person):
    export = DataExport.objects.create(user=person)
    with translation.override("nl" if person.language == "en" else "en"):  # the other language
        build_data_export.call(export.pk)
    export.refresh_from_db()
    return export


@pytest.fixture
def fixed_expiry(monkeypatch):
    from privacy import tasks

    real_run = tasks.run

    def run(export):
        real_run(export)
        DataExport.objects.filter(pk=export.pk).update(expires_at=EXPIRES)
        export.expires_at = EXPIRES

    monkeypatch.setattr(tasks, "run", run)


@pytest.mark.parametrize(
    ("language", "ready", "removed", "subject"),
    [
        (
            "en",
            "Your data is ready to download until 7 December 2026, 14:05.",
            "You were removed from Team.",
            "[Meent] Your data is ready to download",
        ),
        (
            "nl",
            "Je gegevens staan klaar om te downloaden tot 7 december 2026 14:05.",
            "Je bent verwijderd uit Team.",
            "[Meent] Je gegevens staan klaar om te downloaden",
        ),
    ],
)
def test_the_export_and_its_email_are_in_the_persons_language(
    fixed_expiry, media_root, language, ready, removed, subject
):
    person = UserFactory(first_name="Eve", language=language)
    notify(person, Kind.MEMBERSHIP, "groups.removed", "/groups/", params={"group": "Team"})

    export = export_for(person)
    assert export.status == DataExport.Status.READY

    data, _files = read_zip(export)
    assert [n["text"] for n in data["notifications"]] == [removed]

    told = Notification.objects.get(recipient=person, kind=Kind.PRIVACY)
    assert told.message == "privacy.export_ready"
    with translation.override(language):
        assert told.display_text == ready

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == subject
    assert ready in message.body
    assert message.body.startswith("Hello " if language == "en" else "Hallo ")
