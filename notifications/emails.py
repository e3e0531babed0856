"""The e-mails: one notification at once, or a day's notifications in one summary."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext, override

from meent import access, links, sites

from .models import Email, Notification, email_preference

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Meent] "
# A summary lists this many notifications at most; the rest are a click away.
DIGEST_MAX_ITEMS = 50


def root_url(site_id=None) -> str:
    """Scheme, host and port of a community (its Site), or of Meent's main address
    (WAGTAILADMIN_BASE_URL) for what belongs to a person or a community that is gone."""
    root = sites.site_root_url(site_id) if site_id else ""
    return (root or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolute_url(url: str, site_id=None) -> str:
    """The link to put in an e-mail, on the host of the community it belongs to; only links
    inside Meent are followed."""
    if not is_local_url(url):
        url = reverse("notifications:list")
        site_id = None
    return root_url(site_id) + url


def is_local_url(url: str) -> bool:
    """A path on this site (meent/links.py: not "//", "/\\" or a tab that leaves the site)."""
    return links.is_local_path(url)


def _subject(text: str) -> str:
    # A header is one line: collapse the text's white space and keep it short.
    return SUBJECT_PREFIX + Truncator(" ".join(str(text).split())).chars(100)


def _links():
    return {
        "list_link": absolute_url(reverse("notifications:list")),
        "preferences_link": absolute_url(reverse("notifications:preferences")),
    }


def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification now, once. Returns whether an e-mail went out."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.email or not access.is_active_person(recipient):
        return False
    if email_preference(recipient, notification.kind) != Email.IMMEDIATELY:
        return False
    # Claim it first, so that a task run twice sends one e-mail; give it back if sending fails.
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        # In the recipient's language, whoever caused it and whatever language they used.
        with override(recipient.preferred_language):
            text = notification.display_text
            context = {
                "notification": notification,
                "text": text,
                "recipient": recipient,
                "link": absolute_url(notification.url, notification.site_id),
                **_links(),
            }
            body = render_to_string("notifications/email/notification.txt", context)
            send_mail(_subject(text), body, None, [recipient.email])
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True


def send_digests(on_person=None) -> tuple[int, int, int]:
    """Everyone's daily summary: (e-mails sent, notifications in them, people it failed for).
    ``on_person(count)`` is called after each person (a command's progress bar)."""
    due = Notification.objects.due_for_digest().values("recipient_id")
    people = get_user_model().objects.filter(pk__in=due).order_by("pk")
    total = people.count()
    sent = items = failed = 0
    for person in people.iterator():
        try:
            count = send_digest(person)
        except Exception:
            # One unreachable mailbox must not hold up everyone else's summary; the
            # notifications stay unmarked, so the next run tries again.
            logger.exception("Sending the daily summary to person %s failed.", person.pk)
            failed += 1
        else:
            if count:
                sent += 1
                items += count
        if on_person is not None:
            on_person(total)
    return sent, items, failed


def send_digest(recipient) -> int:
    """E-mail a person their notifications that wait for the daily summary, and mark them.

    Returns how many notifications the e-mail held (0: nothing was sent).
    """
    if not recipient.email or not access.is_active_person(recipient):
        return 0
    with transaction.atomic():
        # Locked (where the database can) so that two runs at once cannot both send them.
        items = list(
            Notification.objects.due_for_digest()
            .filter(recipient=recipient)
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        if not items:
            return 0
        with override(recipient.preferred_language):
            context = {
                "recipient": recipient,
                "items": [
                    (item.display_text, absolute_url(item.url, item.site_id))
                    for item in items[:DIGEST_MAX_ITEMS]
                ],
                "more": max(len(items) - DIGEST_MAX_ITEMS, 0),
                **_links(),
            }
            subject = SUBJECT_PREFIX + ngettext(
                "%(count)d new notification", "%(count)d new notifications", len(items)
            ) % {"count": len(items)}
            body = render_to_string("notifications/email/digest.txt", context)
            send_mail(subject, body, None, [recipient.email])
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            emailed_at=timezone.now()
        )
    return len(items)
