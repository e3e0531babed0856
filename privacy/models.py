"""A person's own copy of what Meent holds about them ("download my data")."""

import contextlib
import os
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_path(instance, filename):
    # A random folder: the address of one export says nothing about another.
    return f"exports/{instance.token}/{filename}"


def new_token():
    return secrets.token_urlsafe(24)


class DataExportQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def unexpired(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())

    def in_progress(self):
        return self.filter(status__in=(DataExport.Status.QUEUED, DataExport.Status.RUNNING))


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready to download")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    file = models.FileField(upload_to=export_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"export {self.pk} of person {self.user_id} ({self.status})"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(days=settings.MEENT_DATA_EXPORT_DAYS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("privacy:export", args=[self.pk])

    def get_download_url(self):
        return reverse("privacy:download", args=[self.pk])

    @property
    def step_label(self):
        from .export import step_label

        return step_label(self.step)

    @property
    def is_running(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_downloadable(self):
        return self.status == self.Status.READY and bool(self.file) and not self.is_expired

    def delete_file(self):
        """Remove the ZIP and its random folder from storage."""
        if not self.file:
            return
        storage, name = self.file.storage, self.file.name
        storage.delete(name)
        # Not a local folder, or not empty: nothing to tidy.
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(os.path.dirname(storage.path(name)))
