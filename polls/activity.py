"""Polls in the activity stream (activity/registry.py): a poll asked (news, in the digest, and
announced to who follows the group at "every new item"); polls can be followed and saved."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import Poll


def register():
    registry.register_item(
        registry.Item(
            key="polls.poll",
            model=Poll,
            label=pgettext_lazy("what can be followed", "poll"),
            title=lambda poll: poll.question,
            group_id=lambda poll: poll.group_id,
            site_id=lambda poll: poll.group.site_id,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="polls.created",
            model=Poll,
            message=_("{actor} asked {target}"),
            once=True,
            new_item=True,
            select_related=("group",),
        )
    )
