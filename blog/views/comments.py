"""Comments: adding, editing, deleting one's own, and removing by a group's admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meent import access, idempotency, refusals

from .. import services
from ..forms import (
    CommentForm,
    RemoveCommentForm,
)
from ..models import Comment
from ..services import BlogError
from .common import COMMENT_MAX_LENGTH, _post_context, refuse, refuse_oversized
from .posts import _readable_post_or_error, _render_post, _tell_about_mentions


def _comment_or_404(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related(
            "author", "post__author__organisation", "post__group"
        ),
        pk=comment_id,
    )
    return comment


def _refuse_for_post(request, error, post):
    context = {}
    if post is not None and access.can_view(request.user, post):
        context = {**_post_context(request, post), "post": post}
    return refuse(request, error, context)


@login_required
@require_POST
@refuse_oversized(COMMENT_MAX_LENGTH)
def comment_add(request, slug):
    try:
        post = _readable_post_or_error(request, slug)
    except BlogError as error:
        return refuse(request, error)
    form = CommentForm(request.POST)
    raw_parent = request.POST.get("parent", "")
    parent = None
    if raw_parent:
        if raw_parent.isdigit():
            parent = Comment.objects.select_related("parent").filter(pk=raw_parent, post=post)
            parent = parent.first()
        if parent is None:
            form.add_error(None, _("You can only reply to a comment on this post."))
    reply_to = parent.pk if parent is not None else None
    if not form.is_valid():
        return _render_post(request, post, comment_form=form, reply_to=reply_to, status=400)
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.add_comment(request.user, post, form.cleaned_data["body"], parent),
            lambda comment: f"{post.get_absolute_url()}#comment-{comment.pk}",
        )
    except BlogError as error:
        if error.field:
            refusals.on_form(form, error)
            return _render_post(
                request, post, comment_form=form, reply_to=reply_to, status=error.status
            )
        return _refuse_for_post(request, error, post)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(request, _("Your comment is posted."))
    _tell_about_mentions(request, outcome.made.body, post)
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_oversized(COMMENT_MAX_LENGTH)
def comment_edit(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    post = comment.post
    if not access.can_edit(request.user, comment):
        error = BlogError(_("You can only edit your own comments."), 403)
        return _refuse_for_post(request, error, post)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(request.user, comment, form.cleaned_data["body"])
            except BlogError as error:
                refusals.on_form(form, error)
                status = error.status
            else:
                messages.success(request, _("Your comment is updated."))
                return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
        else:
            status = 400
    else:
        form = CommentForm(initial={"body": comment.body})
    del form.fields["parent"]
    form.fields["body"].widget.attrs["maxlength"] = str(COMMENT_MAX_LENGTH)
    context = {**_post_context(request, post), "post": post, "comment": comment, "form": form}
    return render(request, "blog/comment_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    post = comment.post
    if not access.can_edit(request.user, comment):
        error = BlogError(_("You can only delete your own comments."), 403)
        return _refuse_for_post(request, error, post)
    if request.method == "POST":
        services.delete_comment(request.user, comment)
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    context = {**_post_context(request, post), "post": post, "comment": comment}
    return render(request, "blog/comment_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_oversized(300)
def comment_remove(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    post = comment.post
    if not access.can_moderate(request.user, comment):
        error = BlogError(_("You may not remove this comment."), 403)
        return _refuse_for_post(request, error, post)
    if comment.is_removed:
        error = BlogError(_("This comment was already removed."), 409)
        return _refuse_for_post(request, error, post)
    status = 200
    if request.method == "POST":
        form = RemoveCommentForm(request.POST)
        if form.is_valid():
            try:
                services.remove_comment(request.user, comment, form.cleaned_data["reason"])
            except BlogError as error:
                return _refuse_for_post(request, error, post)
            messages.success(request, _("The comment is removed; its author is told why."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
        status = 400
    else:
        form = RemoveCommentForm()
    context = {**_post_context(request, post), "post": post, "comment": comment, "form": form}
    return render(request, "blog/comment_remove.html", context, status=status)
