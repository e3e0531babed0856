"""What can be reported, and what hiding or deleting each kind of thing means.

One ``Target`` per kind: how to find the object, describe it for the queue (title, excerpt, link),
whose it is, which group's admins handle it first, and how a moderator hides or deletes it.
Hiding is reversible by an operator and keeps the text for the record; deleting removes it.

Each app that has something to report registers its targets from its ``ready()`` (``blog/moderation.py``,
``wiki/moderation.py``, ``chat/moderation.py``, ``groups/moderation.py``,
``accounts/moderation.py``): moderation imports none of them.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from meent import access

from .models import Report, describe

EXCERPT_LENGTH = 1500


def plain_excerpt(html: str) -> str:
    return Truncator(" ".join(strip_tags(html or "").split())).chars(EXCERPT_LENGTH)


class Target:
    kind: str
    model_label: str
    # What a moderator may do with this kind (besides dismiss, warn and suspend).
    can_hide = True
    can_delete = True

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def get(self, object_id):
        return self.queryset().filter(pk=object_id).first()

    def queryset(self):
        return self.model._default_manager.all()

    def subject(self, obj) -> dict:
        """What the report is about, as stored: a key of ``models.DESCRIPTIONS`` and its plain
        values, so that every reader sees it described in their own language."""
        raise NotImplementedError

    def title(self, obj) -> str:
        """The subject described in the active language."""
        return describe(self.subject(obj))

    def excerpt(self, obj) -> str:
        return ""

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def author(self, obj):
        raise NotImplementedError

    def group(self, obj):
        return None

    def is_hidden(self, obj) -> bool:
        return getattr(obj, "hidden_at", None) is not None

    def hide(self, obj, moderator, reason):
        obj.hidden_at = timezone.now()
        obj.save(update_fields=["hidden_at"])

    def delete(self, obj, moderator, reason):
        obj.delete()


TARGETS: dict[str, Target] = {}


def register(target_class):
    """Class decorator for a Target subclass (from an app's ``ready()``)."""
    target = target_class()
    if target.kind in TARGETS:
        raise ValueError(f"A moderation target for {target.kind!r} is registered already.")
    TARGETS[target.kind] = target
    return target_class


def target_for(kind: str) -> Target | None:
    return TARGETS.get(kind)


def target_of_report(report: Report) -> Target:
    return TARGETS[report.kind]


def may_report(user, obj) -> bool:
    """Signed in, may see it, and it is not their own."""
    if not access.is_active_person(user) or not access.can_view(user, obj):
        return False
    return not (isinstance(obj, type(user)) and obj.pk == user.pk)
