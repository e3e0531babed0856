"""The blogs over HTTP: lists, posts, the post form, comments and likes.

Every visibility question goes to the access policy (blog/policies.py through meent/access.py);
every change goes through blog/services.py, whose ``BlogError`` becomes a form error or a message
on a 4xx page. Lists and post pages load in a fixed number of queries, however many posts,
comments and likes there are.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.models import Group, Membership
from groups.views import visible_group_or_404
from meent import access, params, refusals, sites
from meent.accounts.models import Organisation
from meent.mentions import candidate_names, unreached_in_html, unreached_mentions, warn_writer

from . import policies, services
from .forms import (
    CommentForm,
    NewPostQuery,
    PostFilterForm,
    PostForm,
    RemoveCommentForm,
    ReplyForm,
)
from .models import Comment, Post, Reaction, Tag
from .services import BlogError, PostInput, Publish

POSTS_PER_PAGE = 20
LIKES_PER_PAGE = 100
MAX_MENTION_NAMES = 1000
COMMENT_MAX_LENGTH = 5000


# ---------------------------------------------------------------------------------------------
# Helpers


def _count(queryset, column):
    """A correlated COUNT(*) for an annotation: no join, so counts never multiply each other."""
    counted = queryset.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _likes(**outer):
    return _count(Reaction.objects.filter(user__is_active=True, **outer), next(iter(outer)))


def listed(posts):
    """Posts with everything a list shows, in one query (plus one for all their tags)."""
    return (
        posts.select_related("author__organisation", "group")
        .defer("body")  # up to half a million characters each, and lists never show it
        .annotate(
            comment_count=_count(
                Comment.objects.filter(post=OuterRef("pk"), removed_at__isnull=True), "post"
            ),
            like_count=_likes(post=OuterRef("pk")),
        )
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )


def _paginate(request, queryset, per_page=POSTS_PER_PAGE):
    # A page number that is not one is a 400 with a message (the view's status comes from
    # params.status); one beyond the end is the last page.
    return params.paginate(request, queryset, per_page)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _group_context(request, group):
    context = group_page_context(request.user, group)
    context["tab"] = "blog"
    return context


def _post_context(request, post):
    """The group header and tabs for a group post; nothing for a personal one."""
    if post is not None and post.group_id:
        return _group_context(request, post.group)
    return {}


def refuse(request, error, context=None, template="blog/refused.html"):
    return refusals.refuse(request, error, template, context)


def _not_found():
    return BlogError(_("This post does not exist or you may not see it."), 404)


def _apply_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def refuse_oversized(limit):
    """Answer 413 with a page that explains the limit when a POST is larger than Django reads
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``): Django itself would answer a bare 400.

    The CSRF middleware reads the form first, so the view is exempt from it and checks the token
    itself once the form could be read; a request refused for its size changes nothing.
    ``limit``: the number of characters the text may have, for the page.
    """

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    request.POST  # noqa: B018 (reading it is the point)
                except RequestDataTooBig:
                    messages.error(request, _("The text is too long: nothing was saved."))
                    context = {
                        "limit": limit() if callable(limit) else limit,
                        "request_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                    }
                    return render(request, "blog/too_big.html", context, status=413)
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator


def _post_body_limit():
    return settings.MEENT_BLOG_MAX_BODY


# ---------------------------------------------------------------------------------------------
# Lists


FILTERS = ("tag", "group", "organisation", "author")


def _filter_choices(user, readable):
    """What the filter form offers: only tags, groups, organisations and people that occur in
    posts this person may read, so that the choices reveal nothing else."""
    tags = list(
        Tag.objects.filter(posts__in=readable)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    groups = list(
        Group.objects.visible_to(user)
        .filter(blog_posts__in=readable)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    organisations = list(
        Organisation.objects.filter(members__blog_posts__in=readable)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    authors = [
        (str(person.pk), person.display_name)
        for person in get_user_model()
        .objects.filter(blog_posts__in=readable)
        .distinct()
        .only("pk", "first_name", "last_name", "email")
        .order_by("first_name", "last_name", "email")
    ]
    return {"tag": tags, "group": groups, "organisation": organisations, "author": authors}


def _filter_labels():
    return {
        "tag": _("Tag"),
        "group": _("Group"),
        "organisation": _("Organisation"),
        "author": _("Author"),
    }


@require_GET
def post_list(request):
    # This community's posts: its groups' blogs and the personal posts written on it.
    readable = (
        Post.objects.visible_to(request.user).published().on_site(sites.current_site(request))
    )
    posts = readable
    # A malformed filter is left out, with a message and a 400 (meent/params.py).
    query = params.read(request, PostFilterForm).cleaned_data
    chosen = {name: str(query.get(name) or "") for name in FILTERS}
    if chosen["tag"]:
        posts = posts.filter(tags__slug=chosen["tag"])
    if chosen["group"]:
        posts = posts.filter(group__slug=chosen["group"])
    if chosen["organisation"]:
        posts = posts.filter(author__organisation__slug=chosen["organisation"])
    if chosen["author"]:
        posts = posts.filter(author_id=query["author"])
    choices = _filter_choices(request.user, readable)
    labels = _filter_labels()
    active = []
    for name in FILTERS:
        if not chosen[name]:
            continue
        shown = dict(choices[name]).get(chosen[name], chosen[name])
        rest = {key: value for key, value in chosen.items() if value and key != name}
        remove_url = reverse("blog:list") + (f"?{urlencode(rest)}" if rest else "")
        active.append({"label": labels[name], "value": shown, "remove_url": remove_url})
    fields = [
        {
            "name": name,
            "label": labels[name],
            "choices": choices[name],
            "value": chosen[name],
        }
        for name in FILTERS
    ]
    tag = None
    if chosen["tag"] and chosen["tag"] in dict(choices["tag"]):
        tag = {"slug": chosen["tag"], "name": dict(choices["tag"])[chosen["tag"]]}
    page = _paginate(request, listed(posts))
    context = {
        "page_obj": page,
        "query": _query_without_page(request),
        "filter_fields": fields,
        "active_filters": active,
        "tag": tag,
        "may_write": access.is_active_person(request.user),
    }
    return render(request, "blog/list.html", context, status=params.status(request))


@require_GET
def group_blog(request, group_slug):
    group = visible_group_or_404(request, group_slug)
    if not group.blog_enabled:
        raise Http404(_("This group has no blog."))
    posts = Post.objects.visible_to(request.user).published().filter(group=group)
    page = _paginate(request, listed(posts))
    context = _group_context(request, group)
    context.update(
        {
            "page_obj": page,
            "query": _query_without_page(request),
            "may_post": policies.may_post_in(request.user, group),
        }
    )
    return render(request, "blog/group_blog.html", context, status=params.status(request))


@require_GET
def person_blog(request, person_id):
    person = get_object_or_404(
        get_user_model().objects.filter(is_active=True).select_related("organisation"),
        pk=person_id,
    )
    # A person's posts on this community (people are shared, what they write is not).
    posts = (
        Post.objects.visible_to(request.user)
        .published()
        .filter(author=person)
        .on_site(sites.current_site(request))
    )
    page = _paginate(request, listed(posts))
    own = access.is_active_person(request.user) and request.user.pk == person.pk
    unpublished = []
    if own:
        unpublished = list(
            listed(
                Post.objects.filter(author=person).filter(
                    Q(published_at__isnull=True) | Q(published_at__gt=timezone.now())
                )
            ).order_by(F("published_at").asc(nulls_first=True), "-updated_at")
        )
    context = {
        "person": person,
        "page_obj": page,
        "query": _query_without_page(request),
        "own": own,
        "unpublished": unpublished,
    }
    return render(request, "blog/person_blog.html", context, status=params.status(request))


# ---------------------------------------------------------------------------------------------
# A post and its comments


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


# ---------------------------------------------------------------------------------------------
# Writing


def _render_form(request, form, group=None, post=None, status=200):
    context = _group_context(request, group) if group is not None else {}
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
    try:
        saved = services.save_post(
            request.user, values, post=post, group=group, site_id=sites.current_site_id(request)
        )
    except BlogError as error:
        _apply_error(form, error)
        return _render_form(request, form, group=group, post=post, status=error.status)
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
    return redirect(saved.get_absolute_url())


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


# ---------------------------------------------------------------------------------------------
# Comments


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
        comment = services.add_comment(request.user, post, form.cleaned_data["body"], parent)
    except BlogError as error:
        if error.field:
            _apply_error(form, error)
            return _render_post(
                request, post, comment_form=form, reply_to=reply_to, status=error.status
            )
        return _refuse_for_post(request, error, post)
    messages.success(request, _("Your comment is posted."))
    _tell_about_mentions(request, comment.body, post)
    return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")


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
                _apply_error(form, error)
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


@require_GET
def comment_likes(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    if comment.is_removed:
        raise Http404(_("This comment was removed."))
    reactions = Reaction.objects.filter(comment=comment, user__is_active=True)
    context = _post_context(request, comment.post)
    context.update(_likes_context(request, reactions, post=comment.post, comment=comment))
    return render(request, "blog/likes.html", context, status=params.status(request))


# ---------------------------------------------------------------------------------------------
# Likes


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
