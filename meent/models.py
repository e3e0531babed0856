from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class CommunitySettings(BaseSiteSetting):
    """How a community (a Wagtail Site) runs, set by its operators in the admin."""

    class GroupCreation(models.TextChoices):
        EVERYONE = "everyone", _("Everyone who is signed in")
        STAFF = "staff", _("Only staff")

    group_creation = models.CharField(
        _("who may create groups"),
        max_length=10,
        choices=GroupCreation.choices,
        default=GroupCreation.EVERYONE,
    )

    class DirectMessages(models.TextChoices):
        SHARED_GROUP = "shared_group", _("People who share a group")
        ANYONE = "anyone", _("Anyone who is signed in")

    direct_messages = models.CharField(
        _("who may start a direct conversation with whom"),
        max_length=12,
        choices=DirectMessages.choices,
        default=DirectMessages.SHARED_GROUP,
    )

    class Meta:
        verbose_name = _("community settings")


class Submission(models.Model):
    """A form that made something, by the submission key it carried (meent/idempotency.py): the
    same key posted again by the same person answers with ``url``, where the first post sent
    them, and makes nothing. Purged after a week (``purge_submissions``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    key = models.UUIDField(_("submission key"))
    # Where the first post sent the person: what a repeat answers. Not a content type and an id:
    # a form may make several things (invitations, one per address) or join something that was
    # there already (a report, a running data export), and the answer is the redirect anyway.
    url = models.CharField(_("web address"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="meent_submission_once"),
        ]

    def __str__(self):
        return str(self.key)


class WorkerBeat(models.Model):
    """A task worker says it is alive (meent/worker.py): a task still running on a worker that
    has stopped beating was cut off, and is run again."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heard"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker_id


class ScheduleRun(models.Model):
    """The last period a schedule (settings.SCHEDULES) was queued for: one row per schedule, moved
    forward by one worker only, so a period's job is queued once however many workers run."""

    name = models.CharField(_("schedule"), max_length=64, primary_key=True)
    period = models.BigIntegerField(_("period"))
    queued_at = models.DateTimeField(_("queued at"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self):
        return self.name
