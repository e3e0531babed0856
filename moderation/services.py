"""What moderators do: suspend people (and lift it); reports and their decisions (below).

Every action passes the access policy and is written to the audit log (meent/audit.py).
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meent import access, audit
from meent.sanitize import clean_text

# "For good": a date no suspension reaches by waiting.
FOREVER = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
REASON_MAX_LENGTH = 1000


class ModerationError(Exception):
    """A moderation action refused; ``message`` says why to the person who tried, ``status`` is
    the HTTP status a view answers with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def clean_reason(reason: str) -> str:
    return " ".join(clean_text(reason or "").split())[:REASON_MAX_LENGTH]


def is_for_good(until) -> bool:
    return until is not None and until.year >= 9000


def _require_moderator(moderator):
    if not access.is_moderator(moderator):
        raise ModerationError(_("Only moderators may do this."), 403)


def suspend(moderator, person, *, until=None, reason: str, report=None):
    """Suspend ``person`` until ``until`` (an aware datetime in the future) or, without it, for
    good. They cannot sign in, their sessions end at their next request and their open chat
    connections close (chat/signals.py); they are told why by e-mail."""
    _require_moderator(moderator)
    reason = clean_reason(reason)
    if not reason:
        raise ModerationError(_("Say why: the person is told the reason."))
    if person.pk == moderator.pk:
        raise ModerationError(_("You cannot suspend yourself."), 409)
    if person.is_superuser and not moderator.is_superuser:
        raise ModerationError(_("Only an administrator can suspend an administrator."), 403)
    if until is None:
        until = FOREVER
    elif until <= timezone.now():
        raise ModerationError(_("Choose an end of the suspension in the future."))
    with transaction.atomic():
        person.suspended_until = until
        person.save(update_fields=["suspended_until"])
        audit.record(
            person,
            "meent.person.suspend",
            moderator,
            reason=reason,
            until=_("for good") if is_for_good(until) else until.isoformat(),
            report=report.pk if report else None,
        )
        from .tasks import send_suspension_email

        transaction.on_commit(
            partial(send_suspension_email.enqueue, person.pk, reason), robust=True
        )
    return person


def lift_suspension(moderator, person, *, reason: str = ""):
    _require_moderator(moderator)
    if not person.is_suspended:
        raise ModerationError(_("This person is not suspended."), 409)
    with transaction.atomic():
        person.suspended_until = None
        person.save(update_fields=["suspended_until"])
        audit.record(person, "meent.person.unsuspend", moderator, reason=clean_reason(reason))
    return person
