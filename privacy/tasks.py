"""Building a person's data export in the background (django-tasks)."""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from . import export as exporting
from .models import DataExport

logger = logging.getLogger(__name__)


def _progress(export_id, progress, step):
    # The step's key: the page shows its label in the reader's language.
    DataExport.objects.filter(pk=export_id).update(progress=progress, step=step)


@task()
def build_data_export(export_id):
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return
    if export.status == DataExport.Status.READY:
        # Built, but telling the person failed (the mail server was away) and the worker runs the
        # task again: tell them now, once.
        tell(export)
        return
    # RUNNING: a worker was stopped while building it, and this is the task run again
    # (meent/worker.py); it starts over, without what the cut-off run had saved.
    if export.status not in (DataExport.Status.QUEUED, DataExport.Status.RUNNING):
        return
    export.delete_file()
    DataExport.objects.filter(pk=export_id).update(
        status=DataExport.Status.RUNNING, progress=0, step=""
    )
    # The export's texts (rendered notifications, labels) are in the person's own language.
    with override(export.user.preferred_language):
        try:
            run(export)
        except Exception as error:
            logger.exception("Data export %s failed", export_id)
            fail(export, error)
            return
    tell(export)


def run(export):
    total = len(exporting.sections())
    share = exporting.SECTIONS_SHARE

    def on_section(index, section):
        _progress(export.pk, share * index // total, section.key)

    def on_file(index, count):
        _progress(
            export.pk,
            share + (95 - share) * index // max(count, 1),
            "files",
        )

    data, files = exporting.collect(export.user, on_section)
    on_file(0, len(files.entries))
    with tempfile.TemporaryFile(suffix=".zip") as handle:
        exporting.write_zip(handle, data, files, on_file)
        exporting.save_zip(export, handle)
        export.size = export.file.size
    now = timezone.now()
    export.status = DataExport.Status.READY
    export.progress = 100
    export.step = ""
    export.finished_at = now
    export.expires_at = now + timedelta(days=settings.MEENT_DATA_EXPORT_DAYS)
    export.save(
        update_fields=["file", "size", "status", "progress", "step", "finished_at", "expires_at"]
    )


def fail(export, error):
    # Never offer half a ZIP: whatever was saved goes.
    export.refresh_from_db()
    export.delete_file()
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.FAILED,
        file="",
        finished_at=timezone.now(),
        step="",
        # For the operators (the admin); the person is shown what to do instead.
        error=f"{type(error).__name__}: {error}"[:1000],
    )


def tell(export):
    """A notification in the app and an e-mail: the person asked for this, so it is always sent.

    Safe to run again (the task is, after a failure): the notification is made once, and the
    e-mail is claimed by marking the notification as e-mailed (so the preferences do not send a
    second one); a send that fails gives the claim back and raises, for the worker's retry."""
    from notifications import Kind, notify
    from notifications.emails import root_url
    from notifications.messages import render
    from notifications.models import Notification

    user = export.user
    # One's own data belongs to the person, not to a community: Meent's main address.
    link = root_url() + export.get_absolute_url()
    params = {"date": export.expires_at.isoformat()}
    told = Notification.objects.filter(
        recipient=user, message="privacy.export_ready", url=export.get_absolute_url()
    )
    with transaction.atomic():
        notification = told.first() or notify(
            user, Kind.PRIVACY, "privacy.export_ready", export.get_absolute_url(), params=params
        )
        claimed = (
            notification is not None
            and told.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            == 1
        )
    if not claimed or not user.email:
        return
    # In the person's language, and the date in its format, whoever's request started it.
    with override(user.preferred_language):
        text = render("privacy.export_ready", params)
        context = {"person": user, "export": export, "link": link, "text": text}
        subject = render_to_string("privacy/email/export_ready_subject.txt", context).strip()
        body = render_to_string("privacy/email/export_ready_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        told.filter(pk=notification.pk).update(emailed_at=None)
        raise


def purge_expired_exports(exports=None, on_export=None) -> int:
    """Delete the downloads of ``exports`` (all by default) that have expired, their files
    first; returns how many."""
    expired = list((DataExport.objects.all() if exports is None else exports).expired())
    for export in expired:
        export.delete_file()
        export.delete()
        if on_export is not None:
            on_export(len(expired))
    return len(expired)


@task()
def purge_data_exports() -> int:
    """Expired downloads go (a schedule: settings.SCHEDULES)."""
    return purge_expired_exports()
