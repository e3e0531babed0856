"""The data export: what the ZIP holds, the progress it reports, and what a failure leaves."""

import dataclasses
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification
from privacy import export as exporting
from privacy import registry
from privacy.models import DataExport
from privacy.registry import PrivacyPart
from privacy.tasks import build_data_export

pytestmark = pytest.mark.django_db


def run_export(user):
    export = DataExport.objects.create(user=user)
    build_data_export.call(export.pk)
    export.refresh_from_db()
    return export


def read_zip(export):
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read(exporting.JSON_NAME))
        files = {name: archive.read(name) for name in names if name.startswith("files/")}
    return data, files


def test_the_export_holds_the_persons_own_data(privacy_world):
    w = privacy_world
    export = run_export(w.anna)
    assert export.status == DataExport.Status.READY
    assert export.progress == 100
    assert export.file.name.startswith("exports/")
    data, files = read_zip(export)

    assert data["profile"]["email"] == "anna@meent.nl"
    assert data["profile"]["organisation"] == "Gemeente Meent"
    assert data["profile"]["email_addresses"] == [
        {"email": "anna@meent.nl", "primary": True, "verified": True}
    ]
    assert data["profile"]["notification_email_preferences"]["mention"] == "daily"
    assert [m["group"] for m in data["memberships"]] == ["Team"]
    assert data["memberships"][0]["role"] == "member"
    titles = {post["title"] for post in data["blog_posts"]}
    assert titles == {"Annas groepsbericht", "Annas eigen bericht"}
    group_post = next(p for p in data["blog_posts"] if p["group"] == "Team")
    assert group_post["body"] == "<p>Voor de groep</p>"
    assert group_post["link"].endswith(w.group_post.get_absolute_url())
    assert [c["text"] for c in data["comments"]] == ["Annas reactie op Bram"]
    assert data["comments"][0]["post"] == "Brams openbare post"
    assert [(r["on"], r["post"]) for r in data["reactions"]] == [("post", "Brams openbare post")]
    revision = data["wiki_revisions"][0]
    assert (revision["page"], revision["number"], revision["summary"]) == (
        "Annas wikipagina",
        1,
        "Begin",
    )
    assert "Wikitekst van Anna" in revision["text"]
    assert [m["text"] for m in data["chat_messages"]] == ["Annas chatbericht"]
    assert data["chat_messages"][0]["room"] == "Team"
    assert [(r["item"], r["reason"], r["text"]) for r in data["reports"]] == [
        ("Brams openbare post", "spam", "Reclame")
    ]
    # Dates are ISO 8601.
    assert timezone.datetime.fromisoformat(data["profile"]["joined"])

    # The uploaded files: avatar and blog cover, referenced from the JSON.
    assert data["profile"]["avatar"] in files
    own = next(p for p in data["blog_posts"] if p["group"] is None)
    assert own["cover"] in files
    assert files[own["cover"]].startswith(b"\x89PNG")


def test_the_export_holds_nothing_private_of_someone_else(privacy_world):
    export = run_export(privacy_world.anna)
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        text = archive.read(exporting.JSON_NAME).decode()
    for foreign in ("Brams geheime post", "Brams chatbericht", "Brams reactie op Anna", "bram@"):
        assert foreign not in text


def test_the_json_is_readable(privacy_world):
    export = run_export(privacy_world.anna)
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        text = archive.read(exporting.JSON_NAME).decode()
    assert text.startswith('{\n  "meent_data_export"')
    assert "Annas groepsbericht" in text  # not escaped to \\u sequences


def test_deleted_chat_text_is_not_exported(privacy_world):
    from chat.models import Message

    Message.objects.filter(author=privacy_world.anna).update(deleted_at=timezone.now())
    data, _files = read_zip(run_export(privacy_world.anna))
    assert data["chat_messages"][0]["text"] is None
    assert data["chat_messages"][0]["deleted"]


def test_progress_is_saved_per_section(privacy_world, monkeypatch):
    seen = []
    original = exporting.sections()

    def spy(part):
        def collect(user, files):
            export = DataExport.objects.get(user=user)
            seen.append((export.status, export.progress, export.step))
            return part.export(user, files)

        return dataclasses.replace(part, export=collect)

    for part in original:
        monkeypatch.setitem(registry.PARTS, part.key, spy(part))
    run_export(privacy_world.anna)
    assert [step for _status, _progress, step in seen] == [s.key for s in original]
    assert all(status == "running" for status, _p, _s in seen)
    progress = [p for _status, p, _step in seen]
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] < 100


def test_when_ready_the_person_is_told_once_in_the_app_and_by_email(privacy_world):
    export = run_export(privacy_world.anna)
    notification = Notification.objects.get(recipient=privacy_world.anna, kind=Kind.PRIVACY)
    assert notification.url == export.get_absolute_url()
    assert notification.emailed_at is not None  # the preference does not send a second one
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@meent.nl"]
    assert export.get_absolute_url() in message.body


def test_a_mail_server_away_when_it_is_ready_tells_on_the_retry_once(privacy_world, monkeypatch):
    from privacy import tasks

    real_send = tasks.send_mail
    attempts = []

    def send_mail_once_away(*args, **kwargs):
        attempts.append(args[3])
        if len(attempts) == 1:
            raise ConnectionRefusedError("the mail server is away")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", send_mail_once_away)
    export = DataExport.objects.create(user=privacy_world.anna)
    with pytest.raises(ConnectionRefusedError):
        build_data_export.call(export.pk)  # the worker retries a task that raised
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY and not mail.outbox
    notification = Notification.objects.get(recipient=privacy_world.anna, kind=Kind.PRIVACY)
    assert notification.emailed_at is None  # the claim given back

    build_data_export.call(export.pk)  # the retry: built already, so only told
    build_data_export.call(export.pk)  # run once more: nothing more
    assert len(attempts) == 2 and len(mail.outbox) == 1
    assert export.get_absolute_url() in mail.outbox[0].body
    assert Notification.objects.filter(recipient=privacy_world.anna, kind=Kind.PRIVACY).count() == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY and export.is_downloadable


def test_a_failure_offers_no_half_zip(privacy_world, monkeypatch):
    def broken(user, files):
        files.add("avatar", user.avatar)
        raise RuntimeError("disk full")

    # After the memberships, before the blog posts.
    monkeypatch.setitem(
        registry.PARTS, "broken", PrivacyPart("broken", "Broken", 25, export=broken)
    )
    export = run_export(privacy_world.anna)
    assert export.status == DataExport.Status.FAILED
    assert not export.file
    assert "disk full" in export.error
    assert not export.is_downloadable
    assert not mail.outbox


def test_a_failure_while_writing_removes_the_file(privacy_world, monkeypatch, media_root):
    def broken_save(export, handle):
        export.file.save("meent-data.zip", handle, save=True)
        raise OSError("storage gone")

    monkeypatch.setattr(exporting, "save_zip", broken_save)
    export = run_export(privacy_world.anna)
    assert export.status == DataExport.Status.FAILED
    assert not export.file
    assert not list((media_root / "exports").glob("*/*.zip"))


def test_purge_command_removes_expired_exports_and_files(privacy_world, media_root):
    old = run_export(privacy_world.anna)
    fresh = run_export(privacy_world.bram)
    path = media_root / old.file.name
    assert path.exists()
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    out = io.StringIO()
    call_command("purge_data_exports", stdout=out)
    assert "1" in out.getvalue()
    assert not DataExport.objects.filter(pk=old.pk).exists()
    assert not path.exists() and not path.parent.exists()
    assert DataExport.objects.filter(pk=fresh.pk).exists()
    assert (media_root / fresh.file.name).exists()


def test_exports_are_never_served_from_media(client, privacy_world):
    export = run_export(privacy_world.anna)
    client.force_login(privacy_world.anna)
    assert client.get(f"/media/{export.file.name}").status_code == 404


def test_the_export_holds_requests_invitations_notifications_and_wiki_files(privacy_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from groups.models import Invitation, JoinRequest
    from notifications import notify
    from tests.factories import GroupFactory
    from wiki import services as wiki_services

    w = privacy_world
    other = GroupFactory(name="Anders", membership_policy="request")
    JoinRequest.objects.create(group=other, user=w.anna, message="Mag ik erbij?")
    Invitation.objects.create(group=w.group, email="collega@meent.nl", invited_by=w.anna)
    notify(
        w.anna, Kind.MEMBERSHIP, "groups.join_approved", "/groups/team/", params={"group": "Team"}
    )
    wiki_services.add_attachment(
        w.anna, w.group, SimpleUploadedFile("notities.txt", b"mijn notities", "text/plain")
    )
    data, files = read_zip(run_export(w.anna))
    assert [(r["group"], r["message"], r["status"]) for r in data["join_requests"]] == [
        ("Anders", "Mag ik erbij?", "pending")
    ]
    assert [(i["group"], i["email"], i["state"]) for i in data["invitations_sent"]] == [
        ("Team", "collega@meent.nl", "open")
    ]
    # As Anna reads it (in Dutch, hers), with what is stored beside it.
    welcome = next(n for n in data["notifications"] if n["message"] == "groups.join_approved")
    assert welcome["text"] == "Je aanvraag om lid te worden van Team is goedgekeurd."
    assert welcome["parameters"] == {"group": "Team"}
    attachment = data["wiki_attachments"][0]
    assert attachment["name"] == "notities.txt"
    assert files[attachment["file"]] == b"mijn notities"


def test_file_names_in_the_zip_never_collide():
    class Stored:
        def __init__(self, name):
            self.name = name

        def __bool__(self):
            return True

    files = exporting.Files()
    paths = [files.add("blog-covers", Stored(f"blog/covers/{n}/omslag.png")) for n in range(3)]
    assert paths == [
        "files/blog-covers/omslag.png",
        "files/blog-covers/omslag-2.png",
        "files/blog-covers/omslag-3.png",
    ]
    assert files.add("avatar", None) is None


def test_a_file_lost_from_storage_is_left_out(privacy_world, media_root):
    (media_root / privacy_world.anna.avatar.name).unlink()
    export = run_export(privacy_world.anna)
    assert export.status == DataExport.Status.READY
    data, files = read_zip(export)
    assert data["profile"]["avatar"] not in files
    assert len(files) == 1  # the blog cover
