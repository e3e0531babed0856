"""Groups and what happens to them, in the stream. Groups sit below this app and do not know
it: their own log (``groups.Activity``, written by groups/services.py) is mirrored here, one
line per row, and each line is read under that row's access policy (who is in a group follows
the members tab)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import Activity, Group

from . import registry

VERB_MESSAGES = {
    Activity.Verb.CREATED: _("{actor} created the group {target}"),
    Activity.Verb.JOINED: _("{actor} joined {target}"),
    Activity.Verb.LEFT: _("{actor} left {target}"),
    Activity.Verb.REMOVED: _("{actor} removed {subject} from {target}"),
    Activity.Verb.ROLE: _("{actor} changed the role of {subject} in {target}"),
    Activity.Verb.EDITED: _("{actor} edited the description of {target}"),
    Activity.Verb.ARCHIVED: _("{actor} archived {target}"),
    Activity.Verb.UNARCHIVED: _("{actor} reopened {target}"),
    Activity.Verb.OWNERSHIP: _("{subject} became an owner of {target}"),
}
# Who joined is news for the members; the rest is the group's own business, in its stream.
NEWS = {Activity.Verb.CREATED, Activity.Verb.JOINED}


def register():
    registry.register_item(
        registry.Item(
            key="groups.group",
            model=Group,
            label=pgettext_lazy("what can be followed", "group"),
            title=lambda group: group.name,
            group_id=lambda group: group.pk,
            site_id=lambda group: group.site_id,
            bookmarkable=False,
        )
    )
    registry.register_item(
        registry.Item(
            key="accounts.user",
            model=get_user_model(),
            label=pgettext_lazy("what can be followed", "person"),
            title=lambda person: person.display_name,
            group_id=lambda person: None,
            site_id=lambda person: None,
            bookmarkable=False,
        )
    )
    for verb, message in VERB_MESSAGES.items():
        registry.register_kind(
            registry.Kind(
                key=f"groups.{verb}",
                model=Activity,
                message=message,
                news=verb in NEWS,
                digest=False,
                display=lambda activity: activity.group,
                subject=lambda activity: activity.subject,
                select_related=("group", "subject"),
            )
        )
    post_save.connect(_mirror, sender=Activity, dispatch_uid="activity-mirror-groups")


def _mirror(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from . import services

        services.record(f"groups.{instance.verb}", instance, instance.actor, at=instance.created_at)
