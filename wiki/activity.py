"""Wikis in the activity stream (activity/registry.py): a page created, a page edited (one
person's edits one after another fold into one line). Pages are watched in the wiki itself
(WikiWatch), so they are saved for later here, not followed."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import WikiPage


def register():
    registry.register_item(
        registry.Item(
            key="wiki.page",
            model=WikiPage,
            label=pgettext_lazy("what can be followed", "wiki page"),
            title=lambda page: page.title,
            group_id=lambda page: page.group_id,
            site_id=lambda page: page.group.site_id,
            followable=False,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="wiki.created",
            model=WikiPage,
            message=_("{actor} created the wiki page {target}"),
            new_item=True,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="wiki.edited",
            model=WikiPage,
            message=_("{actor} edited {target}"),
            plural=_("{actor} edited {target} {count} times"),
            folds=True,
            select_related=("group",),
        )
    )
