"""Prometheus metrics (issue 21): /metrics with its bearer token (config/metrics.py), the HTTP and
WebSocket numbers of meent/metrics.py, the task queue read from django-tasks-db's table, and
prometheus_client's multiprocess mode. nginx refusing /metrics: tests/reliability/test_proxy.py."""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from config.asgi import application
from meent import metrics
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-" + uuid.uuid4().hex
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client):
    """The families of a scrape with the token: {name: {labels as a sorted tuple: value}}."""
    response = client.get("/metrics", **AUTH)
    assert response.status_code == 200, response.content
    families = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            families.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return families


# ---------------------------------------------------------------------------------------------
# The token


@pytest.mark.django_db
def test_without_a_token_configured_metrics_are_off(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.django_db
def test_a_missing_or_wrong_token_is_refused_with_a_bearer_challenge(client, token):
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": f"Bearer {token}x"},
        {"HTTP_AUTHORIZATION": f"Bearer {token[:-1]}"},
        {"HTTP_AUTHORIZATION": f"Basic {token}"},  # the right secret, the wrong scheme
        {"HTTP_AUTHORIZATION": token},
        {"HTTP_AUTHORIZATION": "Bearer tøken"},  # not ASCII: refused, not a 500
    ):
        response = client.get("/metrics", **headers)
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"].startswith("Bearer"), headers
        assert b"meent_" not in response.content
        assert response.content  # the reason, in words


@pytest.mark.django_db
def test_a_session_is_no_substitute_for_the_token(client, token):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/metrics").status_code == 401


@pytest.mark.django_db
def test_the_right_token_gets_the_text_format(client, token):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {token}")  # any case of Bearer
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    names = {f.name for f in text_string_to_metric_families(response.content.decode())}
    assert {"meent_http_requests", "meent_http_request_duration_seconds"} <= names
    assert {"meent_websocket_connections", "meent_websocket_connections_accepted"} <= names
    # OpenMetrics for a scraper that asks for it.
    openmetrics = client.get("/metrics", HTTP_ACCEPT="application/openmetrics-text", **AUTH)
    assert openmetrics["Content-Type"].startswith("application/openmetrics-text")
    assert openmetrics.content.rstrip().endswith(b"# EOF")


@pytest.mark.django_db
def test_a_scrape_asks_the_database_nothing_without_the_database_task_backend(client, token):
    client.get("/metrics", **AUTH)  # warm
    with CaptureQueriesContext(connection) as queries:
        families = scrape(client)
    assert len(queries.captured_queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert "meent_task_queue_length" not in families


# ---------------------------------------------------------------------------------------------
# HTTP


@pytest.mark.django_db
def test_a_request_is_counted_with_its_status_and_timed_by_its_view(client):
    ok = sample("meent_http_requests_total", method="GET", status="200")
    missing = sample("meent_http_requests_total", method="GET", status="404")
    timed = sample("meent_http_request_duration_seconds_count", method="GET", view="livez")
    summed = sample("meent_http_request_duration_seconds_sum", method="GET", view="livez")
    assert client.get("/livez").status_code == 200
    assert client.get("/no.such.address").status_code == 404
    assert sample("meent_http_requests_total", method="GET", status="200") == ok + 1
    assert sample("meent_http_requests_total", method="GET", status="404") == missing + 1
    assert (
        sample("meent_http_request_duration_seconds_count", method="GET", view="livez") == timed + 1
    )
    assert sample("meent_http_request_duration_seconds_sum", method="GET", view="livez") > summed
    # The observation fell in a bucket: the +Inf bucket holds every one.
    assert sample(
        "meent_http_request_duration_seconds_bucket", method="GET", view="livez", le="+Inf"
    ) == sample("meent_http_request_duration_seconds_count", method="GET", view="livez")


@pytest.mark.django_db
def test_a_post_refused_by_its_view_is_counted_with_the_refusal(client):
    before = sample("meent_http_requests_total", method="POST", status="405")
    assert client.post("/livez").status_code == 405
    assert sample("meent_http_requests_total", method="POST", status="405") == before + 1


@pytest.mark.django_db
def test_unknown_addresses_and_methods_create_no_new_labels(client):
    """Whatever a client sends, the labels come from a fixed set: the methods, the URL patterns'
    names and "unmatched", the status codes."""
    marker = uuid.uuid4().hex
    for number in range(20):
        client.get(f"/{marker}-{number}.html")
        client.generic(f"M{marker[:8]}{number}", "/livez")
    labels = [
        s.labels
        for family in REGISTRY.collect()
        if family.name.startswith("meent_http")
        for s in family.samples
    ]
    assert not [label for label in labels if marker in json.dumps(label)]
    methods = {label["method"] for label in labels}
    assert methods <= metrics.METHODS | {"other"}
    assert "other" in methods
    assert sample("meent_http_request_duration_seconds_count", method="GET", view="unmatched") >= 20
    views = {label["view"] for label in labels if "view" in label}
    assert all(" " not in view and not view.startswith("/") for view in views), views


# ---------------------------------------------------------------------------------------------
# WebSockets


async def open_socket(user):
    headers = [(b"host", b"localhost"), (b"origin", b"http://localhost")]
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    communicator.scope["user"] = user
    connected, _code = await communicator.connect(timeout=5)
    return communicator, connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_websocket_gauge_follows_connections_and_refusals_do_not_count():
    from asgiref.sync import sync_to_async

    person = await sync_to_async(UserFactory)(email="ws-metrics@voorbeeld.nl")
    open_before = sample("meent_websocket_connections")
    accepted_before = sample("meent_websocket_connections_accepted_total")

    first, connected = await open_socket(person)
    assert connected
    second, connected = await open_socket(person)
    assert connected
    assert sample("meent_websocket_connections") == open_before + 2
    assert sample("meent_websocket_connections_accepted_total") == accepted_before + 2

    await first.disconnect()
    assert sample("meent_websocket_connections") == open_before + 1
    await second.disconnect()
    assert sample("meent_websocket_connections") == open_before

    # Signed out: refused before the accept, never open.
    _refused, connected = await open_socket(AnonymousUser())
    assert not connected
    assert sample("meent_websocket_connections") == open_before
    assert sample("meent_websocket_connections_accepted_total") == accepted_before + 2


# ---------------------------------------------------------------------------------------------
# The task queue (django-tasks-db)


def task_row(status=TaskResultStatus.READY, queue="default", queued_ago=0, run_after_ago=None):
    now = timezone.now()
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="meent.tasks.purge_submissions",
        queue_name=queue,
        backend_name="default",
        run_after=get_date_max() if run_after_ago is None else now - run_after_ago,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - queued_ago)
    return row


@pytest.mark.django_db
def test_the_queue_length_and_age_come_from_the_database_in_one_query(client, token, settings):
    settings.TASKS = DATABASE_TASKS
    minute = timedelta(minutes=1)
    task_row(queued_ago=2 * minute)  # ready for 2 minutes
    task_row(queued_ago=10 * minute, run_after_ago=3 * minute)  # ready for 3 minutes
    task_row(queued_ago=30 * minute, run_after_ago=-minute)  # queued to run in a minute: waits
    task_row(queued_ago=minute, run_after_ago=20 * minute)  # queued after its time: 1 minute
    task_row(TaskResultStatus.RUNNING, queued_ago=60 * minute)
    task_row(TaskResultStatus.FAILED, queued_ago=60 * minute)
    task_row(TaskResultStatus.FAILED, queued_ago=60 * minute)
    task_row(TaskResultStatus.SUCCESSFUL, queued_ago=60 * minute)

    client.get("/metrics", **AUTH)  # warm
    with CaptureQueriesContext(connection) as queries:
        families = scrape(client)
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]

    def value(name, queue):
        return families[name][(("queue", queue),)]

    assert value("meent_task_queue_length", "default") == 3
    oldest = value("meent_task_queue_oldest_seconds", "default")
    assert 3 * 60 <= oldest < 10 * 60, oldest  # the one scheduled 3 minutes ago, not queued 10
    assert value("meent_task_queue_running", "default") == 1
    assert value("meent_task_queue_failed", "default") == 2
    # An empty queue is there, with zeros (a series that vanishes alerts nobody).
    for name in ("length", "oldest_seconds", "running", "failed"):
        assert value(f"meent_task_queue_{name}", "mail") == 0


@pytest.mark.django_db
def test_an_empty_queue_is_zero_long_and_zero_old(client, token, settings):
    settings.TASKS = DATABASE_TASKS
    task_row(TaskResultStatus.SUCCESSFUL, queued_ago=timedelta(hours=1))
    families = scrape(client)
    assert families["meent_task_queue_length"][(("queue", "default"),)] == 0
    assert families["meent_task_queue_oldest_seconds"][(("queue", "default"),)] == 0


@pytest.mark.django_db
def test_with_the_database_down_the_scrape_still_answers_without_the_queue(
    client, token, settings, monkeypatch, caplog
):
    from django.db import OperationalError

    from config.metrics import TaskQueueCollector
    from meent import outages

    settings.TASKS = DATABASE_TASKS
    assert scrape(client)["meent_task_queue_readable"][()] == 1

    def unreachable(*args):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(TaskQueueCollector, "_counts", staticmethod(unreachable))
    try:
        families = scrape(client)
    finally:
        outages._down.clear()
    # Reported as every outage is (meent/outages.py), not as a traceback.
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    assert families["meent_task_queue_readable"][()] == 0
    assert "meent_task_queue_length" not in families
    assert "meent_http_requests_total" in families


# ---------------------------------------------------------------------------------------------
# Several processes on one machine: prometheus_client's multiprocess mode

PROCESS = """
import sys
from meent import metrics
metrics.HTTP_REQUESTS.labels("GET", "200").inc()
metrics.WEBSOCKETS_OPEN.inc()
print("counted", flush=True)
sys.stdin.readline()  # stays up (with its WebSocket open) until told to stop
"""
SCRAPE = """
from prometheus_client.parser import text_string_to_metric_families
from meent import metrics
body, _type = metrics.exposition()
values = {s.name: s.value for f in text_string_to_metric_families(body.decode()) for s in f.samples
          if s.name in ("meent_http_requests_total", "meent_websocket_connections")}
print(values.get("meent_http_requests_total", 0), values.get("meent_websocket_connections", 0))
"""


def test_processes_sharing_a_multiprocess_directory_are_scraped_together(tmp_path):
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }

    def start():
        process = subprocess.Popen(
            [sys.executable, "-c", PROCESS],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "counted"
        return process

    def scraped():
        out = subprocess.run(
            [sys.executable, "-c", SCRAPE], env=env, capture_output=True, text=True, check=True
        ).stdout
        return tuple(float(number) for number in out.split())

    first, second = start(), start()
    try:
        assert scraped() == (2, 2)  # any process answers for both
        second.communicate("stop\n", timeout=30)
        # A stopped process's requests still count; its WebSocket is no longer open.
        assert scraped() == (2, 1)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.communicate("stop\n", timeout=30)
    assert scraped() == (2, 0)
