"""Saves and deletions of registered models queue their objects for indexing.

Signals run inside the transaction of the change, so the outbox row commits (or rolls back) with
it. An object whose ``related_fields`` changed also queues the objects whose access labels follow
it (a group that becomes members-only: its wiki pages, posts and comments).
"""

from django.db.models.signals import post_delete, post_init, post_save

from .indexing import queue, queue_ids, queue_related

_MISSING = object()


def _snapshot(document, instance):
    return tuple(instance.__dict__.get(name, _MISSING) for name in document.related_fields)


def connect(document, model):
    uid = f"search:{document.type_name}:{model._meta.label_lower}"

    def remember(sender, instance, **kwargs):
        instance._search_related_snapshot = _snapshot(document, instance)

    def saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
        if raw:
            return
        watched = document.watch_fields
        if update_fields is not None and watched is not None and not set(update_fields) & watched:
            return
        queue(instance)
        if document.related_fields and not created:
            before = getattr(instance, "_search_related_snapshot", None)
            after = _snapshot(document, instance)
            if before != after:
                queue_related(instance)
        if document.related_fields:
            instance._search_related_snapshot = _snapshot(document, instance)

    def deleted(sender, instance, **kwargs):
        queue_ids(document.type_name, [instance.pk])

    if document.related_fields:
        post_init.connect(remember, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
