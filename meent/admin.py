"""What the operators see of the background work in Django's admin (/django-admin/, staff): the
tasks (django-tasks-db's read-only list, with the attempts each had), the workers and when each
was last heard, and the schedules' last runs. Nothing here can be edited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import ScheduleRun, WorkerBeat


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskAdmin(DBTaskResultAdmin):
    list_display = (
        *DBTaskResultAdmin.list_display[:3],
        "attempts",
        *DBTaskResultAdmin.list_display[3:],
    )

    @admin.display(description=_("attempts"))
    def attempts(self, task):
        return len(task.worker_ids)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "beat_at")
    ordering = ["-beat_at"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "queued_at", "task_id")
    ordering = ["name"]
