"""Deleting a person's account ("delete my account").

Personal data goes; what they wrote in groups stays for the group and shows as by "former
member" (the author fields are SET_NULL). Private content (posts on their own blog, drafts, their
data exports) goes with them. A group in which they are the only owner gets its longest-standing
admin as owner, or is archived when it has no admin.

Chat messages stay too, also in direct conversations: they are half of someone else's
conversation. Staff accounts are refused (see ``refusal``): an operator removes the rights first.

What happens to each kind of data is the business of the app that owns it: its privacy part
(registry.py) says what deletion will do (``plan``) and does it (``erase``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meent import audit

from . import registry

ACTION = "meent.person.delete_account"


class DeletionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def refusal(user) -> str | None:
    """Why this account cannot be deleted here, or None."""
    if user.is_staff or user.is_superuser:
        # An administrator's account holds rights over everyone's data: an operator takes them
        # away first (in the admin), so nobody locks the site out of its own administration.
        return _(
            "Your account has administrator rights. Ask an operator of Meent to remove them "
            "first; then you can delete your account here."
        )
    return None


def plan(user) -> list[str]:
    """What ``delete_account`` would do, line by line, for the confirmation page."""
    lines = []
    for part in registry.parts():
        if part.plan is not None:
            lines.extend(part.plan(user))
    return lines


def delete_account(user) -> None:
    """Delete ``user`` and their personal data, in one transaction. Raises DeletionRefused."""
    reason = refusal(user)
    if reason:
        raise DeletionRefused(reason)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        erasure = registry.Erasure(now=timezone.now())
        # Logged while the person still exists, under their number, never their name.
        audit.record(user, ACTION, user, title=f"person {user.pk}")
        for part in registry.parts():
            if part.erase is not None:
                part.erase(user, erasure)
        user.delete()
        transaction.on_commit(erasure.delete_files)
