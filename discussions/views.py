"""A group's discussions: the list, a thread with its replies, and the forms to start, reply,
quote and edit; pinning and closing for the group's owners and admins.

Every list asks ``visible_to``; a discussion a person may not see answers 404 (as if it were not
there), what they see but may not change answers 403. Every change goes through
discussions/services.py, whose refusals (``DiscussionError``) come back as the form again with the
message at its field and the refusal's 4xx status: nothing typed is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals, sites
from meent.mentions import unreached_in_html, warn_writer

from . import policies, services
from .forms import (
    DiscussionForm,
    EditDiscussionForm,
    EditReplyForm,
    ListQuery,
    ReplyForm,
    ThreadQuery,
)
from .models import Discussion, DiscussionVisit, Reply
from .services import REPLIES_PER_PAGE, DiscussionError

PER_PAGE = 25
MANAGE_ACTIONS = {
    "pin": (services.pin, gettext_lazy("The discussion is pinned at the top of the list.")),
    "unpin": (services.unpin, gettext_lazy("The discussion is no longer pinned.")),
    "close": (services.close, gettext_lazy("The discussion is closed: nobody can reply any more.")),
    "reopen": (services.reopen, gettext_lazy("The discussion is open for replies again.")),
}


# ---------------------------------------------------------------------------------------------
# Finding things


def discussions_group_or_404(request, group_slug):
    """The group, when the person may know it and its discussions tab is on."""
    group = visible_group_or_404(request, group_slug)
    if not group.discussions_enabled:
        raise Http404(_("This group has no discussions."))
    return group


def _discussion_or_404(request, group, discussion_id):
    discussion = get_object_or_404(
        Discussion.objects.visible_to(request.user).select_related(
            "author__organisation", "closed_by"
        ),
        group=group,
        pk=discussion_id,
    )
    discussion.group = group
    return discussion


def _reply_or_404(discussion, reply_id):
    found = get_object_or_404(
        Reply.objects.select_related("author"), discussion=discussion, pk=reply_id
    )
    found.discussion = discussion
    return found


def _context(request, group, **extra):
    context = group_page_context(request.user, group)
    context["tab"] = "discussions"
    context["may_write"] = policies.may_write_in(request.user, group)
    context["may_manage"] = policies.may_manage(request.user, group)
    context.update(extra)
    return context


def refuse(request, error, context):
    return refusals.refuse(request, error, "discussions/refused.html", context)


# ---------------------------------------------------------------------------------------------
# The list


def _with_unread(discussions, user):
    """Each discussion with ``new_count``: the replies by others since the person's last visit
    (None: never opened), two subqueries in the list's one query."""
    if not access.is_active_person(user):
        return discussions
    seen = DiscussionVisit.objects.filter(user=user, discussion=OuterRef("pk")).values("seen_at")
    newer = (
        Reply.objects.filter(
            discussion=OuterRef("pk"), hidden_at__isnull=True, created_at__gt=OuterRef("seen_at")
        )
        .exclude(author=user)
        .order_by()
        .values("discussion")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return discussions.annotate(
        seen_at=Subquery(seen[:1]),
        new_count=Coalesce(Subquery(newer, output_field=IntegerField()), 0),
    )


@require_GET
def discussion_list(request, group_slug):
    group = discussions_group_or_404(request, group_slug)
    elsewhere = sites.redirect_to_site(request, group.site_id)
    if elsewhere:
        return elsewhere
    context = _context(request, group)
    if not context["can_read"]:
        return render(request, "discussions/list.html", context, status=403)
    query = params.read(request, ListQuery).cleaned_data
    sort = query.get("sort") or ""
    discussions = Discussion.objects.visible_to(request.user).filter(group=group)
    if sort == "started":
        discussions = discussions.order_by("-created_at", "-pk")
    else:
        discussions = discussions.order_by(
            F("pinned_at").desc(nulls_last=True), "-last_activity_at", "-pk"
        )
    discussions = _with_unread(discussions.select_related("author"), request.user)
    page = params.paginate(request, discussions, PER_PAGE)
    listed = list(page.object_list)
    for discussion in listed:
        discussion.group = group
    base = reverse("discussions:list", args=[group.slug])
    context.update(
        {
            "page_obj": page,
            "discussions": listed,
            "sort": sort,
            "sorts": [
                {
                    "label": label,
                    "url": f"{base}?sort={value}" if value else base,
                    "current": value == sort,
                }
                for value, label in ListQuery.base_fields["sort"].choices
            ],
            "query": f"sort={sort}" if sort else "",
        }
    )
    return render(request, "discussions/list.html", context, status=params.status(request))


# ---------------------------------------------------------------------------------------------
# Starting and editing


def _render_form(request, group, form, discussion=None, status=200):
    context = _context(request, group, form=form, discussion=discussion)
    return render(request, "discussions/discussion_form.html", context, status=status)


def _warn_mentions(request, discussion):
    # Say when an @mention reaches nobody, or someone who may not see the discussion.
    nobody, unreadable = unreached_in_html(
        discussion.body,
        lambda person: access.can_view(person, discussion),
        author=request.user,
    )
    warn_writer(request, nobody, unreadable)


@login_required
@require_http_methods(["GET", "POST"])
def new_discussion(request, group_slug):
    group = discussions_group_or_404(request, group_slug)
    if not policies.may_write_in(request.user, group):
        error = DiscussionError(_("Only members of the group start discussions in it."), 403)
        if group.is_archived:
            error = DiscussionError(_("This group is archived: nothing can be added to it."), 409)
        return refuse(request, error, _context(request, group))
    if request.method != "POST":
        return _render_form(request, group, DiscussionForm())
    form = DiscussionForm(request.POST)
    if not form.is_valid():
        return _render_form(request, group, form, status=400)
    data = form.cleaned_data
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.start(request.user, group, data["title"], data["body"]),
            lambda made: made.get_absolute_url(),
        )
    except DiscussionError as error:
        refusals.on_form(form, error)
        return _render_form(request, group, form, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    _warn_mentions(request, outcome.made)
    messages.success(request, _("Your discussion is started. Members can reply now."))
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def edit_discussion(request, group_slug, discussion_id):
    group = discussions_group_or_404(request, group_slug)
    discussion = _discussion_or_404(request, group, discussion_id)
    if not access.can_edit(request.user, discussion):
        error = DiscussionError(_("Only its author can change this discussion."), 403)
        return refuse(request, error, _context(request, group, discussion=discussion))
    if request.method != "POST":
        form = EditDiscussionForm(initial={"title": discussion.title, "body": discussion.body})
        return _render_form(request, group, form, discussion)
    form = EditDiscussionForm(request.POST)
    if not form.is_valid():
        return _render_form(request, group, form, discussion, status=400)
    try:
        services.edit(
            request.user, discussion, form.cleaned_data["title"], form.cleaned_data["body"]
        )
    except DiscussionError as error:
        refusals.on_form(form, error)
        return _render_form(request, group, form, discussion, status=error.status)
    _warn_mentions(request, discussion)
    messages.success(request, _("Your changes are saved."))
    return redirect(discussion.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# The thread


def _quote_of(discussion, quote):
    """The quoted reply (or the start) a ``?quote=`` names, for the form's preview."""
    quoted, quotes_start = services.find_quoted(discussion, quote)
    if quotes_start:
        return {
            "author": discussion.author,
            "excerpt": services.quote_excerpt(None, discussion),
            "anchor": "start",
        }
    if quoted is not None:
        return {
            "author": quoted.author,
            "excerpt": services.quote_excerpt(quoted),
            "anchor": quoted.anchor,
        }
    return None


def _thread_page(request, group, discussion, reply_form=None, quote="", status=200):
    """The start, a page of replies (oldest first) and the reply form: a constant number of
    queries however many replies there are."""
    user = request.user
    query = params.read(request, ThreadQuery).cleaned_data
    if reply_form is None:
        quote = query.get("quote") or ""
    previous_visit = services.visit(user, discussion) if status == 200 else None
    replies = (
        Reply.objects.filter(discussion=discussion)
        .select_related("author__organisation", "quoted__author")
        .order_by("created_at", "pk")
    )
    page = params.paginate(request, replies, REPLIES_PER_PAGE)
    listed = list(page.object_list)
    first_new = None
    if previous_visit is not None:
        unread = (
            Reply.objects.filter(
                discussion=discussion, hidden_at__isnull=True, created_at__gt=previous_visit
            )
            .exclude(author=user)
            .order_by("created_at", "pk")
            .first()
        )
        if unread is not None:
            unread.discussion = discussion
            first_new = {"reply": unread, "url": unread.get_absolute_url()}
    for item in listed:
        item.discussion = discussion
        item.is_new = first_new is not None and item.pk == first_new["reply"].pk
        item.may_edit = access.can_edit(user, item)
        if item.quoted_id and item.quoted is not None:
            item.quoted.discussion = discussion
    quote_preview = None
    if reply_form is None:
        reply_form = ReplyForm(initial={"quote": quote})
        try:
            quote_preview = _quote_of(discussion, quote)
        except DiscussionError as error:
            messages.error(request, error.message)
            status = error.status
    else:
        try:
            quote_preview = _quote_of(discussion, quote)
        except DiscussionError:
            quote_preview = None
    context = _context(
        request,
        group,
        discussion=discussion,
        page_obj=page,
        replies=listed,
        first_new=first_new,
        reply_form=reply_form,
        quote_preview=quote_preview,
        may_edit=access.can_edit(user, discussion),
        may_reply=policies.may_write_in(user, group) and not discussion.is_closed,
        closed_message=services.closed_message(discussion) if discussion.is_closed else "",
    )
    context["quote_page"] = page.number
    return render(
        request, "discussions/thread.html", context, status=params.status(request, status)
    )


@require_GET
def thread(request, group_slug, discussion_id):
    group = discussions_group_or_404(request, group_slug)
    # A discussion belongs to its group's community: a link followed on another host leads
    # there.
    elsewhere = sites.redirect_to_site(request, group.site_id)
    if elsewhere:
        return elsewhere
    discussion = _discussion_or_404(request, group, discussion_id)
    return _thread_page(request, group, discussion)


@require_GET
def reply_link(request, group_slug, discussion_id, reply_id):
    """A reply's lasting address: its page of the thread, at its place."""
    group = discussions_group_or_404(request, group_slug)
    elsewhere = sites.redirect_to_site(request, group.site_id)
    if elsewhere:
        return elsewhere
    discussion = _discussion_or_404(request, group, discussion_id)
    found = _reply_or_404(discussion, reply_id)
    page = services.page_of(found)
    url = discussion.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#{found.anchor}")


@login_required
@require_POST
def reply(request, group_slug, discussion_id):
    group = discussions_group_or_404(request, group_slug)
    discussion = _discussion_or_404(request, group, discussion_id)
    form = ReplyForm(request.POST)
    quote = request.POST.get("quote", "")[:20]
    if not form.is_valid():
        return _thread_page(request, group, discussion, form, quote, status=400)
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.reply(
                request.user, discussion, form.cleaned_data["body"], form.cleaned_data["quote"]
            ),
            lambda made: made.get_absolute_url(),
        )
    except DiscussionError as error:
        if error.field is None:
            # Closed in the meantime: the page shows why instead of the form.
            messages.error(request, error.message)
            discussion.refresh_from_db(fields=["closed_at"])
        refusals.on_form(form, error)
        return _thread_page(request, group, discussion, form, quote, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(request, _("Your reply is added."))
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def edit_reply(request, group_slug, discussion_id, reply_id):
    group = discussions_group_or_404(request, group_slug)
    discussion = _discussion_or_404(request, group, discussion_id)
    found = _reply_or_404(discussion, reply_id)
    if found.hidden_at is not None:
        raise Http404(_("This reply was hidden by a moderator."))
    context = _context(request, group, discussion=discussion, reply=found)
    if not access.can_edit(request.user, found):
        error = DiscussionError(_("You can only edit your own replies."), 403)
        return refuse(request, error, context)
    if request.method != "POST":
        context["form"] = EditReplyForm(initial={"body": found.body})
        return render(request, "discussions/reply_form.html", context)
    form = EditReplyForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "discussions/reply_form.html", context, status=400)
    try:
        services.edit_reply(request.user, found, form.cleaned_data["body"])
    except DiscussionError as error:
        refusals.on_form(form, error)
        return render(request, "discussions/reply_form.html", context, status=error.status)
    messages.success(request, _("Your reply is saved."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def manage(request, group_slug, discussion_id):
    """Pin, unpin, close or reopen (``action``): the group's owners and admins."""
    group = discussions_group_or_404(request, group_slug)
    discussion = _discussion_or_404(request, group, discussion_id)
    action = MANAGE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        error = DiscussionError(_("Choose to pin, unpin, close or reopen the discussion."), 400)
        return refuse(request, error, _context(request, group, discussion=discussion))
    change, done = action
    try:
        change(request.user, discussion)
    except DiscussionError as error:
        return refuse(request, error, _context(request, group, discussion=discussion))
    messages.success(request, done)
    return redirect(discussion.get_absolute_url())
