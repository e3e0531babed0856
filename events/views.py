"""An event's own pages: the page, the forms to organise one, and the answers to it.

Lists (the agendas) are in agenda_views.py, calendars in calendar_views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.views import visible_group_or_404
from meent import access, idempotency, refusals, sites
from meent.mentions import unreached_in_html, warn_writer

from . import policies, recurrence, services
from .forms import AnswerForm, EventForm, OccurrenceForm
from .models import Attendance, Event
from .services import EventError

UPCOMING_SHOWN = 12


def _group_context(request, group):
    if group is None:
        return {}
    context = group_page_context(request.user, group)
    context["tab"] = "agenda"
    return context


def refuse(request, error, context=None):
    return refusals.refuse(request, error, "events/refused.html", context)


def _visible_event_or_404(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("group", "organiser__organisation"),
        slug=slug,
    )
    return event


def _back_to(event_or_group):
    group = getattr(event_or_group, "group", event_or_group)
    if group is not None and getattr(group, "slug", None):
        from django.urls import reverse

        return reverse("group_agenda", args=[group.slug])
    from django.urls import reverse

    return reverse("events:agenda")


# ---------------------------------------------------------------------------------------------
# The event's page


def _page_context(request, event):
    user = request.user
    now = timezone.now()
    upcoming = recurrence.occurrences(event, since=now, cancelled=True)[:UPCOMING_SHOWN]
    mine = None
    if access.is_active_person(user):
        mine = Attendance.objects.filter(event=event, person=user).first()
    counts = services.counts(event)
    can_edit = access.can_edit(user, event)
    open_for_answers = services.is_open(event, now)
    context = _group_context(request, event.group)
    context.update(
        {
            "event": event,
            "occurrences": upcoming,
            "next_occurrence": next((o for o in upcoming if not o.cancelled), None),
            "is_over": event.last_ends_at <= now,
            "mine": mine,
            "counts": counts,
            "places_left": (
                None if event.capacity is None else max(event.capacity - counts["going"], 0)
            ),
            "can_edit": can_edit,
            "can_moderate": access.can_moderate(user, event),
            "may_sign_up": policies.may_sign_up(user, event) and open_for_answers,
            "open_for_answers": open_for_answers,
            "answer_form": AnswerForm(
                initial={
                    "status": mine.status
                    if mine and mine.status != Attendance.Status.WAITING
                    else "",
                    "share_details": mine.share_details if mine else False,
                }
            ),
            "meeting_url": services.meeting_url(event, user, now),
        }
    )
    return context


@require_GET
def event_page(request, slug):
    event = _visible_event_or_404(request, slug)
    # An event belongs to its community: a link followed on another host leads there.
    return sites.redirect_to_site(request, event.community_id) or render(
        request, "events/event.html", _page_context(request, event)
    )


# ---------------------------------------------------------------------------------------------
# Organising


def _render_form(request, form, group=None, event=None, status=200):
    context = _group_context(request, group)
    context.update({"form": form, "event": event, "group": group})
    context["cover_lost"] = bool(request.FILES.get("cover")) and status != 200
    return render(request, "events/event_form.html", context, status=status)


def _save(request, form, *, group=None, event=None):
    if not form.is_valid():
        return _render_form(request, form, group=group, event=event, status=400)
    values = form.to_input()
    site_id = sites.current_site_id(request)
    key = form.submission_key if event is None else None
    try:
        outcome = idempotency.once(
            request.user,
            key,
            lambda: services.save_event(
                request.user, values, event=event, group=group, site_id=site_id
            ),
            lambda saved: saved.get_absolute_url(),
        )
    except EventError as error:
        refusals.on_form(form, error)
        return _render_form(request, form, group=group, event=event, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    saved = outcome.made
    # Say when an @mention reaches nobody, or someone who may not see the event.
    nobody, unreadable = unreached_in_html(
        saved.description, lambda person: access.can_view(person, saved), author=request.user
    )
    warn_writer(request, nobody, unreadable)
    if event is None:
        messages.success(request, _("Your event is in the agenda."))
    else:
        messages.success(
            request,
            _("The event is saved. People who signed up are told about a new time or place."),
        )
    return redirect(outcome.url)


def _may_organise_or_refuse(request, group):
    if policies.may_organise_in(request.user, group):
        return None
    if group is None:
        error = EventError(_("Only community managers organise community events."), 403)
    elif group.is_archived:
        error = EventError(_("This group is archived: nothing can be added to it."), 409)
    else:
        error = EventError(_("You may not organise events in this group."), 403)
    return refuse(request, error, _group_context(request, group))


@login_required
@require_http_methods(["GET", "POST"])
def new_group_event(request, group_slug):
    group = visible_group_or_404(request, group_slug)
    if not group.events_enabled:
        raise Http404(_("This group has no agenda."))
    refused = _may_organise_or_refuse(request, group)
    if refused:
        return refused
    if request.method == "POST":
        return _save(request, EventForm(request.POST, request.FILES, group=group), group=group)
    return _render_form(request, EventForm(group=group), group=group)


@login_required
@require_http_methods(["GET", "POST"])
def new_community_event(request):
    refused = _may_organise_or_refuse(request, None)
    if refused:
        return refused
    if request.method == "POST":
        return _save(request, EventForm(request.POST, request.FILES))
    return _render_form(request, EventForm())


def _editable_event(request, slug):
    event = _visible_event_or_404(request, slug)
    if access.can_edit(request.user, event):
        return event, None
    error = EventError(_("You may not change this event."), 403)
    return event, refuse(request, error, {**_group_context(request, event.group), "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request, slug):
    event, refused = _editable_event(request, slug)
    if refused:
        return refused
    if event.is_cancelled:
        return refuse(
            request,
            EventError(_("This event is cancelled: it cannot be changed any more."), 409),
            {**_group_context(request, event.group), "event": event},
        )
    if request.method == "POST":
        form = EventForm(request.POST, request.FILES, group=event.group, event=event)
        return _save(request, form, group=event.group, event=event)
    form = EventForm(initial=EventForm.initial_for(event), group=event.group, event=event)
    return _render_form(request, form, group=event.group, event=event)


def _confirm(request, event, action):
    context = _group_context(request, event.group)
    context.update({"event": event, "action": action})
    return render(request, "events/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_event(request, slug):
    event = _visible_event_or_404(request, slug)
    if request.method == "GET":
        if not (access.can_edit(request.user, event) or access.can_moderate(request.user, event)):
            return refuse(
                request, EventError(_("You may not cancel this event."), 403), {"event": event}
            )
        return _confirm(request, event, "cancel")
    try:
        services.cancel_event(request.user, event)
    except EventError as error:
        return refuse(request, error, {"event": event})
    messages.success(request, _("The event is cancelled. Everyone who signed up is told."))
    return redirect(event.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def delete_event(request, slug):
    event = _visible_event_or_404(request, slug)
    if request.method == "GET":
        if not (access.can_edit(request.user, event) or access.can_moderate(request.user, event)):
            return refuse(
                request, EventError(_("You may not delete this event."), 403), {"event": event}
            )
        return _confirm(request, event, "delete")
    back = _back_to(event)
    try:
        services.delete_event(request.user, event)
    except EventError as error:
        return refuse(request, error, {"event": event})
    messages.success(request, _("The event is deleted."))
    return redirect(back)


# ---------------------------------------------------------------------------------------------
# Answers


def _event_for_answer(request, slug):
    """The event, or a refusal that reads the same whether it exists or is hidden."""
    event = Event.objects.select_related("group").filter(slug=slug).first()
    if event is None or not access.can_view(request.user, event):
        raise Http404
    return event


@login_required
@require_POST
def answer(request, slug):
    event = _event_for_answer(request, slug)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        context = _page_context(request, event)
        context["answer_form"] = form
        messages.error(request, _("Choose going, maybe or not going."))
        return render(request, "events/event.html", context, status=400)
    try:
        attendance = services.answer(
            request.user,
            event,
            form.cleaned_data["status"],
            share_details=form.cleaned_data["share_details"],
        )
    except EventError as error:
        messages.error(request, error.message)
        return render(
            request, "events/event.html", _page_context(request, event), status=error.status
        )
    messages.success(request, services.answer_message(attendance))
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def withdraw(request, slug):
    event = _event_for_answer(request, slug)
    try:
        services.withdraw(request.user, event)
    except EventError as error:
        messages.error(request, error.message)
        return render(
            request, "events/event.html", _page_context(request, event), status=error.status
        )
    messages.success(request, _("You are no longer signed up."))
    return redirect(event.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def change_occurrence(request, slug):
    """Move or cancel one date of a repeating event (?at=<ISO start> picks it)."""
    event, refused = _editable_event(request, slug)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    initial = {"original_start": request.GET.get("at", "")}
    form = OccurrenceForm(data, initial=initial, event=event)
    context = {**_group_context(request, event.group), "event": event, "form": form}
    if request.method == "GET":
        probe = OccurrenceForm(
            {"original_start": initial["original_start"], "action": "move"}, event=event
        )
        if not probe.is_valid() or probe.cleaned_data["original_start"] not in recurrence.starts(
            event
        ):
            messages.error(request, _("The event has no occurrence at that time."))
            return render(request, "events/occurrence_form.html", context, status=400)
        context["original_start"] = probe.cleaned_data["original_start"]
        return render(request, "events/occurrence_form.html", context)
    if not form.is_valid():
        return render(request, "events/occurrence_form.html", context, status=400)
    data = form.cleaned_data
    context["original_start"] = data["original_start"]
    try:
        services.change_occurrence(
            request.user,
            event,
            data["original_start"],
            cancelled=data["action"] == "cancel",
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
        )
    except EventError as error:
        refusals.on_form(form, error)
        return render(request, "events/occurrence_form.html", context, status=error.status)
    messages.success(request, _("The date is changed. People who signed up are told."))
    return redirect(event.get_absolute_url())
