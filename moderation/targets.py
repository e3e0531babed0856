"""What can be reported, and what hiding or deleting each kind of thing means.

One ``Target`` per kind: how to find the object, describe it for the queue (title, excerpt, link),
whose it is, which group's admins handle it first, and how a moderator hides or deletes it.
Hiding is reversible by an operator and keeps the text for the record; deleting removes it.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from meent import access

from .models import Kind, Report, describe

EXCERPT_LENGTH = 1500


def _plain(html: str) -> str:
    return Truncator(" ".join(strip_tags(html or "").split())).chars(EXCERPT_LENGTH)


class Target:
    kind: str
    model_label: str
    # What a moderator may do with this kind (besides dismiss, warn and suspend).
    can_hide = True
    can_delete = True

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def get(self, object_id):
        return self.queryset().filter(pk=object_id).first()

    def queryset(self):
        return self.model._default_manager.all()

    def subject(self, obj) -> dict:
        """What the report is about, as stored: a key of ``models.DESCRIPTIONS`` and its plain
        values, so that every reader sees it described in their own language."""
        raise NotImplementedError

    def title(self, obj) -> str:
        """The subject described in the active language."""
        return describe(self.subject(obj))

    def excerpt(self, obj) -> str:
        return ""

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def author(self, obj):
        raise NotImplementedError

    def group(self, obj):
        return None

    def is_hidden(self, obj) -> bool:
        return getattr(obj, "hidden_at", None) is not None

    def hide(self, obj, moderator, reason):
        obj.hidden_at = timezone.now()
        obj.save(update_fields=["hidden_at"])

    def delete(self, obj, moderator, reason):
        obj.delete()


class PostTarget(Target):
    kind = Kind.POST
    model_label = "blog.Post"

    def queryset(self):
        return super().queryset().select_related("author", "group")

    def subject(self, obj):
        return {"key": "post", "title": obj.title}

    def excerpt(self, obj):
        return _plain(f"{obj.summary} {obj.body}")

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.group


class CommentTarget(Target):
    kind = Kind.COMMENT
    model_label = "blog.Comment"

    def queryset(self):
        return super().queryset().select_related("author", "post", "post__group")

    def subject(self, obj):
        return {"key": "comment", "title": obj.post.title}

    def excerpt(self, obj):
        return _plain(obj.body)

    def url(self, obj):
        return f"{obj.post.get_absolute_url()}#comment-{obj.pk}"

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.post.group

    def is_hidden(self, obj):
        return obj.is_removed

    def hide(self, obj, moderator, reason):
        # The comment's tombstone says a moderator removed it; replies keep their context.
        obj.removed_at = timezone.now()
        obj.removed_by = moderator
        obj.removal_reason = reason[:300]
        obj.save(update_fields=["removed_at", "removed_by", "removal_reason"])

    def delete(self, obj, moderator, reason):
        # A tombstone stays for the replies; the words are gone.
        obj.body = ""
        obj.removed_at = obj.removed_at or timezone.now()
        obj.removed_by = moderator
        obj.removal_reason = reason[:300]
        obj.save(update_fields=["body", "removed_at", "removed_by", "removal_reason"])


class WikiPageTarget(Target):
    kind = Kind.WIKI_PAGE
    model_label = "wiki.WikiPage"

    def queryset(self):
        return super().queryset().select_related("group", "updated_by", "created_by")

    def subject(self, obj):
        return {"key": "wiki_page", "title": obj.title, "group": obj.group.name}

    def excerpt(self, obj):
        return _plain(obj.body)

    def author(self, obj):
        # The last person who changed it wrote what is there now.
        return obj.updated_by or obj.created_by

    def group(self, obj):
        return obj.group

    def delete(self, obj, moderator, reason):
        from wiki.models import WikiPage

        # Subpages move up to the deleted page's parent, so nothing else disappears.
        WikiPage.objects.filter(parent=obj).update(parent=obj.parent)
        obj.delete()


class ChatMessageTarget(Target):
    kind = Kind.CHAT_MESSAGE
    model_label = "chat.Message"

    def queryset(self):
        return super().queryset().select_related("author", "room", "room__group")

    def subject(self, obj):
        if obj.room.group_id:
            return {"key": "chat_message", "group": obj.room.group.name}
        return {"key": "chat_message_direct"}

    def excerpt(self, obj):
        return Truncator(obj.body).chars(EXCERPT_LENGTH)

    def url(self, obj):
        return f"{obj.room.get_absolute_url()}#m{obj.seq}"

    def author(self, obj):
        return obj.author

    def group(self, obj):
        return obj.room.group

    def hide(self, obj, moderator, reason):
        super().hide(obj, moderator, reason)
        _tell_room(obj)

    def delete(self, obj, moderator, reason):
        # The row keeps its place in the room's sequence; its words are gone.
        obj.body = ""
        obj.deleted_at = timezone.now()
        obj.save(update_fields=["body", "deleted_at"])
        _tell_room(obj)


def _tell_room(message):
    """Open chat pages replace the message at once (the history already serves it hidden)."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from django.db import transaction

    from chat.services import serialize

    payload = serialize(message)
    layer = get_channel_layer()
    if layer is None:
        return

    def send():
        async_to_sync(layer.group_send)(
            f"chat.room.{message.room_id}", {"type": "chat.update", "message": payload}
        )

    # robust: the channel layer being away must not undo a decision that has committed.
    transaction.on_commit(send, robust=True)


class GroupTarget(Target):
    kind = Kind.GROUP
    model_label = "groups.Group"

    def subject(self, obj):
        return {"key": "group", "name": obj.name}

    def excerpt(self, obj):
        return _plain(obj.description)

    def author(self, obj):
        from groups.models import Membership

        owner = (
            Membership.objects.filter(group=obj, role=Membership.Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return owner.user if owner else obj.created_by

    def is_hidden(self, obj):
        return obj.is_archived and obj.is_hidden

    def hide(self, obj, moderator, reason):
        # Out of sight for everyone but its members, and read-only while it is looked into.
        obj.visibility = obj.Visibility.HIDDEN
        obj.is_archived = True
        obj.archived_at = obj.archived_at or timezone.now()
        obj.save(update_fields=["visibility", "is_archived", "archived_at"])


class ProfileTarget(Target):
    kind = Kind.PROFILE
    model_label = "accounts.User"
    can_delete = False

    def queryset(self):
        return super().queryset().select_related("organisation")

    def subject(self, obj):
        return {"key": "profile", "person": obj.display_name}

    def excerpt(self, obj):
        return _plain("\n".join(part for part in (obj.job_title, obj.about) if part))

    def author(self, obj):
        return obj

    def is_hidden(self, obj):
        return obj.profile_hidden_at is not None

    def hide(self, obj, moderator, reason):
        obj.profile_hidden_at = timezone.now()
        obj.save(update_fields=["profile_hidden_at"])


TARGETS: dict[str, Target] = {
    target.kind: target
    for target in (
        PostTarget(),
        CommentTarget(),
        WikiPageTarget(),
        ChatMessageTarget(),
        GroupTarget(),
        ProfileTarget(),
    )
}


def target_for(kind: str) -> Target | None:
    return TARGETS.get(kind)


def target_of_report(report: Report) -> Target:
    return TARGETS[report.kind]


def may_report(user, obj) -> bool:
    """Signed in, may see it, and it is not their own."""
    if not access.is_active_person(user) or not access.can_view(user, obj):
        return False
    return not (isinstance(obj, type(user)) and obj.pk == user.pk)
