"""A group's part switched on or off: ``part_switched`` tells the apps of that part.

The access policy already reads the switches (groups/policies.py and each content app's
policies), so pages, lists and feeds follow at once. What keeps a copy of the labels follows
through this signal: search re-indexes the part's content (queued in the same transaction,
indexed after commit) and live chat drops the room's open subscriptions. Every save of a group
counts, whichever path saves it (the settings form, the admin, a script).
"""

from django.db.models.signals import post_init, post_save
from django.dispatch import Signal

# The part a switch governs, by field.
PARTS = {
    "wiki_enabled": "wiki",
    "blog_enabled": "blog",
    "chat_enabled": "chat",
    "members_tab_enabled": "members",
    "events_enabled": "events",
    "files_enabled": "files",
    "discussions_enabled": "discussions",
    "questions_enabled": "questions",
    "polls_enabled": "polls",
}

# Sent inside the transaction that saved the group: sender=Group, group, part (a PARTS value),
# enabled (the new state).
part_switched = Signal()

_MISSING = object()


def _snapshot(group):
    # A field left out of a query (.only(), .defer()) is missing, not switched.
    return {field: group.__dict__.get(field, _MISSING) for field in PARTS}


def _remember(sender, instance, **kwargs):
    instance._meent_switches = _snapshot(instance)


def _saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_meent_switches", {})
    after = _snapshot(instance)
    instance._meent_switches = after
    if created or raw:
        return  # a new group has nothing in its parts yet
    for field, part in PARTS.items():
        now = after[field]
        if now is _MISSING or before.get(field, _MISSING) == now:
            continue
        part_switched.send(sender=sender, group=instance, part=part, enabled=bool(now))


def connect():
    from .models import Group

    post_init.connect(_remember, sender=Group, dispatch_uid="groups_switches_remember")
    post_save.connect(_saved, sender=Group, dispatch_uid="groups_switches_saved")
