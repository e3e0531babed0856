"""Background work for files: reading a new version's words for search (queued after the upload
commits) and emptying the trash (daily, settings.SCHEDULES)."""

import logging

from django_tasks import task

from . import extract, search
from .models import GroupFile
from .trash import purge_trash

logger = logging.getLogger(__name__)


@task()
def read_text(file_id: int) -> None:
    """The words of the file's current version, for search (files/extract.py)."""
    store_text(file_id)


@task()
def purge_file_trash() -> int:
    """Files and folders in the trash longer than MEENT_FILES_TRASH_DAYS, for good (daily)."""
    return purge_trash()


def store_text(file_id: int) -> None:
    """Read the current version's words for search (files/extract.py, in a child process with
    limits) and store them, unless another version became current meanwhile (its own task reads
    that one)."""
    file = GroupFile.objects.select_related("current").filter(pk=file_id).first()
    if file is None or file.current is None:
        return
    version = file.current
    if not extract.supported(version.content_type):
        status, text = GroupFile.TextStatus.UNSUPPORTED, ""
    else:
        with version.stored.storage.open(version.stored.name, "rb") as handle:
            result = extract.extract_text(handle, version.content_type)
        status, text = result.status, result.text
        if result.status not in ("done", "empty"):
            logger.info("files: text of file %s not read: %s (%s)", file_id, status, result.reason)
    updated = GroupFile.objects.filter(pk=file_id, current_id=version.pk).update(
        text=text, text_status=status
    )
    if updated:
        search.reindex([file_id])
