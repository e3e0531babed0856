"""The organisers' tools: who signed up (a page and a CSV), taking someone off the list, a
message to everyone signed up; and the online meeting's door (``meeting``).

Only for whoever may edit the event (``access.can_edit``); others get a 404 when they may not
see the event and a 403 with the reason when they may see it but not organise it.
"""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from groups.context import group_page_context
from meent import access, idempotency, ratelimit, refusals, sites

from . import messages_out, recurrence, services
from .guest_forms import MessageForm
from .models import Attendance, Event
from .services import EventError

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MESSAGE_WINDOW = 3600


def _context(request, event, **extra):
    context = group_page_context(request.user, event.group) if event.group_id else {}
    if event.group_id:
        context["tab"] = "agenda"
    context["event"] = event
    context.update(extra)
    return context


def _visible_event_or_404(request, slug):
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("group"), slug=slug
    )


def _organised_event(request, slug, reason):
    """The event and None, or the event and the refusal (403, with ``reason``)."""
    event = _visible_event_or_404(request, slug)
    if access.can_edit(request.user, event):
        return event, None
    refusal = refusals.refuse(
        request, EventError(reason, 403), "events/refused.html", _context(request, event)
    )
    return event, refusal


def _sorted_lists(attendances):
    """Going (holding a place), maybe, waiting (in the order they are moved up), not going."""
    lists = {"going": [], "maybe": [], "waiting": [], "not_going": []}
    for attendance in attendances:
        if attendance.status == Attendance.Status.GOING:
            lists["going"].append(attendance)
        elif attendance.status in lists:
            lists[attendance.status].append(attendance)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    lists["waiting"].sort(key=lambda a: (a.waiting_since or far, a.pk))
    return lists


def _details(attendance):
    """(e-mail, organisation): only what the attendee agreed to share."""
    if not attendance.share_details:
        return "", ""
    if attendance.person_id:
        person = attendance.person
        organisation = person.organisation.name if person.organisation_id else ""
        return person.email, organisation
    return attendance.guest_email, ""


@login_required
@require_GET
def attendees(request, slug):
    event, refused = _organised_event(request, slug, _("Only the organisers see who signed up."))
    if refused:
        return refused
    elsewhere = sites.redirect_to_site(request, event.community_id)
    if elsewhere:
        return elsewhere
    lists = _sorted_lists(services.attendee_list(request.user, event))
    sections = [
        ("going", _("Going"), lists["going"]),
        ("maybe", _("Maybe"), lists["maybe"]),
        ("waiting", _("On the waiting list"), lists["waiting"]),
        ("not_going", _("Not going"), lists["not_going"]),
    ]
    rows = {
        key: [(attendance, *_details(attendance)) for attendance in people]
        for key, _title, people in sections
    }
    return render(
        request,
        "events/attendees.html",
        _context(
            request,
            event,
            sections=[(key, title, rows[key]) for key, title, _people in sections],
            total=sum(len(people) for _key, _title, people in sections),
        ),
    )


def _cell(value) -> str:
    value = str(value or "")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@login_required
@require_GET
def attendees_csv(request, slug):
    event, refused = _organised_event(request, slug, _("Only the organisers see who signed up."))
    if refused:
        return refused
    lists = _sorted_lists(services.attendee_list(request.user, event))
    answers = {
        "going": _("going"),
        "maybe": _("maybe"),
        "waiting": _("on the waiting list"),
        "not_going": _("not going"),
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Name"), _("Answer"), _("Guest"), _("E-mail address"), _("Organisation"), _("Since")]
    )
    for key in ("going", "maybe", "waiting", "not_going"):
        for attendance in lists[key]:
            email, organisation = _details(attendance)
            since = timezone.localtime(attendance.created_at, timezone.get_current_timezone())
            writer.writerow(
                [
                    _cell(attendance.display_name),
                    answers[key],
                    _("yes") if attendance.is_guest else _("no"),
                    _cell(email),
                    _cell(organisation),
                    since.strftime("%Y-%m-%d %H:%M"),
                ]
            )
    # The byte order mark tells Excel the file is UTF-8 (names with accents stay readable).
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def remove_attendee(request, slug, attendance_id):
    event, refused = _organised_event(
        request, slug, _("Only the organisers can remove someone from the list.")
    )
    if refused:
        return refused
    attendance = get_object_or_404(
        Attendance.objects.select_related("person").exclude(
            person__isnull=True, confirmed_at__isnull=True
        ),
        pk=attendance_id,
        event=event,
    )
    if request.method == "GET":
        return render(
            request, "events/attendee_remove.html", _context(request, event, attendance=attendance)
        )
    name = attendance.display_name
    try:
        services.remove_attendee(request.user, attendance)
    except EventError as error:
        return refusals.refuse(request, error, "events/refused.html", _context(request, event))
    messages.success(request, _("%(name)s is no longer on the list and is told.") % {"name": name})
    return redirect("events:attendees", slug=event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def message(request, slug):
    event, refused = _organised_event(
        request, slug, _("Only the organisers can write to everyone who signed up.")
    )
    if refused:
        return refused
    if request.method == "GET":
        elsewhere = sites.redirect_to_site(request, event.community_id)
        return elsewhere or _message_form(request, event, MessageForm())
    repeat = idempotency.earlier_answer(request)
    if repeat is not None:
        return repeat
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _message_form(request, event, form, status=400)
    rate_key = f"events:message:{event.pk}"
    if not ratelimit.hit(rate_key, messages_out.PER_HOUR, MESSAGE_WINDOW):
        form.add_error(
            None,
            ngettext(
                "At most %(count)d message an hour can be sent about one event. Try again later.",
                "At most %(count)d messages an hour can be sent about one event. Try again later.",
                messages_out.PER_HOUR,
            )
            % {"count": messages_out.PER_HOUR},
        )
        return _message_form(request, event, form, status=429)
    data = form.cleaned_data
    outcome = idempotency.once(
        request.user,
        form.submission_key,
        lambda: messages_out.message(event.pk, request.user.pk, data["subject"], data["text"]),
        lambda sent: event.get_absolute_url(),
    )
    if outcome.repeat:
        ratelimit.refund(rate_key, MESSAGE_WINDOW)
        return idempotency.repeated(request, outcome)
    messages.success(
        request,
        ngettext(
            "Your message is sent to %(count)d person.",
            "Your message is sent to %(count)d people.",
            outcome.made,
        )
        % {"count": outcome.made},
    )
    return redirect(outcome.url)


def _message_form(request, event, form, status=200):
    recipients = messages_out.recipients(event).count()
    return render(
        request,
        "events/message_form.html",
        _context(request, event, form=form, recipients=recipients),
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# The online meeting


def _meeting_reason(request, event, now):
    """Why the meeting is not open to this person now, and when it opens (or None)."""
    user = request.user
    if not (event.meeting_room or event.online_url):
        return "none", None
    if event.is_cancelled:
        return "cancelled", None
    upcoming = [o for o in recurrence.occurrences(event, since=now) if not o.cancelled]
    if not upcoming:
        return "over", None
    opens_at = upcoming[0].starts_at - datetime.timedelta(minutes=event.meeting_opens_minutes)
    if not access.is_active_person(user):
        return "signed_out", opens_at
    signed_up = Attendance.objects.filter(
        event=event, person=user, status__in=[Attendance.Status.GOING, Attendance.Status.MAYBE]
    ).exists()
    if not signed_up:
        waiting = Attendance.objects.filter(
            event=event, person=user, status=Attendance.Status.WAITING
        ).exists()
        return ("waiting" if waiting else "not_signed_up"), opens_at
    return "too_early", opens_at


@require_GET
def meeting(request, slug):
    """The door to the event's online meeting: a redirect for whoever may join now; otherwise
    a page that says why not and when it opens, never the link."""
    event = _visible_event_or_404(request, slug)
    now = timezone.now()
    url = services.meeting_url(event, request.user, now)
    if url:
        response = redirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    elsewhere = sites.redirect_to_site(request, event.community_id)
    if elsewhere:
        return elsewhere
    reason, opens_at = _meeting_reason(request, event, now)
    status = 404 if reason == "none" else 403
    return render(
        request,
        "events/meeting.html",
        _context(request, event, reason=reason, opens_at=opens_at),
        status=status,
    )
