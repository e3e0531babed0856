"""Keeping the index up to date: the outbox.

A change writes an ``OutboxItem`` in the same transaction as the content (``queue``), and after
the commit a django-tasks task drains the outbox into the backend (``drain_outbox``). When the
backend fails, the content is saved all the same; the items stay, with the error, for the next
drain (after the next change, or ``manage.py search_index drain``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from . import registry
from .backends import database_mirror, get_search_backend
from .models import OutboxItem

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


def queue(obj, *, related=False) -> None:
    """Queue an object for (re-)indexing; with ``related``, also everything whose access labels
    follow it (see SearchDocument.related_to)."""
    document = registry.for_model(type(obj))
    if document is None:
        return
    queue_ids(document.type_name, [obj.pk])
    if related:
        queue_related(obj)


def queue_ids(type_name: str, ids) -> None:
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return
    if len(ids) == 1:
        OutboxItem.objects.create(type=type_name, object_id=ids[0])
    else:
        OutboxItem.objects.bulk_create(
            [OutboxItem(type=type_name, object_id=pk) for pk in ids], batch_size=1000
        )
    schedule_drain()


def queue_related(obj) -> None:
    for document in registry.documents():
        related = document.related_to(obj)
        if related is not None:
            queue_ids(document.type_name, list(related.values_list("pk", flat=True)))


def _drain_after_commit():
    drain_outbox_task.enqueue()


def schedule_drain() -> None:
    """Drain after the current transaction commits. Every change schedules one; a drain that
    finds the outbox empty costs one query."""
    transaction.on_commit(_drain_after_commit, robust=True)


def prepare_entries(document, ids):
    """The index entries for ``ids`` and the ids that must leave the index."""
    objects = {obj.pk: obj for obj in document.get_queryset().filter(pk__in=ids)}
    entries, gone = [], []
    for pk in ids:
        obj = objects.get(pk)
        if obj is None or not document.should_index(obj):
            gone.append(pk)
        else:
            entries.append(document.prepare(obj))
    return entries, gone


def drain_outbox(batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Index what the outbox holds, oldest first. Returns the number of items done; stops at the
    first backend error (the items stay, with attempts and the error)."""
    backend = get_search_backend()
    done = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        # Requests drain after their commits, so drains run side by side: each takes the items
        # no other drain holds (PostgreSQL row locks; SQLite has one writer anyway), and two
        # drains never write the same entries at once.
        with transaction.atomic():
            items = list(
                OutboxItem.objects.select_for_update(skip_locked=True).order_by("pk")[:batch_size]
            )
            if not items:
                break
            indexed, failed = _drain_items(backend, items, database_mirror())
        done += indexed
        if failed or len(items) < batch_size:
            break
    return done


def _drain_items(backend, items, mirror=None) -> tuple[int, bool]:
    """Index one locked batch, type by type: (items done, whether a type failed). The items of a
    failed type stay, with the attempt and the error; the types after it wait for the next
    drain. The database ``mirror`` (beside a search server) is written first and keeps what it
    wrote when the search server fails, so the fallback finds new things too."""
    by_type: dict[str, list[OutboxItem]] = {}
    for item in items:
        by_type.setdefault(item.type, []).append(item)
    done = 0
    for type_name, type_items in by_type.items():
        item_ids = [item.pk for item in type_items]
        document = registry.get(type_name)
        if document is None:  # a type that is no longer registered
            OutboxItem.objects.filter(pk__in=item_ids).delete()
            continue
        ids = list(dict.fromkeys(item.object_id for item in type_items))
        try:
            entries, gone = prepare_entries(document, ids)
            for target in filter(None, (mirror, backend)):
                with transaction.atomic():  # a failed write leaves nothing half done
                    target.index(entries)
                    target.remove(type_name, gone)
        except Exception as error:
            logger.warning("Search indexing failed for %s: %s", type_name, error)
            for item in type_items:
                item.attempts += 1
                item.last_error = f"{type(error).__name__}: {error}"[:2000]
            OutboxItem.objects.bulk_update(type_items, ["attempts", "last_error"])
            return done, True
        OutboxItem.objects.filter(pk__in=item_ids).delete()
        done += len(type_items)
    return done, False


@task()
def drain_outbox_task():
    return drain_outbox()
