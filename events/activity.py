"""Events in the activity stream (activity/registry.py): an event organised; events can be
followed and saved for later."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import Event


def register():
    registry.register_item(
        registry.Item(
            key="events.event",
            model=Event,
            label=pgettext_lazy("what can be followed", "event"),
            title=lambda event: event.title,
            group_id=lambda event: event.group_id,
            site_id=lambda event: event.community_id,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="events.created",
            model=Event,
            message=_("{actor} organises {target}"),
            once=True,
            new_item=True,
            select_related=("group",),
        )
    )
