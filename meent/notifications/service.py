"""``notify``: the one way to tell a person something (imported as ``meent.notifications.notify``)."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils.text import Truncator

from meent import access

from .models import Email, Kind, Notification, email_preference

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = Notification._meta.get_field("text").max_length
URL_MAX_LENGTH = Notification._meta.get_field("url").max_length


def notify(recipient, kind: str, text: str, url: str = "", *, about=None, actor=None):
    """Store a notification for ``recipient`` and e-mail it if they want it at once.

    - ``kind``: a ``Kind`` value; the recipient's preference for it governs e-mail only, the
      notification in the app is always stored.
    - ``text``: plain text, stored as given (cut at 500 characters); templates escape it.
    - ``url``: a link inside Meent, starting with ``/``.
    - ``about``: the object the notification is about. Nothing is delivered when the recipient
      may not see it (``meent.access.can_view``).
    - ``actor``: who caused it; nobody is notified about what they did themselves.

    Returns the notification, or None when nothing was delivered: the recipient is inactive or
    suspended, may not see ``about``, or is the actor. Safe inside a transaction: the e-mail is
    queued only after commit.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    url = str(url or "")
    if len(url) > URL_MAX_LENGTH:
        raise ValueError(f"A notification's url is at most {URL_MAX_LENGTH} characters.")
    if not access.is_active_person(recipient):
        return None
    if actor is not None and getattr(actor, "pk", None) == recipient.pk:
        return None
    if about is not None and not access.can_view(recipient, about):
        return None

    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        text=Truncator(str(text)).chars(TEXT_MAX_LENGTH),
        url=url,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if email_preference(recipient, kind) == Email.IMMEDIATELY:
        from .tasks import send_notification_email

        # robust: once the transaction has committed, a queue that fails must not fail the
        # request; the notification is stored and shown in the app all the same.
        transaction.on_commit(
            partial(send_notification_email.enqueue, notification.pk), robust=True
        )
    return notification
