"""Chat messages in search (see search/registry.py).

A message is found by the people who may read its room: a group room's members, a direct
conversation's participants (chat/policies.py: a message's labels are its room's). Deleted
messages leave the index; an edit re-indexes. Sending a message costs one outbox row.
"""

from django.db.models import Prefetch
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Message, Participant, Room


def room_title(room) -> str:
    if room.kind == Room.Kind.GROUP and room.group is not None:
        return room.group.name
    people = getattr(room, "search_people", None)
    if people is None:
        people = list(room.participants.select_related("user"))
    return ", ".join(sorted(p.user.display_name for p in people if p.user is not None))


def _remember_participants(room):
    """Fill chat/policies.py's cache of a direct room's people from the prefetched rows, so that
    a batch of messages costs no query per message for its labels."""
    people = getattr(room, "search_people", None)
    if people is not None and getattr(room, "_participant_ids", None) is None:
        room._participant_ids = frozenset(p.user_id for p in people)


@register
class MessageDocument(SearchDocument):
    model = Message
    type_name = "chat_message"
    type_label = _("Chat messages")
    # Marking as read, or anything else, does not touch these.
    watch_fields = frozenset({"body", "edited_at", "deleted_at", "hidden_at", "room", "room_id"})

    def get_queryset(self):
        # The people of direct rooms only: a group room's participant rows are its readers.
        direct = Participant.objects.filter(room__kind=Room.Kind.DIRECT).select_related("user")
        return Message.objects.select_related("room", "room__group").prefetch_related(
            Prefetch("room__participants", queryset=direct, to_attr="search_people")
        )

    def should_index(self, message):
        return message.deleted_at is None and message.hidden_at is None

    def prepare_title(self, message):
        return ""  # a message has no title of its own

    def prepare_context(self, message):
        # The room's name is shown with the message, but ranks below what the message says: a
        # room named after a subject must not put its every message above the documents on it.
        return room_title(message.room)

    def prepare_access(self, message):
        _remember_participants(message.room)
        return super().prepare_access(message)

    def prepare_body(self, message):
        return message.body

    def prepare_url(self, message):
        return f"{message.room.get_absolute_url()}#m{message.seq}"

    def prepare_group_id(self, message):
        return message.room.group_id

    def prepare_site_id(self, message):
        return message.room.group.site_id if message.room.group_id else None

    def prepare_author_id(self, message):
        return message.author_id

    def prepare_date(self, message):
        return message.created_at


@receiver(part_switched, dispatch_uid="chat_search_part_switched")
def chat_switched(sender, group, part, **kwargs):
    """The group's chat switched off or on: its room's messages leave search or come back."""
    if part == "chat":
        messages = Message.objects.filter(room__group_id=group.pk).values_list("pk", flat=True)
        queue_ids(MessageDocument.type_name, list(messages))
