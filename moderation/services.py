"""What moderators do: suspend people (and lift it); reports and their decisions (below).

Every action passes the access policy and is written to the audit log (meent/audit.py).
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import SUSPENDED_FOREVER as FOREVER
from accounts.models import is_for_good
from meent import access, audit
from meent.refusals import Refused
from meent.sanitize import clean_text

# "For good": a date no suspension reaches by waiting.
REASON_MAX_LENGTH = 1000


class ModerationError(Refused):
    """A moderation action refused (meent/refusals.py)."""


def clean_reason(reason: str) -> str:
    return " ".join(clean_text(reason or "").split())[:REASON_MAX_LENGTH]


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


# ---------------------------------------------------------------------------------------------
# Reports


def _notify(recipient, message, params, url="", community=None):
    from notifications import notify

    # A message key and plain values: each person reads it in their own language.
    if recipient is not None:
        notify(recipient, "moderation", message, url, params=params, community=community)


def group_admins_first(report) -> bool:
    """Whether a report still waits for its group's owners and admins (see the queue)."""
    if report.group_id is None or report.escalated_at is not None:
        return False
    waited = timezone.now() - report.created_at
    return waited < datetime.timedelta(hours=settings.MEENT_REPORT_GROUP_HOURS)


def may_handle(user, report) -> bool:
    """Moderators handle every report; a group's owners and admins those about its content."""
    if access.is_moderator(user):
        return True
    if report.group_id is None or not access.is_active_person(user):
        return False
    from groups.policies import can_manage

    return can_manage(user, report.group) and report.author_id != user.pk


def report_item(reporter, kind: str, object_id, reason: str, text: str = ""):
    """``reporter`` reports one item. Returns ``(report, new)``: ``new`` is False when this person
    had already reported it (their first report stands). Someone else's open report of the same
    item is joined, not duplicated. Things the reporter cannot see cannot be reported (404)."""
    from meent import ratelimit

    from .models import Flag, Reason, Report, clean_subject, describe
    from .targets import may_report, target_for

    target = target_for(kind)
    obj = target.get(object_id) if target else None
    if obj is None or not may_report(reporter, obj):
        raise ModerationError(_("There is nothing here that you can report."), 404)
    if reason not in Reason.values:
        raise ModerationError(_("Choose why you report this."))
    text = clean_reason(text)
    if reason == Reason.OTHER and not text:
        raise ModerationError(_("Say in a few words what is wrong."))
    if not ratelimit.hit(f"report:{reporter.pk}", settings.MEENT_REPORT_RATE, 3600):
        raise ModerationError(
            _("You have sent many reports in the last hour. Try again later."), 429
        )
    content_type = ContentType.objects.get_for_model(target.model)
    author = target.author(obj)
    group = target.group(obj)
    # The subject is stored as a key and plain values (each reader sees it in their language);
    # the title, for the audit trail, in the platform's language.
    subject = clean_subject(target.subject(obj))
    with translation.override(settings.LANGUAGE_CODE):
        title = Truncator(describe(subject)).chars(300)
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(content_type=content_type, object_id=obj.pk, status=Report.Status.OPEN)
            .first()
        )
        if report is None:
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        content_type=content_type,
                        object_id=obj.pk,
                        kind=kind,
                        title=title,
                        subject=subject,
                        excerpt=target.excerpt(obj),
                        url=target.url(obj)[:500],
                        author=author,
                        group=group,
                        # A group admin reported, or is the author: straight to the moderators.
                        escalated_at=timezone.now()
                        if group is not None
                        and (_manages(reporter, group) or _manages(author, group))
                        else None,
                    )
            except IntegrityError:
                # Someone else opened it at this very moment: join theirs.
                report = Report.objects.select_for_update().get(
                    content_type=content_type, object_id=obj.pk, status=Report.Status.OPEN
                )
        flag, new = Flag.objects.get_or_create(
            report=report, reporter=reporter, defaults={"reason": reason, "text": text}
        )
        if new and report.flags.count() == 1 and group_admins_first(report):
            transaction.on_commit(partial(_tell_group_admins, report.pk))
    return report, new


def _manages(person, group) -> bool:
    from groups.models import Membership

    if person is None:
        return False
    return Membership.objects.filter(
        group=group, user=person, role__in=Membership.MANAGING_ROLES
    ).exists()


def _tell_group_admins(report_id):
    from groups.models import Membership

    from .models import Report

    report = Report.objects.select_related("group").get(pk=report_id)
    params = {"item": report.item_param, "group": report.group.name}
    url = reverse("moderation:group_reports", args=[report.group.slug])
    admins = Membership.objects.filter(
        group=report.group, role__in=Membership.MANAGING_ROLES
    ).select_related("user")
    for membership in admins:
        if membership.user_id != report.author_id:
            # The group's Reports tab is on its community's host.
            _notify(membership.user, "moderation.group_report", params, url, report.group)


DECISIONS_FOR_GROUP_ADMINS = ("dismiss", "hide", "delete")


def decisions_for(report, *, moderator: bool) -> list[str]:
    """What may be decided on ``report``: what its kind of item allows (a profile is hidden,
    never deleted), and warning and suspending only for moderators."""
    from .targets import target_of_report

    target = target_of_report(report)
    decisions = ["dismiss"]
    if target.can_hide:
        decisions.append("hide")
    if target.can_delete:
        decisions.append("delete")
    if moderator:
        decisions += ["warn", "suspend"]
    return decisions


def decide(actor, report, decision: str, reason: str = "", *, until=None):
    """Handle an open report: dismiss it, hide or delete the item, warn or suspend its author.
    The author is told why, every reporter hears the outcome, the audit log keeps it all."""
    from .models import Report
    from .targets import target_of_report

    reason = clean_reason(reason)
    if decision not in Report.Decision.values:
        raise ModerationError(_("Choose what to do with this report."))
    with transaction.atomic():
        report = (
            # Lock the report row only: its author and group may be absent (an outer join).
            Report.objects.select_for_update(of=("self",))
            .select_related("author", "group")
            .get(pk=report.pk)
        )
        if not may_handle(actor, report):
            raise ModerationError(_("You may not handle this report."), 403)
        if not report.is_open:
            raise ModerationError(
                _("This report was already handled (%(decision)s) on %(date)s.")
                % {
                    "decision": report.get_decision_display(),
                    "date": formats.date_format(
                        timezone.localtime(report.decided_at), "DATETIME_FORMAT"
                    ),
                },
                409,
            )
        moderator = access.is_moderator(actor)
        if not moderator and decision not in DECISIONS_FOR_GROUP_ADMINS:
            raise ModerationError(_("Only moderators can warn or suspend people."), 403)
        if decision != Report.Decision.DISMISS and not reason:
            raise ModerationError(_("Give a reason: the author is told why."))
        target = target_of_report(report)
        obj = target.get(report.object_id)
        author = report.author
        if decision in (Report.Decision.HIDE, Report.Decision.DELETE):
            if obj is None:
                raise ModerationError(
                    _("The reported item no longer exists: dismiss the report instead."), 409
                )
            if decision == Report.Decision.HIDE and not target.can_hide:
                raise ModerationError(_("This kind of item cannot be hidden."))
            if decision == Report.Decision.DELETE and not target.can_delete:
                raise ModerationError(_("This kind of item cannot be deleted."))
            if decision == Report.Decision.HIDE:
                target.hide(obj, actor, reason)
            else:
                target.delete(obj, actor, reason)
        elif decision in (Report.Decision.WARN, Report.Decision.SUSPEND) and author is None:
            raise ModerationError(_("The author no longer has an account."), 409)
        if decision == Report.Decision.SUSPEND:
            suspend(actor, author, until=until, reason=reason, report=report)
        report.status = (
            Report.Status.DISMISSED
            if decision == Report.Decision.DISMISS
            else Report.Status.ACTIONED
        )
        report.decision = decision
        report.decision_reason = reason
        report.decided_at = timezone.now()
        report.decided_by = actor
        report.save(
            update_fields=["status", "decision", "decision_reason", "decided_at", "decided_by"]
        )
        audit.record(
            report,
            f"meent.report.{decision}",
            actor,
            reason=reason,
            item=report.title,
            author=str(author) if author else "",
        )
        transaction.on_commit(partial(_tell_outcome, report.pk))
    return report


def _tell_outcome(report_id):
    from .models import Report

    report = Report.objects.select_related("author").get(pk=report_id)
    decision = report.decision
    # The kind and the decision are stored values: their labels are in the reader's language.
    params = {
        "item": report.item_param,
        "kind": report.kind,
        "decision": decision,
        "reason": report.decision_reason,
    }
    author_message = {
        "hide": "moderation.hidden",
        "delete": "moderation.deleted",
        "warn": "moderation.warned",
    }.get(decision)
    if author_message and report.author is not None:
        _notify(report.author, author_message, params)
    if decision == "dismiss":
        outcome = "moderation.report_dismissed"
    else:
        outcome = "moderation.report_handled"
    for flag in report.flags.select_related("reporter"):
        if flag.reporter_id not in (None, report.decided_by_id):
            _notify(flag.reporter, outcome, params)


def escalate(actor, report):
    """A group's owner or admin passes a report on to the moderators."""
    from .models import Report

    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("group").get(pk=report.pk)
        )
        if not may_handle(actor, report):
            raise ModerationError(_("You may not handle this report."), 403)
        if not report.is_open:
            raise ModerationError(_("This report was already handled."), 409)
        if report.escalated_at is None:
            report.escalated_at = timezone.now()
            report.save(update_fields=["escalated_at"])
            audit.record(report, "meent.report.escalate", actor, item=report.title)
    return report
