"""The audit log: every moderation and administrative action, with who, what, when and why.

Kept in Wagtail's own log (``ModelLogEntry``), beside what the admin already records when someone
creates, edits or deletes through it, so Reports › Site history lists, filters (action, person,
date, type) and exports (CSV, XLSX) one log, and nobody can edit it. How long it is kept:
``MEENT_AUDIT_RETENTION_DAYS`` (``manage.py purge_audit_log``).

Our own actions are named ``meent.<area>.<verb>``; each app registers its actions from its
``wagtail_hooks.py`` with ``register_actions`` so the log shows a translated message with the
reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import log_actions
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry, PageLogEntry

LOGS = (ModelLogEntry, PageLogEntry)


def record(instance, action: str, user, *, reason: str = "", title: str | None = None, **details):
    """Write one entry about ``instance`` (a model instance that still exists at this moment).

    ``title`` names the object in the log when its own ``str()`` would say too much or too little
    (a deleted person is logged under their number, not their name).
    """
    data = {key: value for key, value in details.items() if value not in (None, "")}
    if reason:
        data["reason"] = reason
    kwargs = {"user": user, "data": data}
    if title is not None:
        kwargs["title"] = title
    return log_actions.log(instance, action, **kwargs)


class ReasonFormatter(LogFormatter):
    """The action's past tense, then the reason given and the details worth reading."""

    detail_labels: dict = {}

    def format_message(self, log_entry):
        parts = [str(self.message)]
        data = log_entry.data or {}
        for key, label in self.detail_labels.items():
            if data.get(key) not in (None, ""):
                parts.append(f"{label}: {data[key]}")
        if data.get("reason"):
            parts.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        return " · ".join(parts)


def register_actions(actions, entries):
    """From a ``register_log_actions`` hook: ``entries`` is ``[(action, label, message), ...]``
    or ``[(action, label, message, {data key: label})]``."""
    for entry in entries:
        action, label, message, *rest = entry
        formatter = type(
            "Formatter",
            (ReasonFormatter,),
            {"label": label, "message": message, "detail_labels": rest[0] if rest else {}},
        )
        actions.register_action(action)(formatter)


def older_than(days: int) -> dict:
    """The entries older than ``days`` days, per log model (what a purge would delete)."""
    cutoff = timezone.now() - timedelta(days=days)
    return {model: model.objects.filter(timestamp__lt=cutoff) for model in LOGS}


def purge(days: int, batch_size: int = 1000, on_batch=None) -> int:
    """Delete the entries older than ``days`` days, oldest first, one batch per statement (short
    transactions, no huge IN list); ``on_batch(count, model)`` after each. Returns how many."""
    deleted = 0
    for model, entries in older_than(days).items():
        while True:
            ids = list(entries.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            count, _details = model.objects.filter(pk__in=ids).delete()
            deleted += count
            if on_batch is not None:
                on_batch(len(ids), model)
    return deleted
