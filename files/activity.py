"""Group files in the activity stream (activity/registry.py): a file added (announced to who
follows the group at "every new item"), a new version uploaded (one person's versions of a file
one after another fold into one line; who follows the file hears of it). Files can be followed
and saved for later."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import GroupFile


def register():
    registry.register_item(
        registry.Item(
            key="files.file",
            model=GroupFile,
            label=pgettext_lazy("what can be followed", "file"),
            title=lambda file: file.name,
            group_id=lambda file: file.group_id,
            site_id=lambda file: file.group.site_id,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="files.uploaded",
            model=GroupFile,
            message=_("{actor} added {target}"),
            new_item=True,
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="files.version",
            model=GroupFile,
            message=_("{actor} uploaded a new version of {target}"),
            plural=_("{actor} uploaded {count} new versions of {target}"),
            folds=True,
            # Who follows the file hears of a new version (the services announce it).
            thread=lambda file: file,
            thread_message="activity.new_version",
            select_related=("group",),
        )
    )
