"""The platform's periodic jobs, run by the worker on the schedules of settings.SCHEDULES."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import audit, idempotency


@task()
def purge_submissions() -> int:
    """Forget the submission keys of forms older than a week."""
    return idempotency.purge()


@task()
def purge_audit_log() -> int:
    """The audit log keeps MEENT_AUDIT_RETENTION_DAYS days."""
    return audit.purge(settings.MEENT_AUDIT_RETENTION_DAYS)


@task()
def purge_task_results() -> int:
    """Finished tasks are kept MEENT_TASK_RESULT_DAYS days for the staff to look at, then go;
    so do the workers not heard from for a day (once a day here, not on every beat)."""
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerBeat

    now = timezone.now()
    cutoff = now - timedelta(days=settings.MEENT_TASK_RESULT_DAYS)
    deleted, _details = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    WorkerBeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return deleted
