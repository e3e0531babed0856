"""A group's pages are served on its own community's host name.

A link to a group can reach the wrong community (a notification, a search hit, a bookmark): a
GET there is redirected to the same path on the group's own site. The lookup is cached per slug
and dropped when the group is saved. A hidden group is only redirected for its members, so that
the redirect does not tell others that it exists; everyone else gets what the view gives (404).
"""

import re

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from meent import access, sites

GROUP_PATH = re.compile(r"^/groups/(?P<slug>[-a-zA-Z0-9_]+)/")
NOT_A_GROUP = frozenset({"new", "invitations"})
TIMEOUT = 3600
MISSING = (0, 0, False)


def _key(slug):
    return f"groups:site:{slug}"


def group_place(slug):
    """(site id, group id, hidden) of the group with this slug; MISSING when there is none."""
    from groups.models import Group

    place = cache.get(_key(slug))
    if place is None:
        row = Group.objects.filter(slug=slug).values_list("site_id", "pk", "visibility").first()
        place = (row[0] or 0, row[1], row[2] == Group.Visibility.HIDDEN) if row else MISSING
        cache.set(_key(slug), place, TIMEOUT)
    return tuple(place)


class GroupSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self.redirect_for(request)
        return redirect or self.get_response(request)

    def redirect_for(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        match = GROUP_PATH.match(request.path_info)
        if not match or match["slug"] in NOT_A_GROUP:
            return None
        site_id, group_id, hidden = group_place(match["slug"])
        if not site_id:
            return None  # no such group, or one whose site was deleted (the default site's)
        if site_id == sites.current_site(request)["id"]:
            return None
        if hidden and group_id not in access.member_group_ids(request.user):
            return None
        return sites.redirect_to_site(request, site_id)


def _forget(sender, instance, **kwargs):
    cache.delete(_key(instance.slug))


def connect_signals():
    from groups.models import Group

    post_save.connect(_forget, sender=Group, dispatch_uid="groups_site_forget")
    post_delete.connect(_forget, sender=Group, dispatch_uid="groups_site_forget_delete")
