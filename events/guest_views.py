"""Guests without an account: sign up for a community event, confirm by the e-mailed link,
cancel by the other link (events/guests.py has the rules).

The sign-up form's submission key is claimed in the shared cache, not with ``idempotency.once``
(which keys a claim by person): a guest has no account, and the same form posted twice answers
as the first post did without a second e-mail.
"""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meent import access, idempotency, ratelimit, refusals, sites

from . import guests, services
from .guest_forms import GuestForm
from .models import Attendance, Event
from .services import EventError

KEY_SECONDS = idempotency.KEEP_DAYS * 24 * 3600


def _guest_event_or_404(request, slug):
    """The event, when guests may sign up for it; the same 404 whether it exists or not."""
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    if not guests.takes_guests(event):
        raise Http404(_("Guests cannot sign up for this event."))
    return event


def _render_signup(request, event, form, status=200):
    return render(
        request,
        "events/guest_signup.html",
        {
            "event": event,
            "guest_form": form,
            "guest_hours": guests.GUEST_CONFIRM_HOURS,
            "open_for_answers": services.is_open(event),
            "places_left": services.places_left(event),
        },
        status=status,
    )


def _claim(key) -> bool:
    """Whether this submission key is new (a repeat of the same form answers as the first)."""
    return key is None or cache.add(f"events:guest-form:{key}", 1, KEY_SECONDS)


def _release(key):
    if key is not None:
        cache.delete(f"events:guest-form:{key}")


@require_http_methods(["GET", "POST"])
def guest_signup(request, slug):
    event = _guest_event_or_404(request, slug)
    if request.user.is_authenticated:
        messages.info(request, _("You are signed in: answer on the event's page."))
        return redirect(event.get_absolute_url())
    if request.method == "GET":
        elsewhere = sites.redirect_to_site(request, event.community_id)
        return elsewhere or _render_signup(request, event, GuestForm())
    form = GuestForm(request.POST)
    if not form.is_valid():
        return _render_signup(request, event, form, status=400)
    key = form.submission_key
    if not _claim(key):
        messages.info(request, _("You had sent this already: check your e-mail for the link."))
        return redirect(event.get_absolute_url())
    data = form.cleaned_data
    try:
        outcome = guests.sign_up(
            event,
            data["name"],
            data["email"],
            share_details=data["share_details"],
            language=translation.get_language(),
            ip=ratelimit.client_ip(request),
        )
    except EventError as error:
        _release(key)
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return _render_signup(request, event, form, status=error.status)
    hours = guests.GUEST_CONFIRM_HOURS
    if outcome.new:
        messages.success(
            request,
            _(
                "Almost done: we sent a link to %(email)s. Open it within %(hours)s hours to "
                "confirm your sign-up."
            )
            % {"email": outcome.attendance.guest_email, "hours": hours},
        )
    elif outcome.sent:
        messages.info(
            request,
            _("This address had signed up already: we sent the link to %(email)s again.")
            % {"email": outcome.attendance.guest_email},
        )
    else:
        messages.info(
            request,
            _(
                "This address had signed up already, and we sent it the link less than "
                "%(minutes)s minutes ago. Check your e-mail, also the spam folder."
            )
            % {"minutes": guests.RESEND_SECONDS // 60},
        )
    return redirect(event.get_absolute_url())


def _guest_or_404(token) -> Attendance:
    attendance = guests.by_token(token)
    if attendance is None:
        raise Http404(_("This link is not valid (any more)."))
    return attendance


def _guest_page(request, attendance, template, status=200):
    event = attendance.event
    return render(
        request,
        template,
        {
            "attendance": attendance,
            "event": event,
            "expired": guests.is_expired(attendance),
            "open_for_answers": services.is_open(event),
            "token": attendance.confirm_token,
            "meeting_url": guests.meeting_url(attendance),
            "has_meeting": bool(event.meeting_room or event.online_url) and not event.is_cancelled,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def guest_confirm(request, token):
    """GET shows a button (mail scanners open links; only the guest's click confirms)."""
    attendance = _guest_or_404(token)
    if request.method == "GET":
        elsewhere = sites.redirect_to_site(request, attendance.event.community_id)
        return elsewhere or _guest_page(request, attendance, "events/guest_confirm.html")
    already = attendance.confirmed_at is not None
    try:
        attendance = guests.confirm(attendance)
    except EventError as error:
        return refusals.refuse(
            request,
            error,
            "events/guest_confirm.html",
            {"attendance": attendance, "event": attendance.event, "refused": True},
        )
    if already:
        messages.info(request, _("Your sign-up was confirmed already."))
    elif attendance.status == Attendance.Status.WAITING:
        messages.success(
            request,
            _(
                "Your sign-up is confirmed, but the event is full: you are on the waiting list. "
                "We e-mail you when a place comes free."
            ),
        )
    else:
        messages.success(request, _("Your sign-up is confirmed. See you there!"))
    return redirect("events:guest_confirm", token=attendance.confirm_token)


@require_http_methods(["GET", "POST"])
def guest_cancel(request, token):
    attendance = _guest_or_404(token)
    event = attendance.event
    if request.method == "GET":
        elsewhere = sites.redirect_to_site(request, event.community_id)
        return elsewhere or _guest_page(request, attendance, "events/guest_cancel.html")
    try:
        guests.cancel(attendance)
    except EventError as error:
        return refusals.refuse(
            request, error, "events/guest_cancel.html", {"attendance": None, "event": event}
        )
    messages.success(request, _("Your sign-up is cancelled. Your name and address are deleted."))
    if access.can_view(request.user, event):
        return redirect(event.get_absolute_url())
    return redirect("events:agenda")
