"""The lists of posts: the community's blog with its filters, a group's blog, a person's blog."""

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from groups.models import Group
from groups.views import visible_group_or_404
from meent import access, params, sites

from .. import policies
from ..forms import (
    PostFilterForm,
)
from ..models import Post, Tag
from .common import _group_context, _paginate, _query_without_page, listed

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
