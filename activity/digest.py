"""The content digest: an e-mail, daily or weekly as each person chooses (weekly by default; or
never), of the new posts, wiki pages and comments in their groups, the groups they follow and by
the people they follow, that they may read, since their last digest.

- **What is in it** is ``services.news_entries(person, digest=True)`` at sending time: the access
  policy decides in the query, so a group the person left, a hidden post, a group deleted
  meanwhile, leave nothing behind. Each link leads to the item's own community host.
- **Once per period.** A person's digest for a period ("weekly:2026-W50") is claimed first, a
  ``DigestSent`` row unique per person and period, and given back when sending fails: a run
  repeated (by hand, or a task run again after its worker died) sends nobody a second copy.
- **Nothing new, nothing sent.**
- **Language**: the recipient's (``User.preferred_language``), dates too.
- **Unsubscribe** in one click (RFC 8058): a signed link of its own salt in the text and in the
  ``List-Unsubscribe`` header; a POST to it stops the digest (digest_views.py).

``send_digests`` serves the command (``manage.py send_content_digests``) and the task (tasks.py,
on the schedules of settings.SCHEDULES). People are streamed, never all loaded; a failure for one
is logged and counted and the others still get theirs. The queries per person are a constant
(their groups and follows, the lines, one per kind of line, the claim), however many items.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext, override

from meent import access, sites

from . import services
from .models import DigestSent, DigestSetting

logger = logging.getLogger(__name__)

Frequency = DigestSetting.Frequency
SUBJECT_PREFIX = "[Meent] "
# A digest lists this many items at most; the rest are on the start page.
MAX_ITEMS = 50
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}

UNSUBSCRIBE_SALT = "activity.digest.unsubscribe"
# An unsubscribe link works this long (every digest brings a new one).
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)


# ---------------------------------------------------------------------------------------------
# Settings


def frequency_of(person) -> str:
    """How often ``person`` gets the digest (weekly when they never chose)."""
    setting = _setting(person)
    return setting.frequency if setting is not None else Frequency.WEEKLY


def _setting(person) -> DigestSetting | None:
    try:
        return person.digest_setting
    except DigestSetting.DoesNotExist:
        return None


def choose(person, frequency: str) -> DigestSetting:
    """``person`` gets the digest ``frequency`` (daily, weekly, never) from now on."""
    if frequency not in Frequency.values:
        raise ValueError(f"Not a digest frequency: {frequency!r}")
    setting, _created = DigestSetting.objects.update_or_create(
        user=person, defaults={"frequency": frequency, "changed_at": timezone.now()}
    )
    person.digest_setting = setting
    return setting


# ---------------------------------------------------------------------------------------------
# The unsubscribe link


def unsubscribe_token(person) -> str:
    return signing.dumps({"person": person.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def person_for_token(token: str):
    """The person an unsubscribe link is for, or None for a link tampered with, expired or of
    an account that is gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("person"), int):
        return None
    return get_user_model().objects.filter(pk=data["person"]).first()


# ---------------------------------------------------------------------------------------------
# Periods


def period_key(frequency: str, now: datetime) -> str:
    """The period a digest sent at ``now`` covers: the UTC day or ISO week."""
    day = now.astimezone(UTC).date()
    if frequency == Frequency.DAILY:
        return f"daily:{day.isoformat()}"
    year, week, _weekday = day.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def since_for(person, frequency: str, now: datetime) -> datetime:
    """What came after this is new: the end of the last digest, at most one period back (a
    person who chose "never" for a year and then "weekly" gets one week, not a year)."""
    since = now - PERIODS[frequency]
    setting = _setting(person)
    if setting is not None and setting.sent_until is not None and setting.sent_until > since:
        since = setting.sent_until
    return since


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass
class Result:
    people: int = 0  # people due
    sent: int = 0  # e-mails sent
    items: int = 0  # items in them
    failed: int = 0  # people it failed for (logged)


@dataclass
class _Run:
    """What one run shares across people: the communities' names and addresses."""

    frequency: str
    now: datetime
    period: str
    communities: dict = field(default_factory=dict)
    _main_root: str = ""

    @property
    def main_root(self) -> str:
        if not self._main_root:
            self._main_root = main_root_url()
        return self._main_root

    def community(self, site_id):
        """(name, root URL) of a community; the main site's for what has none."""
        if site_id not in self.communities:
            from wagtail.models import Site

            site = Site.objects.filter(pk=site_id).first() if site_id else None
            root = (sites.site_root_url(site_id) if site else "") or self.main_root
            name = (site.site_name or site.hostname) if site else ""
            self.communities[site_id] = (name, root.rstrip("/"))
        return self.communities[site_id]


def main_root_url() -> str:
    """Meent's main address: for what belongs to no community (a person's settings)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    root = sites.site_root_url(site.pk) if site else ""
    return (root or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def due_people(frequency: str, now: datetime | None = None):
    """The people to send ``frequency``'s digest to at ``now`` (not yet sent this period):
    active, not suspended, with an e-mail address, who chose it (weekly: also who never
    chose)."""
    now = now or timezone.now()
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(suspended_until__gt=now)
    )
    chose = Q(digest_setting__frequency=frequency)
    if frequency == Frequency.WEEKLY:
        chose |= Q(digest_setting__isnull=True)
    sent = DigestSent.objects.filter(period=period_key(frequency, now)).values("user_id")
    return people.filter(chose).exclude(pk__in=sent).select_related("digest_setting").order_by("pk")


def send_digests(frequency: str = Frequency.WEEKLY, now=None, on_person=None) -> Result:
    """Everyone's ``frequency`` digest for the period of ``now`` (default: this moment).
    ``on_person(total)`` is called after each person (a command's progress bar)."""
    if frequency not in PERIODS:
        raise ValueError(f"Not a digest frequency to send: {frequency!r}")
    now = now or timezone.now()
    run = _Run(frequency=frequency, now=now, period=period_key(frequency, now))
    people = due_people(frequency, now)
    result = Result(people=people.count())
    for person in people.iterator(chunk_size=500):
        try:
            count = send_digest(person, run)
        except Exception:
            # One unreachable mailbox must not hold up everyone else's digest; the claim was
            # given back, so the next run tries again.
            logger.exception("Sending the content digest to person %s failed.", person.pk)
            result.failed += 1
        else:
            if count:
                result.sent += 1
                result.items += count
        if on_person is not None:
            on_person(result.people)
    logger.info(
        "Content digests (%s, %s): %d sent with %d items, %d failed, of %d people.",
        frequency,
        run.period,
        result.sent,
        result.items,
        result.failed,
        result.people,
    )
    return result


def send_digest(person, run: _Run) -> int:
    """E-mail ``person`` their digest for ``run``'s period, once. Returns how many items it
    listed (0: nothing was sent: nothing new, sent already, or not theirs to get)."""
    if not person.email or not access.is_active_person(person):
        return 0
    if frequency_of(person) != run.frequency:
        return 0
    since = since_for(person, run.frequency, run.now)
    entries = (
        services.news_entries(person, since=since, digest=True)
        .filter(occurred_at__lte=run.now)
        .select_related("group")
    )
    found = services.lines(entries[: MAX_ITEMS + 1])
    if not found:
        return 0
    total = len(found)
    if total > MAX_ITEMS:
        total = entries.count()
        found = found[:MAX_ITEMS]
    # Claim the period first: a second run (or one at the same moment) finds the row and sends
    # nothing; given back below when sending fails, so the next run tries again.
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(
                user=person, period=run.period, sent_at=run.now, items=total
            )
    except IntegrityError:
        return 0
    try:
        message = digest_message(person, found, total, run)
        message.send()
    except Exception:
        DigestSent.objects.filter(pk=claim.pk).delete()
        raise
    setting = _setting(person)
    if setting is not None:
        DigestSetting.objects.filter(pk=setting.pk).update(sent_until=run.now)
    else:
        DigestSetting.objects.get_or_create(user=person, defaults={"sent_until": run.now})
    return total


# ---------------------------------------------------------------------------------------------
# The e-mail


def _text(line) -> str:
    """A line's sentence as plain text (the e-mail is text; the link follows it)."""
    return html.unescape(strip_tags(str(line.sentence())))


def sections(found, run: _Run) -> list[dict]:
    """The lines grouped per community, and within it per group (lines by people one follows
    outside a group come last), each group newest first, in the current language."""
    by_site: dict = {}
    for line in found:
        entry = line.entry
        site_name, root = run.community(entry.community_id)
        section = by_site.setdefault(
            entry.community_id, {"name": site_name, "root": root, "groups": {}}
        )
        group = entry.group
        key = group.pk if group is not None else None
        block = section["groups"].setdefault(
            key,
            {
                "name": group.name if group is not None else gettext("People you follow"),
                "link": root + group.get_absolute_url() if group is not None else "",
                "items": [],
            },
        )
        block["items"].append(
            {
                "text": _text(line),
                "link": root + line.url if line.url.startswith("/") else line.url,
                "date": formats.date_format(timezone.localtime(entry.occurred_at), "DATE_FORMAT"),
            }
        )
    result = []
    for section in sorted(by_site.values(), key=lambda s: s["name"].lower()):
        groups = sorted(
            section["groups"].items(), key=lambda pair: (pair[0] is None, pair[1]["name"].lower())
        )
        result.append({**section, "groups": [block for _key, block in groups]})
    return result


def digest_message(person, found, total: int, run: _Run) -> EmailMessage:
    """The e-mail: text in the recipient's language, with the one-click unsubscribe headers."""
    root = run.main_root
    unsubscribe = root + reverse("activity:digest_unsubscribe", args=[unsubscribe_token(person)])
    with override(person.preferred_language):
        listed = sections(found, run)
        context = {
            "recipient": person,
            "daily": run.frequency == Frequency.DAILY,
            "sections": listed,
            "several_communities": len(listed) > 1,
            "more": max(total - len(found), 0),
            "start_link": root + "/",
            "settings_link": root + reverse("activity:following") + "#digest",
            "unsubscribe_link": unsubscribe,
        }
        if run.frequency == Frequency.DAILY:
            subject = ngettext(
                "Today's news for you: %(count)d new item",
                "Today's news for you: %(count)d new items",
                total,
            )
        else:
            subject = ngettext(
                "This week's news for you: %(count)d new item",
                "This week's news for you: %(count)d new items",
                total,
            )
        subject = SUBJECT_PREFIX + subject % {"count": total}
        body = render_to_string("activity/email/digest.txt", context)
    return EmailMessage(
        subject,
        body,
        None,
        [person.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and POST to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: no out-of-office answers to a digest.
            "Auto-Submitted": "auto-generated",
        },
    )
