"""Who is mentioned where: stored once, when the text is saved.

``record(item, people)`` makes the item's stored mentions exactly ``people`` and returns the
people newly mentioned; ``tell_pending(item, send)`` hands every mention not yet told to
``send(person)`` once (the caller's notification, which checks that the person may see the item).
Editing a text without changing who it names therefore tells nobody, and adding "@Bram" tells
Bram alone. A mention removed and added again later is a new mention.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import Mention


def _of(item):
    return Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )


def record(item, people) -> list:
    """Store that ``item`` mentions exactly ``people``: new rows are added, rows of people no
    longer named are removed. Returns the people newly mentioned, in the order given. At most
    three queries however many people (the content type is cached)."""
    wanted = {}
    for person in people:
        wanted.setdefault(person.pk, person)
    content_type = ContentType.objects.get_for_model(item)
    with transaction.atomic():
        rows = Mention.objects.filter(content_type=content_type, object_id=item.pk)
        existing = set(rows.values_list("person_id", flat=True))
        gone = existing - wanted.keys()
        if gone:
            rows.filter(person_id__in=gone).delete()
        new = [pk for pk in wanted if pk not in existing]
        if new:
            now = timezone.now()
            Mention.objects.bulk_create(
                [
                    Mention(
                        content_type=content_type, object_id=item.pk, person_id=pk, created_at=now
                    )
                    for pk in new
                ],
                ignore_conflicts=True,  # a concurrent save of the same item recorded it first
            )
    return [wanted[pk] for pk in new]


def mentioned(item) -> list:
    """The people ``item`` mentions, as stored."""
    return [row.person for row in _of(item).select_related("person").order_by("pk")]


def tell_pending(item, send) -> int:
    """Call ``send(person)`` once for every mention of ``item`` not told yet, and mark it told
    (whether or not ``send`` delivered: a person who may not read the item is not told later
    either). Each row is claimed before it is sent, so two processes never tell one person
    twice. Returns how many ``send`` calls answered truthy."""
    told = 0
    pending = list(_of(item).filter(notified_at__isnull=True).select_related("person"))
    for row in pending:
        claimed = Mention.objects.filter(pk=row.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if claimed and send(row.person):
            told += 1
    return told


def mark_told(item, people) -> None:
    """Mark the mentions of ``people`` in ``item`` as told (they heard of it another way)."""
    pks = [person.pk for person in people]
    if pks:
        _of(item).filter(person_id__in=pks, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )


def forget(item) -> None:
    """Remove every mention of ``item`` (it is deleted)."""
    _of(item).delete()


def _deleted(sender, instance, **kwargs):
    if instance.pk is not None:
        forget(instance)


def register(*models) -> None:
    """Mentions of these models' objects go when the object is deleted (call from ``ready()``)."""
    from django.db.models.signals import post_delete

    for model in models:
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"mentions-forget-{model._meta.label_lower}"
        )
