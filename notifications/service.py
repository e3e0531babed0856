"""``notify``: the one way to tell a person something (imported as ``notifications.notify``)."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from meent import access

from .messages import MESSAGES, clean_params
from .models import Email, Kind, Notification, email_preference

logger = logging.getLogger(__name__)

URL_MAX_LENGTH = Notification._meta.get_field("url").max_length


def notify(
    recipient,
    kind: str,
    message: str,
    url: str = "",
    *,
    params=None,
    about=None,
    actor=None,
    community=None,
):
    """Store a notification for ``recipient`` and e-mail it if they want it at once.

    - ``kind``: a ``Kind`` value; the recipient's preference for it governs e-mail only, the
      notification in the app is always stored.
    - ``message``: a key of ``messages.MESSAGES``; ``params``: its parameters, plain values
      (names, titles, a datetime, a stored choice); it is rendered in the reader's language
      whenever it is shown, and templates escape it.
    - ``url``: a link inside Meent, starting with ``/``.
    - ``about``: the object the notification is about. Nothing is delivered when the recipient
      may not see it (``meent.access.can_view``).
    - ``actor``: who caused it; nobody is notified about what they did themselves.
    - ``community``: what decides the community (Site) it belongs to, when ``about`` does not:
      a group, something in a group, a Site or its id. Group content belongs to its group's
      community; everything else (no group) belongs to the person.

    Returns the notification, or None when nothing was delivered: the recipient is inactive or
    suspended, may not see ``about``, or is the actor. Safe inside a transaction: the e-mail is
    queued only after commit.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    if message not in MESSAGES:
        raise ValueError(f"Unknown notification message: {message!r}")
    params = clean_params(params)
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
        message=message,
        params=params,
        url=url,
        site_id=community_of(community if community is not None else about),
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


def _default_site_id():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


def community_of(obj) -> int | None:
    """The id of the community (Wagtail Site) ``obj`` belongs to: a Site or its id; the site of
    the group ``obj`` is in; a group's own site, or the one a personal blog post was written on.
    A group or post without a site belongs to the default community. None for what is in no
    group and names no site (a direct conversation): it belongs to the people in it."""
    from wagtail.models import Site

    if obj is None or isinstance(obj, bool):
        return None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Site):
        return obj.pk
    group_id = getattr(obj, "group_id", None)
    if group_id is not None:
        return _site_of_group(obj, group_id) or _default_site_id()
    if hasattr(obj, "site_id"):
        return obj.site_id or _default_site_id()
    return None


def _site_of_group(obj, group_id):
    # Read without caching the group on ``obj``: the caller may keep using ``obj`` and must then
    # see the group as it is, not as it was when this notification was made.
    field = obj._meta.get_field("group")
    if field.is_cached(obj):
        return field.get_cached_value(obj).site_id
    manager = field.related_model._base_manager
    return manager.filter(pk=group_id).values_list("site_id", flat=True).first()
