"""Emptying the trash: files and folders deleted for good, with their stored versions.

Apart from the services (files/services.py) so that the scheduled task reaches it without the
services, which queue the tasks."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import search
from .models import Folder, GroupFile

BATCH = 200


def delete_for_good(file: GroupFile) -> None:
    """The file with every version; the stored files leave storage after commit
    (meent/files.py), and the file leaves the search index."""
    file_id = file.pk
    GroupFile.objects.filter(pk=file_id).update(current=None)
    file.delete()
    search.reindex([file_id])


def purge_trash(now=None) -> int:
    """Delete for good what has been in the trash longer than MEENT_FILES_TRASH_DAYS. Returns
    how many files went. Files first, in batches (each its own transaction, so a long run
    holds no lock for long), then the folders that are empty by then, deepest first."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.MEENT_FILES_TRASH_DAYS)
    count = 0
    while True:
        with transaction.atomic():
            batch = list(GroupFile.objects.filter(deleted_at__lt=before).order_by("pk")[:BATCH])
            for file in batch:
                delete_for_good(file)
        count += len(batch)
        if len(batch) < BATCH:
            break
    with transaction.atomic():
        for folder in Folder.objects.filter(deleted_at__lt=before).order_by("-depth"):
            inside = Folder.objects.filter(group_id=folder.group_id, path__startswith=folder.path)
            # A file still in it (moved there by hand, restored meanwhile) keeps the folder.
            if not GroupFile.objects.filter(folder__in=inside).exists():
                inside.delete()
    return count
