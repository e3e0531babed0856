"""What reporting a chat message means (moderation/targets.py)."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from moderation.models import Kind
from moderation.targets import EXCERPT_LENGTH, Target, register

from .services import serialize


@register
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
