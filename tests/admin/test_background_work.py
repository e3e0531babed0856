"""What the operators see of the background work in Django's admin (meent/admin.py): each task
with its attempts and, for a failed one, its error; the workers and when each was last heard; the
schedules' last runs. Read-only, and closed to people who are not staff."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meent.models import ScheduleRun, WorkerBeat
from tests.factories import UserFactory
from tests.helpers import activate_totp

pytestmark = pytest.mark.django_db

TASKS = "/django-admin/django_tasks_database/dbtaskresult/"


@pytest.fixture
def operator_client(client, settings):
    # As in production: the tasks are the database backend's.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    operator = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(operator)
    client.force_login(operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def failed_task():
    return DBTaskResult.objects.create(
        status="FAILED",
        task_path="notifications.tasks.send_notification_email",
        args_kwargs={"args": [7], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=["worker-a", "worker-b", "worker-a"],
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="smtplib.SMTPServerDisconnected: the mail server went away",
        finished_at=timezone.now(),
    )


def test_operators_see_each_task_with_its_attempts_and_error(operator_client, failed_task):
    listing = operator_client.get(TASKS)
    assert listing.status_code == 200
    assert b"send_notification_email" in listing.content
    assert b'<td class="field-attempts">3</td>' in listing.content

    detail = operator_client.get(f"{TASKS}{failed_task.pk}/change/")
    assert detail.status_code == 200
    assert b"the mail server went away" in detail.content


def test_operators_see_the_workers_and_the_schedules(operator_client):
    WorkerBeat.objects.create(worker_id="web-1-worker", host="app-1", beat_at=timezone.now())
    ScheduleRun.objects.create(
        name="notification-digests", period=20794, queued_at=timezone.now(), task_id="abc"
    )

    workers = operator_client.get("/django-admin/meent/workerbeat/")
    schedules = operator_client.get("/django-admin/meent/schedulerun/")

    assert b"web-1-worker" in workers.content and b"app-1" in workers.content
    assert b"notification-digests" in schedules.content


@pytest.mark.parametrize(
    "path",
    [f"{TASKS}add/", "/django-admin/meent/workerbeat/add/", "/django-admin/meent/schedulerun/add/"],
)
def test_nothing_is_added_or_changed_here(operator_client, path):
    assert operator_client.get(path).status_code == 403


def test_a_task_cannot_be_deleted_or_edited(operator_client, failed_task):
    response = operator_client.post(f"{TASKS}{failed_task.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert DBTaskResult.objects.filter(pk=failed_task.pk).exists()


def test_people_who_are_not_staff_do_not_see_tasks(client, failed_task):
    client.force_login(UserFactory())
    response = client.get(TASKS)
    assert response.status_code == 302 and "login" in response["Location"]
