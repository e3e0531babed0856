"""Meent as operators run it on one machine: nginx (Debian's) with the shipped site file
(deploy/nginx/meent.conf, rendered by tests/nginx.py) in front of two app processes on PostgreSQL
and Redis.

A person signed in stays signed in whichever process answers; two people whose WebSockets reach
different processes chat; stopping one process (SIGTERM, a deploy) loses no request, nginx goes on
with the other; /media/ serves the public uploads with their safety headers and refuses the
private ones; /metrics answers each process's scraper, never the public side; the task worker
builds a person's "download my data" while the app processes go on answering, and indexes what
people write for search.
"""

import asyncio
import io
import json
import re
import shutil
import signal
import threading
import uuid
import zipfile

import pytest
import requests
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult
from websockets.asyncio.client import connect as ws_connect

from accounts.models import User
from chat import services as chat_services
from privacy.models import DataExport
from tests.conftest import require_service
from tests.e2e.conftest import AsgiServer, _ensure_home_page
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.nginx import Nginx
from wiki import services as wiki_services

from .conftest import process_env
from .proxy import wait_for

pytestmark = pytest.mark.services

TIMEOUT_S = 20
METRICS_TOKEN = f"scrape-{uuid.uuid4().hex}"
# What the worker's environment takes from the app processes' (start_worker adds the rest).
WORKER_ENV = (
    "REDIS_PREFIX",
    "LOG_FORMAT",
    "DJANGO_SETTINGS_MODULE",
    "SLOW_PAGE_DIR",
    "METRICS_TOKEN",
    "TASK_BACKEND",
    "MEDIA_ROOT",
)


@pytest.fixture(scope="module")
def running(django_db_setup, tmp_path_factory):
    """nginx and two app processes, started once for this file's tests (a start costs 10 s on a
    busy machine): they keep no state of a test but what it put in the database, which the test's
    flush empties, and their logs; and the environment of the processes. Stopped at the end of
    the module."""
    require_service("nginx", shutil.which("nginx") is not None, "apt-get install nginx")
    require_service(
        "Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://… (several processes)"
    )
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://… (the worker claims tasks with SKIP LOCKED row locks)",
    )
    tmp_path = tmp_path_factory.mktemp("proxy")
    # JSON log lines, and the site with a page that fails (tests/reliability/serving_urls.py).
    env = process_env(
        settings,
        tmp_path,
        REDIS_PREFIX=f"meent-proxy-{uuid.uuid4().hex[:8]}",
        LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="tests.reliability.serving_settings",
        SLOW_PAGE_DIR=str(tmp_path),
        METRICS_TOKEN=METRICS_TOKEN,
        TASK_BACKEND="database",
    )
    apps = [AsgiServer(env, tmp_path / f"server-{number}.log") for number in range(2)]
    folder = tmp_path / "nginx"
    folder.mkdir()
    nginx = Nginx(folder, [app.port for app in apps], tmp_path)
    nginx.media = tmp_path / "media"
    try:
        for app in apps:
            app.start()
        nginx.start()
        yield nginx, apps, env
    finally:
        nginx.stop()
        for app in apps:
            app.stop()


@pytest.fixture
def topology(running, start_worker, transactional_db, settings):
    """(nginx, apps) for one test: both app processes up (a test may have stopped one), the site's
    home page in place, nginx's access log holding this test's requests only, and a task worker
    of the test's own, stopped before the flush, which runs what the app processes queue (and
    what this test process queues: start_worker makes it queue into the database too)."""
    nginx, apps, env = running
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    _ensure_home_page()
    for app in apps:
        if app.process.poll() is not None:
            app.start()
    (nginx.folder / "access.log").write_text("")  # nginx appends (O_APPEND): it writes on at 0
    apps[0].worker = start_worker(**{key: env[key] for key in WORKER_ENV})
    return nginx, apps


@pytest.fixture
def people(transactional_db, session_cookie):
    anna = UserFactory(first_name="Anna", email="anna@voorbeeld.nl")
    bram = UserFactory(first_name="Bram", email="bram@voorbeeld.nl")
    group = GroupFactory(slug="proxy")
    MembershipFactory(group=group, user=anna, role="owner")
    MembershipFactory(group=group, user=bram)
    return {
        "anna": session_cookie(anna),
        "bram": session_cookie(bram),
        "room": chat_services.room_for_group(group),
    }


def get(nginx, path, cookie=None):
    headers = {"Cookie": cookie} if cookie else {}
    return requests.get(nginx.url + path, headers=headers, timeout=TIMEOUT_S, allow_redirects=False)


def test_a_session_holds_whichever_process_answers(topology, people):
    nginx, apps = topology
    for _ in range(10):
        assert get(nginx, "/notifications/", people["anna"]).status_code == 200
        assert get(nginx, "/notifications/").status_code == 302  # signed out: to sign in
    answered = nginx.upstreams("/notifications/")
    assert set(answered) == {f"127.0.0.1:{app.port}" for app in apps}, answered


def test_two_people_on_different_processes_chat_through_nginx(topology, people):
    nginx, apps = topology
    url = nginx.url.replace("http://", "ws://") + "/ws/chat/"
    room = people["room"].pk

    async def subscribed(cookie):
        socket = await ws_connect(url, additional_headers={"Cookie": cookie}, origin=nginx.url)
        await socket.send(json.dumps({"type": "subscribe", "room": room}))
        while json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))["type"] != "subscribed":
            pass
        return socket

    async def conversation():
        anna = await subscribed(people["anna"])
        bram = await subscribed(people["bram"])
        await anna.send(
            json.dumps({"type": "send", "room": room, "client_id": "a1", "body": "Hallo Bram"})
        )
        while True:
            frame = json.loads(await asyncio.wait_for(bram.recv(), TIMEOUT_S))
            if frame["type"] == "message":
                await anna.close()
                await bram.close()
                return frame["message"]["body"]

    assert asyncio.run(conversation()) == "Hallo Bram"
    sockets = wait_for(
        lambda: len(nginx.upstreams("/ws/chat/")) == 2 and nginx.upstreams("/ws/chat/"),
        message="both WebSockets in nginx's log",
    )
    assert len(set(sockets)) == 2, f"both WebSockets reached one process: {sockets}"


def test_stopping_one_process_loses_no_request(topology, people):
    nginx, apps = topology
    outcomes = []
    stop = threading.Event()

    def browse():
        while not stop.is_set():
            try:
                outcomes.append(get(nginx, "/notifications/", people["anna"]).status_code)
            except requests.RequestException as error:
                outcomes.append(type(error).__name__)

    browser = threading.Thread(target=browse)
    browser.start()
    try:
        wait_for(lambda: len(outcomes) >= 20, message="20 requests before the stop")
        apps[0].process.send_signal(signal.SIGTERM)
        apps[0].process.wait(timeout=TIMEOUT_S * 2)
        served = len(outcomes)
        wait_for(lambda: len(outcomes) >= served + 20, message="20 requests after the stop")
    finally:
        stop.set()
        browser.join(timeout=TIMEOUT_S * 2)
    assert [o for o in outcomes if o != 200] == [], outcomes
    assert nginx.upstreams("/notifications/")[-1] == f"127.0.0.1:{apps[1].port}"


def test_every_log_line_is_json_and_a_request_is_found_by_its_id(topology):
    """nginx names the request; the app's log line about it carries that name."""
    nginx, apps = topology
    response = get(nginx, "/bug/")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32  # nginx's $request_id, passed on by the site file

    def records():
        lines = [line for app in apps for line in app.log.read_text().splitlines() if line]
        return [json.loads(line) for line in lines]  # every line: JSON, or this fails

    about = wait_for(
        lambda: [r for r in records() if r.get("request_id") == request_id],
        message="the failure logged with its request id",
    )
    assert about[0]["level"] == "ERROR" and about[0]["logger"] == "django.request"
    assert "ValueError" in about[0].get("exc_info", ""), about[0]
    assert {"time", "level", "logger", "message", "request_id"} <= set(records()[0])


def test_media_serves_public_uploads_safely_and_refuses_private_ones(topology):
    nginx, _apps = topology
    media = nginx.media
    files = {
        "images/foto.png": b"\x89PNG\r\n\x1a\n",
        "images/tekening.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "private/omslag.png": b"\x89PNG\r\n\x1a\n",
        "wiki/notities.txt": b"geheim",
        "exports/gegevens.zip": b"PK",
        "documents/rapport.pdf": b"%PDF",
    }
    for name, content in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    shown = get(nginx, "/media/images/foto.png")
    assert shown.status_code == 200
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "attachment" not in shown.headers.get("Content-Disposition", "")
    download = get(nginx, "/media/images/tekening.svg")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == "attachment"
    for name in ("private/omslag.png", "wiki/notities.txt", "exports/gegevens.zip"):
        assert get(nginx, f"/media/{name}").status_code == 404, name
    assert get(nginx, "/media/documents/rapport.pdf").status_code == 404


def test_metrics_are_scraped_from_the_processes_never_through_nginx(topology):
    nginx, apps = topology
    bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    for app in apps:
        scraped = requests.get(f"{app.url}/metrics", headers=bearer, timeout=TIMEOUT_S)
        assert scraped.status_code == 200 and b"meent_http_requests_total" in scraped.content
    for path in ("/metrics", "/metrics?format=text", "/%6Detrics", "//metrics"):
        through = requests.get(nginx.url + path, headers=bearer, timeout=TIMEOUT_S)
        assert through.status_code == 404, path
        assert b"meent_" not in through.content, path


def csrf_post(nginx, path, form_path, cookie, data):
    """POST ``data`` to ``path`` with the CSRF token of the form on ``form_path``, as a browser."""
    page = get(nginx, form_path, cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    csrf_cookie = page.cookies[settings.CSRF_COOKIE_NAME]
    return requests.post(
        nginx.url + path,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}"},
        timeout=TIMEOUT_S,
        allow_redirects=False,
    )


def test_the_worker_builds_a_download_while_the_processes_answer(topology, people):
    nginx, apps = topology
    asked = csrf_post(nginx, "/my-data/export/", "/my-data/", people["anna"], {})
    assert asked.status_code == 302, asked.text[:500]
    export = DataExport.objects.get(user__email="anna@voorbeeld.nl")
    answers = []

    def ready():
        # The app processes answer meanwhile; the worker builds the ZIP.
        answers.append(get(nginx, "/notifications/", people["anna"]).status_code)
        export.refresh_from_db()
        return export.status == DataExport.Status.READY

    wait_for(ready, timeout=60, message="the data export to be built")
    assert set(answers) == {200}
    download = get(nginx, f"/my-data/export/{export.pk}/download/", people["anna"])
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.testzip() is None and archive.namelist()
    # The export is marked ready inside the task; the worker records the task's own end just
    # after it returns, so wait for that record rather than read it in the same instant.
    tasks = DBTaskResult.objects.filter(task_path="privacy.tasks.build_data_export")

    def finished():
        return [task.status for task in tasks] in (["SUCCESSFUL"], ["FAILED"])

    try:
        wait_for(finished, timeout=90, message="the worker to record the export task's end")
    except AssertionError as error:
        rows = [(t.status, t.worker_ids, t.exception_class_path, t.traceback) for t in tasks]
        raise AssertionError(
            f"{error}\ntasks: {rows}\nworker log:\n{apps[0].worker.log_text()[-4000:]}"
        ) from None
    [task] = tasks
    assert task.status == "SUCCESSFUL"
    assert task.args_kwargs["args"] == [export.pk]
    # A worker ran it, once; not the request that asked.
    assert len(task.worker_ids) == 1, (task.exception_class_path, task.traceback)


def test_the_worker_indexes_what_people_write(topology, people):
    nginx, _apps = topology
    group = GroupFactory(slug="kwartel", name="Kwartelkoningen")
    anna = User.objects.get(email="anna@voorbeeld.nl")
    MembershipFactory(group=group, user=anna)
    # Saved here, queued for the worker (this process's backend is the database's too).
    wiki_services.create_page(anna, group, title="Roep van de kwartelkoning", body="<p>krr</p>")

    def found():
        page = get(nginx, "/search/?q=kwartelkoning", people["anna"])
        return page.status_code == 200 and "Roep van de kwartelkoning" in page.text

    wait_for(found, timeout=60, message="the wiki page to be found through search")
    drains = DBTaskResult.objects.filter(task_path="search.indexing.drain_outbox_task")
    # The page is found as soon as the drain indexed it; the worker marks the drain done after.
    wait_for(
        lambda: drains.filter(status="SUCCESSFUL").exists(),
        timeout=30,
        message="the worker to record the drain's end",
    )
    assert all(len(task.worker_ids) == 1 for task in drains.filter(status="SUCCESSFUL"))


def test_a_group_takes_a_large_file_through_nginx_and_other_paths_do_not(topology, people):
    """nginx takes up to 110 MB for a group's files only (deploy/nginx/meent.conf); the file is
    stored by an app process and its words are read by the worker."""
    from files import services as file_services
    from files.models import GroupFile

    nginx, _apps = topology
    root = file_services.root_folder(GroupFactory._meta.model.objects.get(slug="proxy"))
    library = "/groups/proxy/files/"
    page = get(nginx, library, people["anna"])
    assert page.status_code == 200
    csrf_cookie = page.cookies[settings.CSRF_COOKIE_NAME]
    headers = {
        "Cookie": f"{people['anna']}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}",
        "X-CSRFToken": csrf_cookie,
        "Accept": "application/json",
        "Referer": nginx.url + library,
    }
    body = b"Grondwaterpeil in de polder.\n" * (20 * 1024 * 1024 // 29)  # 20 MB of text
    stored = requests.post(
        f"{nginx.url}{library}folders/{root.pk}/upload/",
        files={"files": ("peilen.txt", body, "text/plain")},
        headers=headers,
        timeout=60,
    )
    assert stored.status_code == 201, stored.text[:500]
    file = GroupFile.objects.get(name="peilen.txt")
    assert file.size == len(body)
    wait_for(
        lambda: GroupFile.objects.get(pk=file.pk).text_status == "done",
        timeout=60,
        message="the worker to read the file's words",
    )
    elsewhere = requests.post(
        nginx.url + "/my-data/export/",
        files={"file": ("groot.txt", body, "text/plain")},
        headers=headers,
        timeout=60,
    )
    assert elsewhere.status_code == 413
