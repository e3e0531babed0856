"""The audit log: moderators read their entries in Site history and export them; old entries are
purged after the retention period."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from meent import audit
from moderation import services
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def suspended(moderator):
    person = UserFactory(first_name="Sanne", last_name="Spammer")
    services.suspend(
        moderator,
        person,
        until=timezone.now() + datetime.timedelta(days=7),
        reason="Reclame in elke groep",
    )
    return person


def test_moderator_sees_suspensions_in_site_history(moderator_client, suspended):
    response = moderator_client.get(SITE_HISTORY)
    assert response.status_code == 200
    entries = list(response.context["object_list"])
    assert [e.action for e in entries if e.object_id == str(suspended.pk)] == [
        "meent.person.suspend"
    ]
    html = response.content.decode()
    assert "Reclame in elke groep" in html
    # Filtered by action.
    response = moderator_client.get(SITE_HISTORY, {"action": "meent.person.suspend"})
    assert [e.action for e in response.context["object_list"]] == ["meent.person.suspend"]


def test_site_history_csv_export_has_the_reason(moderator_client, suspended):
    response = moderator_client.get(SITE_HISTORY, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    row = next(line for line in body.splitlines() if "Sanne Spammer" in line)
    with translation.override("en"):
        assert "Suspend" in row
    assert "Reclame in elke groep" in row
    assert "Message" in body.splitlines()[0] or "Bericht" in body.splitlines()[0]


def test_merge_and_lift_are_in_site_history(moderator_client, moderator, suspended):
    services.lift_suspension(moderator, suspended, reason="Excuses aangeboden")
    organisation = OrganisationFactory(name="Provincie")
    audit.record(organisation, "meent.organisation.merge", moderator, merged="Prov.", people=2)
    actions = {e.action for e in moderator_client.get(SITE_HISTORY).context["object_list"]}
    assert {"meent.person.unsuspend", "meent.organisation.merge"} <= actions


def test_members_have_no_site_history(client, suspended):
    client.force_login(UserFactory())
    response = client.get(SITE_HISTORY)
    assert response.status_code == 302
    assert "Reclame" not in response.content.decode()


def _entry(model, days_old, **kwargs):
    entry = model.objects.create(
        action="wagtail.edit", label="x", timestamp=timezone.now(), **kwargs
    )
    model.objects.filter(pk=entry.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=days_old)
    )
    return entry


@pytest.fixture
def old_and_new(moderator):
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(moderator)
    page = Page.objects.filter(depth__gt=1).first() or Page.get_first_root_node()
    page_type = ContentType.objects.get_for_model(Page)
    return {
        "old_model": [
            _entry(ModelLogEntry, 800, content_type=user_type, object_id=str(moderator.pk))
            for _ in range(3)
        ],
        "new_model": _entry(ModelLogEntry, 10, content_type=user_type, object_id="1"),
        "old_page": _entry(PageLogEntry, 731, content_type=page_type, page=page),
        "new_page": _entry(PageLogEntry, 729, content_type=page_type, page=page),
    }


def _exists(entry):
    return type(entry).objects.filter(pk=entry.pk).exists()


def test_purge_deletes_only_entries_older_than_the_retention(settings, old_and_new):
    settings.MEENT_AUDIT_RETENTION_DAYS = 730
    out = io.StringIO()
    call_command("purge_audit_log", "--batch-size", "2", stdout=out)
    assert not any(_exists(e) for e in old_and_new["old_model"])
    assert not _exists(old_and_new["old_page"])
    assert _exists(old_and_new["new_model"]) and _exists(old_and_new["new_page"])
    assert "4/4" in out.getvalue()


def test_purge_with_days_and_dry_run(old_and_new):
    out = io.StringIO()
    call_command("purge_audit_log", "--days", "5", "--dry-run", stdout=out)
    assert "6" in out.getvalue()
    assert _exists(old_and_new["new_model"]) and _exists(old_and_new["old_page"])
    call_command("purge_audit_log", "--days", "5", stdout=io.StringIO())
    assert not _exists(old_and_new["new_model"]) and not _exists(old_and_new["new_page"])


def test_purge_refuses_zero_days():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_audit_log", "--days", "0")
