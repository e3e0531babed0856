"""A post: its page, the post form (new and edit), publishing and unpublishing."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.models import Membership
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals, sites
from meent.mentions import candidate_names, unreached_in_html, unreached_mentions, warn_writer

from .. import policies, services
from ..forms import (
    CommentForm,
    NewPostQuery,
    PostForm,
    ReplyForm,
)
from ..models import Comment, Post, Reaction
from ..services import BlogError, PostInput, Publish
from .common import (
    COMMENT_MAX_LENGTH,
    MAX_MENTION_NAMES,
    _group_context,
    _likes,
    _not_found,
    _post_body_limit,
    _post_context,
    refuse,
    refuse_oversized,
)


def _visible_post_or_404(request, slug):
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("author__organisation", "group"),
        slug=slug,
    )


def _readable_post_or_error(request, slug):
    """The post, or a BlogError 404 that reads the same whether it exists or is hidden."""
    post = Post.objects.select_related("author__organisation", "group").filter(slug=slug).first()
    if post is None or not access.can_view(request.user, post):
        raise _not_found()
    return post


def _mentioned(texts):
    """The people whose name follows an "@" in any of the texts, by name key: one query."""
    names = set()
    for text in texts:
        names |= candidate_names(text)
        if len(names) >= MAX_MENTION_NAMES:
            break
    if not names:
        return {}
    people = (
        get_user_model()
        .objects.filter(is_active=True, mention_key__in=list(names)[:MAX_MENTION_NAMES])
        .only("pk", "first_name", "last_name", "mention_key")
    )
    return {person.mention_key: person for person in people}


def _removed_as(post, removed):
    """Who removed each removed comment, for its tombstone: its author, an owner or admin of the
    post's group, or else a moderator (on a personal blog only moderators remove comments). One
    query, for a group post with removed comments."""
    removers = {c.removed_by_id for c in removed if c.removed_by_id != c.author_id}
    admins = set()
    if removers and post.group_id:
        admins = set(
            Membership.objects.filter(
                group_id=post.group_id, role__in=Membership.MANAGING_ROLES, user_id__in=removers
            ).values_list("user_id", flat=True)
        )
    for comment in removed:
        if comment.deleted_by_author:
            comment.removed_as = "author"
        elif comment.removed_by_id in admins:
            comment.removed_as = "group_admin"
        else:
            comment.removed_as = "moderator"


def _render_post(request, post, *, comment_form=None, reply_to=None, status=200):
    """The post page; ``reply_to``: the id of the comment whose thread gets the reply form."""
    user = request.user
    active = access.is_active_person(user)
    post_likes = Reaction.objects.filter(post=post, user__is_active=True)
    post.like_count = post_likes.count()
    liked = active and Reaction.objects.filter(post=post, user=user).exists()
    tags = list(post.tags.all())
    comments = list(
        Comment.objects.filter(post=post)
        .select_related("author__organisation")
        .annotate(like_count=_likes(comment=OuterRef("pk")))
        .order_by("created_at", "pk")
    )
    liked_comments = set()
    if active and comments:
        liked_comments = set(
            Reaction.objects.filter(user=user, comment__post=post).values_list(
                "comment_id", flat=True
            )
        )
    may_moderate = access.can_moderate(user, post)
    threads, by_pk = [], {}
    for comment in comments:
        comment.post = post  # known already: no query per comment
        by_pk[comment.pk] = comment
        comment.reply_list = []
        if comment.is_removed:
            comment.body = ""  # never shown again, whoever looks
            comment.deleted_by_author = (
                comment.removed_by_id is not None and comment.removed_by_id == comment.author_id
            )
        comment.liked = comment.pk in liked_comments
        comment.may_edit = active and not comment.is_removed and comment.author_id == user.pk
        # One's own comment has its Delete already: no second, moderator's Remove beside it.
        comment.may_remove = may_moderate and not comment.is_removed and not comment.may_edit
    _removed_as(post, [comment for comment in comments if comment.is_removed])
    for comment in comments:
        parent = by_pk.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            if not comment.is_removed:
                parent.reply_list.append(comment)
        else:
            threads.append(comment)
    # A tombstone stays only where it keeps a thread readable (it has replies one can read), so
    # the heading, which counts what one can read, never says 0 above a tombstone.
    threads = [comment for comment in threads if not comment.is_removed or comment.reply_list]
    comment_count = sum(1 for comment in comments if not comment.is_removed)
    mentions = _mentioned(comment.body for comment in comments if comment.body)

    may_comment = active and post.is_published and not (post.group_id and post.group.is_archived)
    # "Reply" without JavaScript: ?reply=<id> shows the form under that comment's thread.
    reply_thread = None
    if reply_to is None:
        reply_to = params.read(request, ReplyForm).cleaned_data.get("reply")
    reply_to = by_pk.get(reply_to) if reply_to is not None else None
    if reply_to is not None and not reply_to.is_removed:
        top = by_pk.get(reply_to.parent_id) if reply_to.parent_id else reply_to
        reply_thread = top.pk if top is not None else None
    elif reply_to is not None:
        reply_to = None
    if may_comment and comment_form is None:
        comment_form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    if comment_form is not None:
        comment_form.fields["body"].max_length = COMMENT_MAX_LENGTH
        comment_form.fields["body"].widget.attrs["maxlength"] = str(COMMENT_MAX_LENGTH)

    context = _post_context(request, post)
    context.update(
        {
            "post": post,
            "tags": tags,
            "liked": liked,
            "threads": threads,
            "comment_count": comment_count,
            "mentions": mentions,
            "may_comment": may_comment,
            "comment_form": comment_form,
            "reply_to": reply_to,
            "reply_thread": reply_thread,
            "can_edit": access.can_edit(user, post),
            "may_unpublish": post.published_at is not None
            and (access.can_edit(user, post) or may_moderate),
            "active_person": active,
        }
    )
    return render(request, "blog/post.html", context, status=params.status(request, status))


@require_GET
def post_detail(request, slug):
    post = _visible_post_or_404(request, slug)
    # A post belongs to its community: a link followed on another community's host leads there.
    return sites.redirect_to_site(request, post.community_id) or _render_post(request, post)


def _render_form(request, form, group=None, post=None, status=200):
    context = _group_context(request, group) if group is not None else {}
    if group is not None and group.files_enabled:  # the link dialog offers the group's files
        form.fields["body"].widget.attrs["data-files-url"] = reverse(
            "files:pick", args=[group.slug]
        )
    context.update({"form": form, "post": post, "group": group})
    # A chosen file cannot be kept by the browser when the form comes back with errors.
    context["cover_lost"] = bool(request.FILES.get("cover")) and status != 200
    return render(request, "blog/post_form.html", context, status=status)


def _save(request, form, *, group=None, post=None):
    """Run the service with the form's data; the response to send."""
    if not form.is_valid():
        return _render_form(request, form, group=group, post=post, status=400)
    data = form.cleaned_data
    values = PostInput(
        title=data["title"],
        body=data["body"],
        summary=data["summary"],
        tags=data["tags"],
        visibility=data.get("visibility") or Post.Visibility.PUBLIC,
        cover=data.get("cover"),
        cover_alt=data["cover_alt"],
        remove_cover=bool(data.get("remove_cover")),
        publish=data["publish"],
        publish_at=data.get("publish_at"),
    )
    site_id = sites.current_site_id(request)
    # A new post is made once per submission key (meent/idempotency.py); an edit is an edit.
    key = form.submission_key if post is None else None
    try:
        outcome = idempotency.once(
            request.user,
            key,
            lambda: services.save_post(
                request.user, values, post=post, group=group, site_id=site_id
            ),
            lambda saved: saved.get_absolute_url(),
        )
    except BlogError as error:
        refusals.on_form(form, error)
        return _render_form(request, form, group=group, post=post, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    saved = outcome.made
    if saved.is_published:
        messages.success(request, _("Your post is published."))
    elif saved.is_scheduled:
        messages.success(
            request,
            _("Your post is saved; it will be published on %(when)s.")
            % {"when": date_format(timezone.localtime(saved.published_at), "j F Y, H:i")},
        )
    else:
        messages.success(request, _("Your draft is saved. Only you can see it."))
    _tell_about_mentions(request, saved.body, saved, rich=True)
    return redirect(outcome.url)


def _tell_about_mentions(request, text, post, rich=False):
    """Say when an @mention reaches nobody, or someone who may not read the post (who is
    therefore not told): the writer would otherwise believe they were heard. ``rich``: ``text``
    is the post's HTML, whose mention links name people by id."""
    unreached = unreached_in_html if rich else unreached_mentions
    nobody, unreadable = unreached(
        text, lambda person: access.can_view(person, post), author=request.user
    )
    warn_writer(request, nobody, unreadable)


@login_required
@require_http_methods(["GET", "POST"])
@refuse_oversized(_post_body_limit)
def post_create(request):
    group = None
    # ?group= that is no slug names no group: 404, like a group one may not see.
    query = params.bind(request, NewPostQuery)
    if query.errors:
        raise Http404
    if query.cleaned_data["group"]:
        group = visible_group_or_404(request, query.cleaned_data["group"])
        if not group.blog_enabled:
            raise Http404(_("This group has no blog."))
        if not policies.may_post_in(request.user, group):
            if group.is_archived:
                error = BlogError(_("This group is archived: nothing can be posted in it."), 409)
            else:
                error = BlogError(_("Only members of the group can post in its blog."), 403)
            return refuse(request, error, _group_context(request, group))
    if not access.is_active_person(request.user):
        return refuse(request, BlogError(_("Sign in to write."), 403))
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, group=group)
        return _save(request, form, group=group)
    return _render_form(request, PostForm(group=group), group=group)


def _editable_post(request, slug):
    post = _visible_post_or_404(request, slug)
    if access.can_edit(request.user, post):
        return post, None
    if post.group_id and post.author_id == request.user.pk and post.group.is_archived:
        error = BlogError(_("This group is archived: its blog can no longer change."), 409)
    else:
        error = BlogError(_("You may not edit this post."), 403)
    return post, refuse(request, error, {**_post_context(request, post), "post": post})


@login_required
@require_http_methods(["GET", "POST"])
@refuse_oversized(_post_body_limit)
def post_edit(request, slug):
    post, refused = _editable_post(request, slug)
    if refused:
        return refused
    group = post.group
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, group=group, post=post)
        return _save(request, form, group=group, post=post)
    form = PostForm(initial=PostForm.initial_for(post), group=group, post=post)
    return _render_form(request, form, group=group, post=post)


@login_required
@require_POST
def post_publish(request, slug):
    """The preview's "Publish now": the post as it is, published from now."""
    post, refused = _editable_post(request, slug)
    if refused:
        return refused
    values = PostInput(
        title=post.title,
        body=post.body,
        summary=post.summary,
        tags=", ".join(tag.name for tag in post.tags.all()),
        visibility=post.visibility,
        cover_alt=post.cover_alt,
        publish=Publish.NOW,
    )
    try:
        post = services.save_post(request.user, values, post=post)
    except BlogError as error:
        return refuse(request, error, {**_post_context(request, post), "post": post})
    messages.success(request, _("Your post is published."))
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def post_unpublish(request, slug):
    post = _visible_post_or_404(request, slug)
    try:
        services.unpublish(request.user, post)
    except BlogError as error:
        return refuse(request, error, {**_post_context(request, post), "post": post})
    if access.can_view(request.user, post):
        messages.success(request, _("The post is a draft again: only its author can see it."))
        return redirect(post.get_absolute_url())
    messages.success(request, _("The post is unpublished: only its author can see it now."))
    if post.group_id and post.group.blog_enabled:
        return redirect("group_blog", group_slug=post.group.slug)
    return redirect("blog:list")
