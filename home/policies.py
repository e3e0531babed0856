"""The access policy's rule for CMS pages (Wagtail pages: home, toolbox; see meent/access.py).

A live page is public unless Wagtail restricts who may view it (on the page or an ancestor): a
"signed-in people" restriction makes it ``logged_in``; a password or a Wagtail-group restriction
keeps it out of everything the policy answers for (search included), since labels cannot express
them. Editing is Wagtail's own page permissions, in the admin.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from meent import access


def _restrictions(page):
    return list(page.get_view_restrictions().values_list("restriction_type", flat=True))


@access.register(Page)
class PagePolicy(access.Policy):
    def labels(self, page):
        if not page.live:
            return frozenset()
        kinds = set(_restrictions(page))
        if not kinds:
            return frozenset({access.PUBLIC})
        if kinds == {PageViewRestriction.LOGIN}:
            return frozenset({access.LOGGED_IN})
        return frozenset()

    def visible_q(self, user):
        signed_in = access.is_active_person(user)
        q = Q(live=True)
        for path, kind in PageViewRestriction.objects.values_list("page__path", "restriction_type"):
            if kind == PageViewRestriction.LOGIN and signed_in:
                continue
            q &= ~Q(path__startswith=path)
        return q
