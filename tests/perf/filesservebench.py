"""The file library's serving part of `make bench`: a 50 MB upload through the real HTTP stack
with the server's memory watched, and a folder of 5,000 files listed.

One run (``python -m tests.perf.filesservebench``; from tests/perf/bench.py as a part named
``filesserve``):

1. a throw-away PostgreSQL database ``meent_filesserve_<pid>``, migrated; in a subprocess
   (``--seed OUT.json``) a members-only group with a member, a folder of BENCH_FILES_LISTED
   (5,000) files (rows made in bulk; they share one small stored file, a list never opens it) and
   an empty folder to upload into; the member's session and CSRF token; and the SQL queries of
   the big folder's first page against a folder of 10 files (Django's test client);
2. one server process (config/serve.py, uvicorn, the bench's settings, tasks queued in the
   database so that no text is read in the server process);
3. the upload: a BENCH_FILES_UPLOAD_MB (50) MB text file POSTed as the library's form does
   (multipart, ``Accept: application/json``), streamed from disk; the server's resident memory
   (VmRSS of its process, sampled every 5 ms, and the kernel's peak VmHWM after a reset where
   the kernel allows it) before and during: the growth must stay well under the file's size;
   then the same file downloaded (read and dropped by the client), watched the same way: over
   ASGI Django would read a synchronous stream whole into memory (meent/media.py ``streamed``);
4. the list: the big folder's page requested for BENCH_FILES_SECONDS (5) s over
   BENCH_FILES_CONNECTIONS (4) connections: requests/s and p50/p95 ms.

The results go under "filesserve". The part fails (exit 1) when the upload or the download fails,
the server grew by more than half the file's size in either, a list request failed, or the big
folder's page made more queries than the small one's.
"""

import asyncio
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from .harness import (
    BenchError,
    Servers,
    Skip,
    ThrowawayDatabase,
    check_postgres,
    env_number,
    environment,
    fmt,
    local_postgres_url,
    run_python,
)
from .harness import (
    say as default_say,
)

MEMBER_EMAIL = "lid@bench.meent.test"
SMALL_FOLDER = 10


def read_config(environ):
    return {
        "listed": env_number(environ, "BENCH_FILES_LISTED", 5000, int, low=1, high=100_000),
        "upload_mb": env_number(environ, "BENCH_FILES_UPLOAD_MB", 50, int, low=1, high=2000),
        "seconds": env_number(environ, "BENCH_FILES_SECONDS", 5.0, float, high=600),
        "connections": env_number(environ, "BENCH_FILES_CONNECTIONS", 4, int, high=256),
    }


# --- the seed (a subprocess: python -m tests.perf.filesservebench --seed OUT.json) ---------------


def seed(out_path, listed):
    import django

    django.setup()

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from files import services
    from files.models import FileVersion, Folder, GroupFile, name_key
    from groups.models import Group, Membership

    user = User.objects.create_user(
        email=MEMBER_EMAIL, password=uuid.uuid4().hex, first_name="Bench", last_name="Lid"
    )
    group = Group.objects.create(name="Bench bestanden", slug="bench-bestanden")
    Membership.objects.create(group=group, user=user, role=Membership.Role.OWNER)
    root = services.root_folder(group)
    big = services.create_folder(user, root, "Groot")
    small = services.create_folder(user, root, "Klein")
    target = services.create_folder(user, root, "Uploads")
    stored = FileVersion._meta.get_field("stored")
    shared = stored.storage.save(
        stored.generate_filename(None, "gedeeld.txt"), ContentFile(b"gedeeld\n")
    )
    now = timezone.now()

    def fill(folder, count):
        with transaction.atomic():
            rows = GroupFile.objects.bulk_create(
                [
                    GroupFile(
                        group=group,
                        folder=folder,
                        name=f"document-{n:05d}.txt",
                        name_key=name_key(f"document-{n:05d}.txt"),
                        size=8,
                        content_type="text/plain",
                        last_number=1,
                        uploaded_by=user,
                        created_at=now,
                        updated_at=now,
                        text_status=GroupFile.TextStatus.DONE,
                    )
                    for n in range(count)
                ],
                batch_size=1000,
            )
            versions = FileVersion.objects.bulk_create(
                [
                    FileVersion(
                        file=row,
                        number=1,
                        stored=shared,
                        name=row.name,
                        size=8,
                        content_type="text/plain",
                        sha256="0" * 64,
                        uploaded_by=user,
                    )
                    for row in rows
                ],
                batch_size=1000,
            )
            for row, version in zip(rows, versions, strict=True):
                row.current = version
            GroupFile.objects.bulk_update(rows, ["current"], batch_size=1000)

    fill(big, listed)
    fill(small, SMALL_FOLDER)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    queries = {}
    for label, folder in (("big", big), ("small", small)):
        path = Folder.objects.get(pk=folder.pk).get_absolute_url()
        client.get(path)  # warm: the site, content types
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        queries[label] = len(captured.captured_queries)
    from django.urls import reverse

    with open(out_path, "w") as out:
        json.dump(
            {
                "session": [
                    settings.SESSION_COOKIE_NAME,
                    client.cookies[settings.SESSION_COOKIE_NAME].value,
                ],
                "csrf": [settings.CSRF_COOKIE_NAME, "b" * 32],
                "folder": big.get_absolute_url(),
                "upload": reverse("files:upload", args=[group.slug, target.pk]),
                "queries": queries,
            },
            out,
        )


# --- the server's memory ----------------------------------------------------------------------


def _status_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise BenchError(f"no {field} for process {pid}")


def reset_peak(pid) -> bool:
    """Reset the kernel's peak RSS (VmHWM) of ``pid`` (Linux 4.0+, our own process); whether it
    could."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """VmRSS of ``pid`` every 5 ms until stopped: the highest seen, in kB."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.running = True

    def run(self):
        while self.running:
            try:
                self.peak = max(self.peak, _status_kb(self.pid, "VmRSS"))
            except (OSError, BenchError):
                return
            time.sleep(0.005)


# --- the upload ---------------------------------------------------------------------------------


def write_upload(path, megabytes):
    """A multipart body with one text file of ``megabytes`` MB, as the library's form sends it."""
    boundary = uuid.uuid4().hex
    line = b"Bench regel met wat tekst voor het uploaden van een groot bestand.\n"
    size = megabytes * 1024 * 1024
    with open(path, "wb") as out:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="groot-{megabytes}mb.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode()
        )
        block = line * (1024 * 1024 // len(line))
        written = 0
        while written + len(block) <= size:
            out.write(block)
            written += len(block)
        out.write(line[: max(0, size - written)].ljust(size - written, b"."))
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return boundary


def upload(port, seeded, body_path, boundary):
    import http.client

    session, csrf = seeded["session"], seeded["csrf"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    with open(body_path, "rb") as body:
        connection.request(
            "POST",
            seeded["upload"],
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(body_path.stat().st_size),
                "Accept": "application/json",
                "Cookie": f"{session[0]}={session[1]}; {csrf[0]}={csrf[1]}",
                "X-CSRFToken": csrf[1],
                "Host": f"127.0.0.1:{port}",
                "Origin": f"http://127.0.0.1:{port}",
            },
        )
        response = connection.getresponse()
        text = response.read()[:2000].decode(errors="replace")
    connection.close()
    return response.status, text, time.perf_counter() - started


def download(port, seeded, path):
    """GET ``path`` and read the body in 64 kB blocks, keeping none: (status, bytes, seconds)."""
    import http.client

    session = seeded["session"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"{session[0]}={session[1]}"})
    response = connection.getresponse()
    received = 0
    while block := response.read(64 * 1024):
        received += len(block)
    connection.close()
    return response.status, received, time.perf_counter() - started


def watch(pid, action):
    """Run ``action()`` while watching the resident memory of ``pid``: (its result, kB before,
    peak kB during, whether the kernel's own peak was used)."""
    before = _status_kb(pid, "VmRSS")
    kernel = reset_peak(pid)
    sampler = Sampler(pid)
    sampler.start()
    try:
        result = action()
    finally:
        sampler.running = False
        sampler.join()
    peak = max(sampler.peak, _status_kb(pid, "VmHWM") if kernel else 0)
    return result, before, peak, kernel


# --- the list -----------------------------------------------------------------------------------


async def list_folder(port, seeded, seconds, connections):
    from .loadgen import REQUEST_ERRORS, Connection, build_request

    session = seeded["session"]
    request = build_request(seeded["folder"], port, {"Cookie": f"{session[0]}={session[1]}"})
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        connection = await Connection.open(port, 30.0)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await connection.request(request)
                except REQUEST_ERRORS:
                    errors += 1
                    connection.close()
                    connection = await Connection.open(port, 30.0)
                    continue
                if response.status == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, errors, time.perf_counter() - started


# --- the part -----------------------------------------------------------------------------------


def run(tmp, say=default_say, environ=None):
    """Run the part: (results for the JSON file, exit status); status None when skipped."""
    environ = dict(os.environ if environ is None else environ)
    config = read_config(environ)
    try:
        postgres_url = local_postgres_url(environ, "BENCH_POSTGRES_URL")
        check_postgres(postgres_url)
    except Skip as skip:
        say(f"bench: filesserve part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None
    pid = os.getpid()
    database = ThrowawayDatabase(postgres_url, f"meent_filesserve_{pid}")
    log_dir = tmp / "filesserve"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = environment(environ, tmp, database.url, TASK_BACKEND="database", LOG_LEVEL="WARNING")
    servers = None
    try:
        say(f"bench: filesserve: throw-away database {database.name} on {database.where}")
        database.create()
        setup_log = log_dir / "setup.log"
        seconds = run_python(["manage.py", "migrate", "--noinput"], env, setup_log, 900)
        say(f"bench: filesserve: migrate done ({seconds:.1f} s)")
        seeded_path = log_dir / "seeded.json"
        seconds = run_python(
            ["-m", "tests.perf.filesservebench", "--seed", str(seeded_path), str(config["listed"])],
            env,
            setup_log,
            900,
        )
        seeded = json.loads(seeded_path.read_text())
        say(f"bench: filesserve: {config['listed']} files seeded ({seconds:.1f} s)")
        body_path = log_dir / "upload.bin"
        boundary = write_upload(body_path, config["upload_mb"])

        servers = Servers("config.asgi:application", env, 1, log_dir, "filesserve")
        servers.wait_until_healthy()
        port, server_pid = servers.ports[0], servers.pids[0]
        # Warm the server: the folder page once (imports, caches).
        asyncio.run(list_folder(port, seeded, 0.5, 1))
        (status, text, upload_seconds), before_kb, peak_kb, peak_reset = watch(
            server_pid, lambda: upload(port, seeded, body_path, boundary)
        )
        growth_mb = (peak_kb - before_kb) / 1024
        say(
            f"bench: filesserve: upload of {config['upload_mb']} MB: HTTP {status} in "
            f"{upload_seconds:.1f} s; server RSS {before_kb / 1024:.0f} MB before, peak "
            f"{peak_kb / 1024:.0f} MB during (+{growth_mb:.1f} MB; "
            f"{'kernel peak and ' if peak_reset else ''}5 ms samples)"
        )
        down = {"status": 0, "bytes": 0, "seconds": 0.0, "growth_mb": 0.0}
        if 200 <= status < 300:
            page = json.loads(text)["url"]
            path = f"{page}download/{quote(json.loads(text)['name'])}"
            (d_status, received, d_seconds), d_before, d_peak, _kernel = watch(
                server_pid, lambda: download(port, seeded, path)
            )
            down = {
                "status": d_status,
                "bytes": received,
                "seconds": round(d_seconds, 2),
                "growth_mb": round((d_peak - d_before) / 1024, 1),
            }
            say(
                f"bench: filesserve: download of it: HTTP {d_status}, {received / 1048576:.0f} MB "
                f"in {d_seconds:.1f} s; server RSS +{down['growth_mb']} MB at its peak"
            )
        latencies, errors, elapsed = asyncio.run(
            list_folder(port, seeded, config["seconds"], config["connections"])
        )
        servers.check_alive()
    finally:
        if servers is not None:
            servers.stop()
        say(f"bench: filesserve: {', '.join(filter(None, ['server stopped', database.drop()]))}")

    rate = len(latencies) / elapsed if elapsed else 0.0
    ms = sorted(value * 1000 for value in latencies)
    p50 = statistics.median(ms) if ms else 0.0
    p95 = ms[int(len(ms) * 0.95) - 1] if len(ms) >= 20 else (ms[-1] if ms else 0.0)
    results = {
        "settings": {
            "database": "PostgreSQL, throw-away database",
            "server": "uvicorn (config/serve.py), 1 process, 127.0.0.1",
            "tasks": "queued in the database, not run (no text is read during the upload)",
            **config,
        },
        "upload": {
            "megabytes": config["upload_mb"],
            "status": status,
            "seconds": round(upload_seconds, 2),
            "rss_before_mb": round(before_kb / 1024, 1),
            "rss_peak_mb": round(peak_kb / 1024, 1),
            "rss_growth_mb": round(growth_mb, 1),
            "kernel_peak": peak_reset,
        },
        "download": down,
        "list": {
            "files": config["listed"],
            "requests_per_second": round(rate, 1),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "errors": errors,
            "queries": seeded["queries"]["big"],
            f"queries_with_{SMALL_FOLDER}_files": seeded["queries"]["small"],
        },
    }
    say("")
    say(
        f"Files: a {config['upload_mb']} MB upload grew the server by {growth_mb:.1f} MB "
        f"(peak {peak_kb / 1024:.0f} MB); a folder of {config['listed']} files: "
        f"{fmt(rate)} req/s, p50 {fmt(p50)} ms, p95 {fmt(p95)} ms, "
        f"{seeded['queries']['big']} queries (a folder of {SMALL_FOLDER}: "
        f"{seeded['queries']['small']})"
    )
    problems = []
    if not 200 <= status < 300:
        problems.append(f"the upload was refused: HTTP {status} {text}")
    if growth_mb > config["upload_mb"] / 2:
        problems.append(
            f"the server grew by {growth_mb:.1f} MB for a {config['upload_mb']} MB file"
        )
    if down["status"] != 200 or down["bytes"] < config["upload_mb"] * 1024 * 1024:
        problems.append(f"the download failed: HTTP {down['status']}, {down['bytes']} bytes")
    elif down["growth_mb"] > config["upload_mb"] / 2:
        problems.append(f"the server grew by {down['growth_mb']} MB sending the file")
    if errors:
        problems.append(f"{errors} list request(s) failed")
    if seeded["queries"]["big"] != seeded["queries"]["small"]:
        problems.append("the big folder's page made more queries than the small one's")
    if problems:
        say("bench: filesserve FAILED: " + "; ".join(problems))
        return results, 1
    return results, 0


def main():
    import tempfile

    with tempfile.TemporaryDirectory(prefix="meent-filesserve-") as tmp:
        results, status = run(Path(tmp))
        print(json.dumps(results, indent=2))
        return status or 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
