"""A backup restores (README, "Backup and restore"): deploy/backup.sh saves a database with a group,
its wiki page and an uploaded file, plus the uploads folder; deploy/restore.sh puts it into a
fresh database and an empty folder; a server on those serves the page and the file over HTTP.

Needs the local PostgreSQL and its client programs (skipped without them, failing with CI=true).
"""

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.conftest import require_service
from tests.e2e.conftest import _test_database_url
from tests.factories import UserFactory
from tests.helpers import group_with
from wiki import services as wiki_services

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
FILE_TEXT = "Het herstelplan: alles komt terug.\n"


def run(script, *arguments, **env):
    return subprocess.run(
        [str(script), *arguments],
        env={**os.environ, "MEENT_ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def psql(url, sql):
    subprocess.run(
        ["psql", "--no-psqlrc", "--quiet", f"--dbname={url}", f"--command={sql}"],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def postgresql():
    url = os.environ.get("DATABASE_URL", "")
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql" and url.startswith("postgres"),
        "set DATABASE_URL=postgres://… (backups are pg_dump's)",
    )
    for program in ("pg_dump", "pg_restore", "psql"):
        require_service(
            program, shutil.which(program) is not None, "apt-get install postgresql-client"
        )


@pytest.fixture
def fresh_database(postgresql):
    """The URL of a new, empty database beside the test database; dropped at the end."""
    source = _test_database_url()
    name = f"meent_restore_{uuid.uuid4().hex[:10]}"
    psql(source, f'CREATE DATABASE "{name}"')
    yield urlsplit(source)._replace(path=f"/{name}").geturl()
    # The restored server may still be connected: FORCE ends its connections.
    psql(source, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_and_serves_the_page_and_file(
    start_server, settings, tmp_path, fresh_database
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    owner = UserFactory(first_name="Fenna", email="fenna@voorbeeld.nl")
    group = group_with(owner, slug="bewaren", content_default="open")
    page = wiki_services.create_page(
        owner,
        group,
        title="Herstelplan",
        body="<p>Wat we elke nacht bewaren.</p>",
        visibility="public",
    )
    attachment = wiki_services.add_attachment(
        owner, group, SimpleUploadedFile("plan.txt", FILE_TEXT.encode())
    )
    assert (media / attachment.file.name).is_file()

    made = run(
        BACKUP, str(tmp_path / "backups"), DATABASE_URL=_test_database_url(), MEDIA_ROOT=media
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert backup.parent == tmp_path / "backups" and backup.name.startswith("meent-")
    assert sorted(path.name for path in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    restored_media = tmp_path / "restored-media"
    restored = run(RESTORE, str(backup), DATABASE_URL=fresh_database, MEDIA_ROOT=restored_media)
    assert restored.returncode == 0, restored.stderr
    assert (restored_media / attachment.file.name).read_text() == FILE_TEXT

    # A second restore into the now full database is refused, and changes nothing.
    again = run(RESTORE, str(backup), DATABASE_URL=fresh_database, MEDIA_ROOT=tmp_path / "other")
    assert again.returncode != 0 and "restore into an empty one" in again.stderr

    server = start_server(DATABASE_URL=fresh_database, MEDIA_ROOT=str(restored_media))
    answer = requests.get(server.url + page.get_absolute_url(), timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    assert "Herstelplan" in answer.text and "Wat we elke nacht bewaren." in answer.text
    download = requests.get(server.url + attachment.get_absolute_url(), timeout=30)
    assert download.status_code == 200
    assert download.content == FILE_TEXT.encode()


def test_restore_refuses_a_damaged_backup(tmp_path):
    backup = tmp_path / "meent-20260101T000000Z"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"not a dump")
    (backup / "media.tar.gz").write_bytes(b"not a tar")
    (backup / "SHA256SUMS").write_text(f"{'0' * 64}  database.dump\n{'0' * 64}  media.tar.gz\n")
    # Checked before the database is asked anything: no database is needed here.
    result = run(
        RESTORE, str(backup), DATABASE_URL="postgres://nowhere/meent", MEDIA_ROOT=tmp_path / "media"
    )
    assert result.returncode != 0 and "damaged" in result.stderr
    assert not (tmp_path / "media").exists()
