"""What the blog's views share: pagination, likes and counts, refusals, the size check."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from groups.context import group_page_context
from meent import params, refusals

from ..models import Comment, Reaction
from ..services import BlogError

POSTS_PER_PAGE = 20


LIKES_PER_PAGE = 100


MAX_MENTION_NAMES = 1000


COMMENT_MAX_LENGTH = 5000


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
