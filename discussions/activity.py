"""Discussions in the activity stream (activity/registry.py): a discussion started (news, in the
digest, announced to who follows the group at "every new item"), replies to it (one person's
replies to one discussion one after another fold into one line). Discussions can be followed and
saved for later; whoever starts one or replies follows it."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import Discussion


def _told(discussion):
    # They hear of a reply from the services themselves (a conversations notification).
    from .services import conversation_ids

    return conversation_ids(discussion)


def register():
    registry.register_item(
        registry.Item(
            key="discussions.discussion",
            model=Discussion,
            label=pgettext_lazy("what can be followed", "discussion"),
            title=lambda discussion: discussion.title,
            group_id=lambda discussion: discussion.group_id,
            site_id=lambda discussion: discussion.group.site_id,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="discussions.started",
            model=Discussion,
            message=_("{actor} started the discussion {target}"),
            once=True,
            new_item=True,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="discussions.replied",
            model=Discussion,
            message=_("{actor} replied to {target}"),
            plural=_("{actor} replied {count} times to {target}"),
            folds=True,
            # Who follows the discussion only for mentions hears of a reply through the stream.
            thread=lambda discussion: discussion,
            told=_told,
            thread_message="discussions.followed_reply",
            select_related=("group",),
        )
    )
