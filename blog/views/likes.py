"""Likes on posts and comments, and who liked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meent import access, params

from .. import services
from ..models import Comment, Reaction
from ..services import BlogError
from .comments import _comment_or_404, _refuse_for_post
from .common import (
    LIKES_PER_PAGE,
    _not_found,
    _paginate,
    _post_context,
    _query_without_page,
    refuse,
)
from .posts import _readable_post_or_error, _visible_post_or_404


@require_GET
def post_likes(request, slug):
    post = _visible_post_or_404(request, slug)
    reactions = Reaction.objects.filter(post=post, user__is_active=True)
    context = _post_context(request, post)
    context.update(_likes_context(request, reactions, post=post))
    return render(request, "blog/likes.html", context, status=params.status(request))


def _likes_context(request, reactions, **extra):
    page = _paginate(
        request,
        reactions.select_related("user__organisation").order_by("created_at", "pk"),
        LIKES_PER_PAGE,
    )
    return {"page_obj": page, "query": _query_without_page(request), **extra}


@require_GET
def comment_likes(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    if comment.is_removed:
        raise Http404(_("This comment was removed."))
    reactions = Reaction.objects.filter(comment=comment, user__is_active=True)
    context = _post_context(request, comment.post)
    context.update(_likes_context(request, reactions, post=comment.post, comment=comment))
    return render(request, "blog/likes.html", context, status=params.status(request))


def _toggle_like(request, shown_on, anchor, **target):
    """``like=1`` likes, ``like=0`` takes the like back; liking twice is refused (409)."""
    try:
        if request.POST.get("like") == "0":
            services.unreact(request.user, **target)
            messages.success(request, _("You no longer like this."))
        else:
            services.react(request.user, **target)
            messages.success(request, _("You like this."))
    except BlogError as error:
        return _refuse_for_post(request, error, shown_on)
    return redirect(f"{shown_on.get_absolute_url()}#{anchor}")


@login_required
@require_POST
def post_like(request, slug):
    try:
        post = _readable_post_or_error(request, slug)
    except BlogError as error:
        return refuse(request, error)
    return _toggle_like(request, post, "likes", post=post)


@login_required
@require_POST
def comment_like(request, comment_id):
    comment = (
        Comment.objects.select_related("post__author__organisation", "post__group")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or not access.can_view(request.user, comment.post):
        return refuse(request, _not_found())
    return _toggle_like(request, comment.post, f"comment-{comment.pk}", comment=comment)
