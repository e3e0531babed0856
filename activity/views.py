"""A group's stream, what a person follows and saved, and the buttons that change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups import policies as group_policies
from groups.context import group_page_context
from groups.views import visible_group_or_404
from meent import links, params, refusals

from . import registry, services
from .models import Bookmark, Follow

STREAM_PAGE = 30
LIST_PAGE = 50


@require_GET
def group_stream(request, slug):
    """Everything that happened in a group that the reader may see, newest first."""
    group = visible_group_or_404(request, slug)
    context = group_page_context(request.user, group)
    context["tab"] = "activity"
    if not group_policies.can_read_content(request.user, group):
        return render(request, "activity/group_stream.html", context, status=403)
    page = params.paginate(request, services.group_entries(request.user, group), STREAM_PAGE)
    context["page"] = page
    context["lines"] = services.lines(page.object_list)
    return render(request, "activity/group_stream.html", context, status=params.status(request))


def _target_or_404(request, item_key, pk, purpose):
    item = registry.ITEMS.get(item_key)
    if item is None or not getattr(item, purpose):
        raise Http404
    target = registry.visible_objects(item.model, request.user).filter(pk=pk).first()
    if target is None:
        raise Http404
    return item, target


def _back(request, target_url):
    return redirect(links.local_path_or(request.POST.get("next", ""), target_url))


def _act(request, item_key, pk, purpose, actions, unknown):
    """Do the button's ``action`` (a name in ``actions``: (do(user, target, post), message))
    to the item, with its message; a refusal is a page with a reason and a 4xx."""
    item, target = _target_or_404(request, item_key, pk, purpose)
    try:
        if request.POST.get("action") not in actions:
            raise services.ActivityError(unknown, 400)
        do, message = actions[request.POST["action"]]
        do(request.user, target, request.POST)
    except services.ActivityError as error:
        return refusals.refuse(request, error, "activity/refused.html", {"back": item.url(target)})
    messages.success(request, message % {"title": item.title(target)})
    return _back(request, item.url(target))


@login_required
@require_POST
def follow(request, item_key, pk):
    """Follow, change the level of, or stop following an item: a button, no JavaScript."""
    return _act(
        request,
        item_key,
        pk,
        "followable",
        {
            "follow": (
                lambda user, target, post: services.follow(
                    user, target, post.get("level") or Follow.Level.ALL
                ),
                _("You follow %(title)s."),
            ),
            "unfollow": (
                lambda user, target, post: services.unfollow(user, target),
                _("You no longer follow %(title)s."),
            ),
        },
        _("Choose to follow or to stop following."),
    )


@login_required
@require_POST
def save(request, item_key, pk):
    """Save an item for later, or take it off the list."""
    return _act(
        request,
        item_key,
        pk,
        "bookmarkable",
        {
            "save": (
                lambda user, target, post: services.save_for_later(user, target),
                _("%(title)s is on your saved list."),
            ),
            "unsave": (
                lambda user, target, post: services.unsave(user, target),
                _("%(title)s is off your saved list."),
            ),
        },
        _("Choose to save or to take off the list."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def following(request):
    """Everything the person follows, each with its own "stop following" button; and one
    button to stop following everything at once."""
    if request.method == "POST":
        if request.POST.get("action") != "unfollow_all":
            return refusals.refuse(
                request,
                services.ActivityError(_("Choose what to stop following."), 400),
                "activity/refused.html",
                {"back": request.path},
            )
        count = services.unfollow_everything(request.user)
        messages.success(
            request, _("You no longer follow anything (%(count)s stopped).") % {"count": count}
        )
        return redirect("activity:following")
    page = params.paginate(request, Follow.objects.filter(user=request.user), LIST_PAGE)
    return render(
        request,
        "activity/following.html",
        {
            "page": page,
            "references": services.references(request.user, page.object_list),
        },
        status=params.status(request),
    )


@login_required
@require_GET
def saved(request):
    page = params.paginate(request, Bookmark.objects.filter(user=request.user), LIST_PAGE)
    return render(
        request,
        "activity/saved.html",
        {"page": page, "references": services.references(request.user, page.object_list)},
        status=params.status(request),
    )
