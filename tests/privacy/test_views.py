"""The privacy pages: the overview, starting a download, its progress and the download itself."""

import json
import zipfile
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from blog import services as blog_services
from privacy.models import DataExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_overview_needs_signing_in(client):
    response = client.get(reverse("privacy:overview"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_overview_counts_what_meent_holds(client, privacy_world):
    client.force_login(privacy_world.anna)
    with translation.override("en"):
        response = client.get(reverse("privacy:overview"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    counts = dict(response.context["categories"])
    assert counts["Blog posts"] == 2
    assert counts["Comments"] == 1
    assert counts["Likes"] == 1
    assert counts["Wiki changes"] == 1
    assert counts["Chat messages"] == 1
    assert counts["Group memberships"] == 1
    assert counts["Reports you made"] == 1
    assert "anna@meent.nl" in response.content.decode()


def test_the_overview_takes_the_same_queries_however_much_there_is(client, privacy_world):
    client.force_login(privacy_world.anna)
    url = reverse("privacy:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        post = blog_services.save_post(
            privacy_world.anna,
            blog_services.PostInput(title=f"Nog een bericht {n}", body="<p>x</p>", publish="now"),
        )
        blog_services.add_comment(privacy_world.anna, post, f"Reactie {n}")
    DataExport.objects.create(user=privacy_world.anna, status="ready")
    DataExport.objects.create(user=privacy_world.anna, status="failed")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_starting_a_download_builds_it_and_shows_its_progress(
    client, privacy_world, django_capture_on_commit_callbacks
):
    client.force_login(privacy_world.anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:start_export"))
    export = DataExport.objects.get(user=privacy_world.anna)
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    assert export.status == "ready"

    page = client.get(export.get_absolute_url())
    html = page.content.decode()
    assert '<progress id="export-progress" max="100" value="100">' in html
    assert 'aria-live="polite"' in html
    assert export.get_download_url() in html
    assert 'http-equiv="refresh"' not in html  # finished: nothing to wait for

    status = client.get(reverse("privacy:export_status", args=[export.pk])).json()
    assert status["status"] == "ready" and status["progress"] == 100
    assert status["download"] == export.get_download_url()

    download = client.get(export.get_download_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("meent-data.json"))
    assert "Annas groepsbericht" in {post["title"] for post in data["blog_posts"]}


def test_a_running_download_refreshes_itself_without_javascript(client, privacy_world):
    export = DataExport.objects.create(
        user=privacy_world.anna, status="running", progress=40, step="comments"
    )
    client.force_login(privacy_world.anna)
    with translation.override("en"):
        html = client.get(export.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert 'value="40"' in html
    assert "40% done. Now: Comments." in html
    assert "privacy/export.js" in html
    assert reverse("privacy:download", args=[export.pk]) not in html.split("hidden")[0]
    assert client.get(export.get_download_url()).status_code == 404
    status = client.get(reverse("privacy:export_status", args=[export.pk])).json()
    assert (status["status"], status["progress"], status["download"]) == ("running", 40, "")


def test_one_download_at_a_time(client, privacy_world):
    running = DataExport.objects.create(user=privacy_world.anna, status="running")
    client.force_login(privacy_world.anna)
    response = client.post(reverse("privacy:start_export"))
    assert response["Location"] == running.get_absolute_url()
    assert DataExport.objects.filter(user=privacy_world.anna).count() == 1


def test_a_stuck_download_does_not_block_a_new_one(client, privacy_world):
    stuck = DataExport.objects.create(
        user=privacy_world.anna,
        status="running",
        created_at=timezone.now() - timezone.timedelta(hours=3),
    )
    client.force_login(privacy_world.anna)
    client.post(reverse("privacy:start_export"))
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert DataExport.objects.filter(user=privacy_world.anna).count() == 2


def test_expired_downloads_are_purged_when_asking_again(client, privacy_world, media_root):
    from privacy.tasks import build_data_export

    old = DataExport.objects.create(user=privacy_world.anna)
    build_data_export.call(old.pk)
    old.refresh_from_db()
    path = media_root / old.file.name
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    client.force_login(privacy_world.anna)
    assert client.get(old.get_download_url()).status_code == 404  # expired
    client.post(reverse("privacy:start_export"))
    assert not DataExport.objects.filter(pk=old.pk).exists()
    assert not path.exists()


def test_someone_elses_download_does_not_exist(client, privacy_world):
    from privacy.tasks import build_data_export

    export = DataExport.objects.create(user=privacy_world.anna)
    build_data_export.call(export.pk)
    client.force_login(privacy_world.bram)
    for name in ("privacy:export", "privacy:export_status", "privacy:download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("privacy:download", args=[export.pk]))
    assert response.status_code == 302  # to the sign-in


def test_a_failed_download_says_what_to_do(client, privacy_world):
    export = DataExport.objects.create(user=privacy_world.anna, status="failed", error="boom")
    client.force_login(privacy_world.anna)
    with translation.override("en"):
        html = client.get(export.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Please ask for your data again" in html
    assert "boom" not in html
    assert reverse("privacy:start_export") in html
    assert client.get(export.get_download_url()).status_code == 404


def test_the_profile_links_to_the_privacy_page(client, privacy_world):
    client.force_login(privacy_world.anna)
    html = client.get(reverse("accounts:profile", args=[privacy_world.anna.pk])).content.decode()
    assert reverse("privacy:overview") in html
    html = client.get(reverse("accounts:edit_profile")).content.decode()
    assert reverse("privacy:overview") in html


def test_others_see_no_link_to_someone_elses_privacy_page(client, privacy_world):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile", args=[privacy_world.anna.pk])).content.decode()
    assert reverse("privacy:overview") not in html


def test_asking_for_ones_data_is_limited_per_hour(client, privacy_world):
    from privacy.views import EXPORTS_PER_HOUR

    client.force_login(privacy_world.anna)
    for _attempt in range(EXPORTS_PER_HOUR):
        client.post(reverse("privacy:start_export"))
        DataExport.objects.filter(user=privacy_world.anna).update(status="ready")
    response = client.post(reverse("privacy:start_export"))
    assert response["Location"] == reverse("privacy:overview")
    assert DataExport.objects.filter(user=privacy_world.anna).count() == EXPORTS_PER_HOUR
