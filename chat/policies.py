"""Who may see and use a chat room (see meent/access.py).

A group room belongs to the group's members while the group's chat is switched on; with it off,
the room and its messages are read by nobody, on any surface (the room's page and history, the
chat list and unread counts, the WebSocket, search, notifications). Nothing is deleted: switching
the chat back on brings them back.
"""

from django.db.models import Q

from meent import access

from .models import Message, Room


def participant_ids(room):
    cached = getattr(room, "_participant_ids", None)
    if cached is None:
        cached = frozenset(room.participants.values_list("user_id", flat=True))
        room._participant_ids = cached
    return cached


def group_room_labels(group) -> frozenset[str]:
    if not group.chat_enabled:
        return frozenset()
    return frozenset({access.group_label(group.pk)})


def may_use_group_chat(user, group) -> bool:
    """Whether the person may open the group's room (before it exists, which the labels of the
    room itself answer once it does)."""
    return bool(access.labels_for_user(user) & group_room_labels(group))


@access.register(Room)
class RoomPolicy(access.Policy):
    """A group room belongs to the group's members while its chat is on; a direct room to its
    participants."""

    def labels(self, room):
        if room.kind == Room.Kind.GROUP:
            return group_room_labels(room.group)
        return frozenset(access.user_label(user_id) for user_id in participant_ids(room))

    def visible_q(self, user):
        if not access.is_active_person(user):
            return Q(pk__in=[])
        from .models import Participant

        return Q(
            kind=Room.Kind.GROUP,
            group_id__in=access.member_group_ids(user),
            group__chat_enabled=True,
        ) | Q(
            kind=Room.Kind.DIRECT,
            pk__in=Participant.objects.filter(user=user).values("room_id"),
        )

    def can_edit(self, user, room):
        """Posting: only people who may see the room, and not in an archived group."""
        if room.kind == Room.Kind.GROUP and room.group.is_archived:
            return False
        return access.can_view(user, room)


@access.register(Message)
class MessagePolicy(access.Policy):
    def labels(self, message):
        if message.hidden_at is not None:
            return frozenset()
        return access.labels_for(message.room)

    def visible_q(self, user):
        return Q(room__in=Room.objects.visible_to(user), hidden_at__isnull=True)

    def can_edit(self, user, message):
        return (
            message.author_id == user.pk
            and message.deleted_at is None
            and message.hidden_at is None
            and access.can_view(user, message.room)
        )
