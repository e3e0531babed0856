"""Virus scanning of uploads (meent/virusscan.py) against a real clamd with one signature (the
EICAR test file, tests/platform/clamd.py): clean and infected files over the Unix socket and over
TCP, a file of many chunks, fail-closed when clamd is gone, silent or not clamd, nothing scanned
when it is not configured, the admin's panel, and a wiki attachment with a virus."""

import io
import logging
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from meent import virusscan
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.helpers import activate_totp
from tests.platform.clamd import (
    EICAR,
    REPORTED_SIGNATURE,
    STREAM_MAX_BYTES,
    clamd,  # noqa: F401 (the session's clamd)
    free_port,
    start_clamd,
)

UNAVAILABLE = "The virus scanner cannot be reached right now; try again in a few minutes."


@pytest.fixture
def unix_socket(settings, clamd):  # noqa: F811
    settings.MEENT_CLAMD_SOCKET = clamd.socket_path
    settings.MEENT_CLAMD_HOST = ""
    settings.MEENT_CLAMD_TIMEOUT = 10
    return clamd


@pytest.fixture
def tcp(settings, clamd):  # noqa: F811
    settings.MEENT_CLAMD_SOCKET = ""
    settings.MEENT_CLAMD_HOST = "127.0.0.1"
    settings.MEENT_CLAMD_PORT = clamd.port
    settings.MEENT_CLAMD_TIMEOUT = 10
    return clamd


@pytest.fixture
def not_configured(settings):
    settings.MEENT_CLAMD_SOCKET = ""
    settings.MEENT_CLAMD_HOST = ""


class ReadRecorder(io.BytesIO):
    """A file that notes how much each read asked for."""

    def __init__(self, data):
        super().__init__(data)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def test_clamd_starts_in_a_few_seconds(clamd):  # noqa: F811
    assert clamd.started_in < 5, clamd.started_in


def test_without_clamd_the_tests_skip_but_fail_under_ci(monkeypatch, settings):
    from tests.platform import clamd as fixtures

    monkeypatch.setattr(fixtures, "clamd_binary", lambda: None)
    settings.MEENT_REQUIRE_SERVICES = False
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        start_clamd()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        start_clamd()


def test_a_clean_file_is_clean(unix_socket):
    upload = SimpleUploadedFile("verslag.txt", b"Gewoon een verslag.\n")
    upload.read(4)
    assert virusscan.scan(upload) == virusscan.ScanResult(True, "")
    assert upload.tell() == 0
    virusscan.check_upload(upload, what="a test")


def test_eicar_is_found_with_its_signature(unix_socket):
    result = virusscan.scan(io.BytesIO(EICAR))
    assert result == virusscan.ScanResult(False, REPORTED_SIGNATURE)


def test_a_file_of_many_chunks_is_streamed_whole_and_never_read_at_once(unix_socket):
    # The virus at the very end: found only when every chunk before it went to clamd.
    body = b"a" * (3 * virusscan.CHUNK_SIZE + 123) + EICAR
    upload = ReadRecorder(body)
    assert virusscan.scan(upload).signature == REPORTED_SIGNATURE
    assert len(upload.reads) >= 4
    assert all(0 < size <= virusscan.CHUNK_SIZE for size in upload.reads)
    assert upload.tell() == 0
    clean = ReadRecorder(b"b" * (3 * virusscan.CHUNK_SIZE + 5))
    assert virusscan.scan(clean).clean


def test_a_file_on_disk_is_scanned(unix_socket, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = TemporaryUploadedFile("groot.bin", "application/octet-stream", 0, None)
    upload.write(b"c" * (2 * virusscan.CHUNK_SIZE) + EICAR)
    upload.flush()
    assert virusscan.scan(upload).signature == REPORTED_SIGNATURE
    upload.close()


def test_tcp_host_and_port(tcp):
    assert virusscan.scan(io.BytesIO(b"schoon")).clean
    assert virusscan.scan(io.BytesIO(EICAR)).signature == REPORTED_SIGNATURE


def test_not_configured_scans_nothing(not_configured, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("nothing may be sent when scanning is off")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert not virusscan.is_configured()
    assert virusscan.scan(io.BytesIO(EICAR)) == virusscan.ScanResult(True, "")
    virusscan.check_upload(io.BytesIO(EICAR), what="a test")
    assert virusscan.status() == virusscan.ScannerStatus(configured=False)


@pytest.mark.django_db
def test_an_infected_upload_is_refused_logged_and_audited(unix_socket, caplog):
    person = UserFactory(first_name="Vera", last_name="Virus")
    upload = SimpleUploadedFile("factuur.pdf", EICAR)
    with translation.override("en"), caplog.at_level(logging.WARNING, "meent.virusscan"):
        with pytest.raises(ValidationError) as caught:
            virusscan.check_upload(upload, what="wiki attachment in group x", user=person)
        message = " ".join(caught.value.messages)
    assert caught.value.code == "infected"
    assert message.startswith(f"This file contains a virus ({REPORTED_SIGNATURE}) and was not")
    assert REPORTED_SIGNATURE in caplog.text and "factuur.pdf" in caplog.text
    assert f"person {person.pk}" in caplog.text
    entry = ModelLogEntry.objects.get(action="meent.upload.infected")
    assert entry.user == person
    assert entry.object_id == str(person.pk)
    assert entry.data == {
        "signature": REPORTED_SIGNATURE,
        "what": "wiki attachment in group x",
        "name": "factuur.pdf",
    }
    # The log holds who and what, never the file.
    assert "EICAR" not in str(entry.data) and "EICAR" not in caplog.text
    with translation.override("en"):
        assert "contains a virus" in entry.message and REPORTED_SIGNATURE in entry.message


def test_the_refusal_reads_in_dutch(unix_socket):
    with translation.override("nl"):
        with pytest.raises(ValidationError) as caught:
            virusscan.check_upload(io.BytesIO(EICAR), what="a test")
        message = caught.value.messages[0]
        unavailable = translation.gettext(UNAVAILABLE)
    assert message.startswith(f"Dit bestand bevat een virus ({REPORTED_SIGNATURE}) en is niet")
    assert unavailable.startswith("De virusscanner is nu niet bereikbaar")


def assert_unavailable(upload, caplog, expected_log):
    with translation.override("en"), caplog.at_level(logging.ERROR, "meent.virusscan"):
        with pytest.raises(ValidationError) as caught:
            virusscan.check_upload(upload, what="a test")
        assert caught.value.messages == [UNAVAILABLE]
    assert caught.value.code == "scanner_unavailable"
    assert expected_log in caplog.text
    assert [record.levelname for record in caplog.records] == ["ERROR"]


def test_a_stopped_clamd_refuses_every_upload(settings, caplog):
    stopped = start_clamd()
    settings.MEENT_CLAMD_SOCKET = stopped.socket_path
    assert virusscan.scan(io.BytesIO(b"schoon")).clean
    stopped.stop()
    with pytest.raises(virusscan.ScannerUnavailable):
        virusscan.scan(io.BytesIO(b"schoon"))
    assert_unavailable(io.BytesIO(b"schoon"), caplog, "cannot be reached")


def test_nothing_listening_on_the_port_refuses(settings, caplog):
    settings.MEENT_CLAMD_SOCKET = ""
    settings.MEENT_CLAMD_HOST = "127.0.0.1"
    settings.MEENT_CLAMD_PORT = free_port()
    assert_unavailable(io.BytesIO(b"schoon"), caplog, "cannot be reached")


def fake_clamd(answer: bytes | None):
    """A TCP server that takes one connection, reads what comes and answers ``answer`` (None:
    never answers); returns its port and a function that stops it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    stop = threading.Event()

    def serve():
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(0.2)
            while not stop.is_set():
                try:
                    data = connection.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if answer is not None and (not data or data.endswith(b"\0\0\0\0")):
                    connection.sendall(answer)
                    return
                if not data:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close():
        stop.set()
        server.close()
        thread.join(5)

    return server.getsockname()[1], close


@pytest.mark.parametrize(
    ("answer", "expected_log"),
    [
        (None, "did not answer within 1 s"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "answered what clamd does not say"),
        (b"stream: Can't allocate memory ERROR\0", "could not scan"),
        (b"", "closed the connection without answer"),
    ],
)
def test_a_silent_or_strange_scanner_refuses(settings, caplog, answer, expected_log):
    port, close = fake_clamd(answer)
    settings.MEENT_CLAMD_SOCKET = ""
    settings.MEENT_CLAMD_HOST = "127.0.0.1"
    settings.MEENT_CLAMD_PORT = port
    settings.MEENT_CLAMD_TIMEOUT = 1
    try:
        assert_unavailable(io.BytesIO(b"schoon"), caplog, expected_log)
    finally:
        close()


def test_a_file_over_clamds_stream_limit_is_refused_with_a_clear_log(unix_socket, caplog):
    upload = io.BytesIO(b"d" * (STREAM_MAX_BYTES + virusscan.CHUNK_SIZE))
    assert_unavailable(upload, caplog, "StreamMaxLength")
    assert upload.tell() == 0


# --- the admin's home page ---------------------------------------------------------------------


@pytest.fixture
def operator_client(client, db):
    operator = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(operator)
    client.force_login(operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def panel(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.find('id="virus-scanning-section"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_the_admin_says_when_uploads_are_not_scanned(operator_client, not_configured):
    text = panel(operator_client)
    assert "Uploads are not scanned for viruses." in text
    assert "MEENT_CLAMD_SOCKET" in text and "MEENT_CLAMD_HOST" in text


def test_the_admin_says_scanning_is_on_and_clamd_answers(operator_client, unix_socket):
    text = panel(operator_client)
    assert "Uploads are scanned for viruses." in text
    assert unix_socket.socket_path in text and "ClamAV 1." in text


def test_the_admin_says_when_clamd_does_not_answer_and_asks_once_a_minute(
    operator_client, settings, monkeypatch
):
    stopped = start_clamd()
    stopped.stop()
    settings.MEENT_CLAMD_SOCKET = stopped.socket_path
    asked = []
    command = virusscan._command
    monkeypatch.setattr(virusscan, "_command", lambda *args: asked.append(args) or command(*args))
    text = panel(operator_client)
    assert "The virus scanner does not answer: uploads are refused until it does." in text
    assert stopped.socket_path in text
    panel(operator_client)
    assert len(asked) == 1


def test_only_superusers_see_the_panel(client, db, not_configured):
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(*_admin_access())
    activate_totp(moderator)
    client.force_login(moderator)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert 'id="virus-scanning-section"' not in response.content.decode()


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )


# --- wiki attachments --------------------------------------------------------------------------


@pytest.fixture
def member_and_group(db):
    group = GroupFactory(slug="virusvrij", content_default="open")
    member = UserFactory()
    MembershipFactory(group=group, user=member, role="member")
    return member, group


def test_a_wiki_attachment_with_a_virus_is_refused_and_not_stored(
    client, member_and_group, unix_socket, settings, tmp_path
):
    from wiki.models import WikiAttachment

    settings.MEDIA_ROOT = tmp_path
    member, group = member_and_group
    client.force_login(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("wiki:upload", args=[group.slug])
    refused = client.post(url, {"file": SimpleUploadedFile("notities.txt", EICAR)})
    assert refused.status_code == 400
    assert refused.json()["error"].startswith(f"This file contains a virus ({REPORTED_SIGNATURE})")
    assert not WikiAttachment.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    assert ModelLogEntry.objects.filter(action="meent.upload.infected", user=member).exists()
    clean = client.post(url, {"file": SimpleUploadedFile("notities.txt", b"Schone notities.\n")})
    assert clean.status_code == 201


def test_a_wiki_attachment_waits_for_a_scanner_that_is_down(
    client, member_and_group, settings, tmp_path
):
    from wiki.models import WikiAttachment

    settings.MEDIA_ROOT = tmp_path
    settings.MEENT_CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")
    member, group = member_and_group
    client.force_login(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("wiki:upload", args=[group.slug])
    refused = client.post(url, {"file": SimpleUploadedFile("notities.txt", b"Schoon.\n")})
    assert refused.status_code == 503
    assert refused.json()["error"] == UNAVAILABLE
    assert not WikiAttachment.objects.exists()
