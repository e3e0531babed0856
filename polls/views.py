"""A group's polls, under /groups/<group_slug>/polls/: the list, a poll's page with its vote and
result, the results as JSON, who voted what (named polls), and the forms to ask, edit and close.

Every poll is found through ``visible_to``: what a person may not see answers 404, as if it were
not there. Whether the counts are shown is ``policies.may_see_results``, asked alike by the page,
the JSON and the export: while they are hidden they are not in the page's source at all, and the
JSON answers 403 with the reason. Every change goes through polls/services.py, whose refusals
(``PollError``) come back as the form again or the page with the message and the 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals

from . import policies, services
from .forms import PollForm
from .models import Ballot, Poll
from .services import PollError

# Closed polls per page of the list.
CLOSED_PER_PAGE = 25


def polls_group_or_404(request, group_slug):
    """The group, when the person may know it and its Polls tab is on."""
    group = visible_group_or_404(request, group_slug)
    if not group.polls_enabled:
        raise Http404(_("This group has no polls."))
    return group


def _context(request, group):
    context = group_page_context(request.user, group)
    context["tab"] = "polls"
    return context


def _poll_or_404(request, group, poll_id):
    poll = get_object_or_404(
        Poll.objects.visible_to(request.user).select_related("author__organisation"),
        group=group,
        pk=poll_id,
    )
    poll.group = group
    return poll


def refuse(request, error, context):
    return refusals.refuse(request, error, "polls/refused.html", context)


# ---------------------------------------------------------------------------------------------
# The list


@require_GET
def poll_list(request, group_slug):
    group = polls_group_or_404(request, group_slug)
    context = _context(request, group)
    context["may_create"] = policies.may_create_in(request.user, group)
    if not context["can_read"]:
        return render(request, "polls/list.html", context, status=403)
    now = timezone.now()
    polls = Poll.objects.visible_to(request.user).filter(group=group)
    if access.is_active_person(request.user):
        mine = Ballot.objects.filter(poll=OuterRef("pk"), voter=request.user)
        polls = polls.annotate(voted=Exists(mine))
    polls = polls.only(
        "pk", "group_id", "question", "ends_at", "voter_count", "results", "hidden_at"
    )
    # The closed polls grow without end: they page; the open ones are the first page's news.
    closed_page = params.paginate(
        request, polls.filter(ends_at__lte=now).order_by("-ends_at", "-pk"), CLOSED_PER_PAGE
    )
    open_polls = []
    if closed_page.number == 1:
        open_polls = list(polls.filter(ends_at__gt=now).order_by("ends_at", "pk"))
    closed_polls = list(closed_page.object_list)
    for poll in open_polls + closed_polls:
        poll.group = group
    context.update(
        {"open_polls": open_polls, "closed_polls": closed_polls, "closed_page": closed_page}
    )
    return render(request, "polls/list.html", context, status=params.status(request))


# ---------------------------------------------------------------------------------------------
# A poll's page, its vote and its results


def _page_context(request, group, poll):
    user = request.user
    now = timezone.now()
    ballot = services.ballot_of(user, poll)
    voted = ballot is not None
    chosen = set(ballot.choices.values_list("option_id", flat=True)) if voted else set()
    show_results = policies.may_see_results(user, poll, voted=voted, now=now)
    options = list(poll.options.all())
    context = _context(request, group)
    context.update(
        {
            "poll": poll,
            "is_open": poll.is_open(now),
            "ballot": ballot,
            "chosen": chosen,
            "options": options,
            "my_choices": [option.label for option in options if option.pk in chosen],
            "may_vote": policies.may_vote(user, poll, now),
            "show_results": show_results,
            "result": services.results_of(poll, options) if show_results else None,
            "may_see_voters": policies.may_see_voters(user, poll, voted=voted, now=now),
            "can_edit": access.can_edit(user, poll) and poll.is_open(now),
            "may_close": policies.may_close(user, poll, now),
            "hidden_reason": _hidden_reason(poll),
        }
    )
    return context


def _hidden_reason(poll):
    """Why the counts are not shown (when they are not)."""
    if poll.results == Poll.Results.AFTER_CLOSE:
        return _("The results are shown once the poll has closed.")
    return _("The results are shown once you have voted, and to everyone once the poll closed.")


@require_GET
def poll_page(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    return render(request, "polls/poll.html", _page_context(request, group, poll))


@login_required
@require_POST
def vote(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    try:
        services.vote(request.user, poll, request.POST.getlist("option"))
    except PollError as error:
        messages.error(request, error.message)
        context = _page_context(request, group, poll)
        return render(request, "polls/poll.html", context, status=error.status)
    messages.success(request, _("Your vote is counted. You can change it until the poll ends."))
    return redirect(poll.get_absolute_url())


@require_GET
def results_json(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    ballot = services.ballot_of(request.user, poll)
    if not policies.may_see_results(request.user, poll, voted=ballot is not None):
        return JsonResponse({"error": _hidden_reason(poll)}, status=403)
    result = services.results_of(poll)
    return JsonResponse(
        {
            "question": poll.question,
            "open": poll.is_open(),
            "ends_at": poll.ends_at.isoformat(),
            "voters": result["voters"],
            "options": [
                {key: row[key] for key in ("id", "label", "votes", "percent")}
                for row in result["options"]
            ],
        }
    )


@login_required
@require_GET
def voters(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    ballot = services.ballot_of(request.user, poll)
    context = _context(request, group)
    context["poll"] = poll
    if not policies.may_see_voters(request.user, poll, voted=ballot is not None):
        if poll.anonymous:
            reason = _("This poll is anonymous: nobody sees who voted what.")
        elif not policies.may_see_results(request.user, poll, voted=ballot is not None):
            reason = _hidden_reason(poll)
        else:
            reason = _("Only the group's owners and admins see who voted what.")
        return refuse(request, PollError(reason, 403), context)
    context["rows"] = services.voters_of(poll)
    return render(request, "polls/voters.html", context)


# ---------------------------------------------------------------------------------------------
# Asking, editing, closing


def _render_form(request, group, form, poll=None, status=200):
    context = _context(request, group)
    if form.options_locked:
        rows = [option.label for option in poll.options.all()]
    else:
        rows = form.option_rows()
    context.update({"form": form, "poll": poll, "rows": rows})
    return render(request, "polls/poll_form.html", context, status=status)


def _apply_error(form, error):
    if error.field == "options":
        form.options_error = error.message
        form.add_error(None, error.message)
        return
    refusals.on_form(form, error)


@login_required
@require_http_methods(["GET", "POST"])
def new_poll(request, group_slug):
    group = polls_group_or_404(request, group_slug)
    if not policies.may_create_in(request.user, group):
        if group.is_archived:
            error = PollError(_("This group is archived: nothing can be added to it."), 409)
        else:
            error = PollError(_("Only members of the group make polls in it."), 403)
        return refuse(request, error, _context(request, group))
    if request.method == "GET":
        return _render_form(request, group, PollForm())
    form = PollForm(request.POST)
    if "more" in request.POST:
        # "Add more options": the same form again with more empty rows; nothing is saved.
        return _render_form(request, group, form)
    if not form.is_valid():
        return _render_form(request, group, form, status=400)
    values = form.to_input()
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.create_poll(request.user, group, values),
            lambda poll: poll.get_absolute_url(),
        )
    except PollError as error:
        _apply_error(form, error)
        return _render_form(request, group, form, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(request, _("Your poll is open for votes."))
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def edit_poll(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    if not access.can_edit(request.user, poll):
        error = PollError(_("Only the poll's author changes it."), 403)
        return refuse(request, error, {**_context(request, group), "poll": poll})
    if not poll.is_open():
        error = PollError(_("This poll has closed: it cannot be changed any more."), 409)
        return refuse(request, error, {**_context(request, group), "poll": poll})
    locked = poll.voter_count > 0
    if request.method == "GET":
        form = PollForm(initial=PollForm.initial_for(poll), options_locked=locked)
        return _render_form(request, group, form, poll)
    form = PollForm(request.POST, options_locked=locked)
    if "more" in request.POST and not locked:
        return _render_form(request, group, form, poll)
    if not form.is_valid():
        return _render_form(request, group, form, poll, status=400)
    try:
        services.edit_poll(request.user, poll, form.to_input())
    except PollError as error:
        _apply_error(form, error)
        return _render_form(request, group, form, poll, status=error.status)
    messages.success(request, _("The poll is saved."))
    return redirect(poll.get_absolute_url())


@login_required
@require_POST
def close_poll(request, group_slug, poll_id):
    group = polls_group_or_404(request, group_slug)
    poll = _poll_or_404(request, group, poll_id)
    try:
        services.close_poll(request.user, poll)
    except PollError as error:
        messages.error(request, error.message)
        return render(
            request, "polls/poll.html", _page_context(request, group, poll), status=error.status
        )
    messages.success(request, _("The poll is closed: everyone who may see it sees the result."))
    return redirect(poll.get_absolute_url())
