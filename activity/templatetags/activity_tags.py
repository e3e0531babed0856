"""Follow and save buttons, a group's latest lines, and the signed-in start page."""

from django import template

from groups.models import Membership
from meent import access, sites

from .. import registry, services
from ..models import Follow

register = template.Library()

GROUP_HOME_LINES = 8
START_LINES = 20


@register.inclusion_tag("activity/_follow.html", takes_context=True)
def follow_button(context, target):
    request = context["request"]
    user = request.user
    item = registry.item_for(target)
    state = {"shown": False}
    if item is None or not item.followable or not access.is_active_person(user):
        return {"follow_state": state, "request": request}
    if item.key == "accounts.user" and target.pk == user.pk:
        return {"follow_state": state, "request": request}
    follow = services.follow_of(user, target)
    is_group = item.key == "groups.group"
    is_member = is_group and target.pk in access.member_group_ids(user)
    level = follow.level if follow else (Follow.Level.MENTIONS if is_member else Follow.Level.ALL)
    state.update(
        shown=True,
        item_key=item.key,
        pk=target.pk,
        follow=follow,
        is_member=is_member,
        levels=Follow.Level.choices if is_group else None,
        level=level,
    )
    return {"follow_state": state, "request": request}


@register.inclusion_tag("activity/_save.html", takes_context=True)
def save_button(context, target):
    request = context["request"]
    user = request.user
    item = registry.item_for(target)
    state = {"shown": False}
    if item is not None and item.bookmarkable and access.is_active_person(user):
        state.update(
            shown=True, item_key=item.key, pk=target.pk, saved=services.is_saved(user, target)
        )
    return {"save_state": state, "request": request}


@register.simple_tag(takes_context=True)
def group_lines(context, group, limit=GROUP_HOME_LINES):
    """The newest lines of ``group``'s stream that the reader may see."""
    user = context["request"].user
    return services.lines(services.group_entries(user, group)[:limit])


@register.inclusion_tag("activity/_start.html", takes_context=True)
def start_page(context):
    """What is new for the signed-in person in this community, and their groups with what is
    unread in each."""
    request = context["request"]
    user = request.user
    site = sites.current_site(request)
    previous_visit = services.start_visit(user, site["id"])
    group_ids, _all = services.followed_group_ids(user)
    news = services.lines(
        services.news_entries(user, site, group_ids=group_ids)[:START_LINES],
        new_after=previous_visit,
    )
    memberships = list(
        Membership.objects.filter(user=user, group__in=_on_site(site))
        .select_related("group")
        .order_by("-group__last_activity_at")
    )
    unread = services.unread_counts(user, memberships)
    return {
        "request": request,
        "user": user,
        "news": news,
        "new_count": sum(1 for line in news if line.is_new),
        "memberships": [(m, unread.get(m.group_id, 0)) for m in memberships],
    }


def _on_site(site):
    from groups.models import Group

    return Group.objects.on_site(site)
