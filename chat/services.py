"""Chat's rules, in one place: storing, editing and reading messages, finding rooms.

A message is stored (with the room's next sequence number) before anyone is told; the broadcast
goes out after commit. ``(author, client_id)`` is unique, so a resend of the same message returns
the stored one and creates nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meent import access, audit, ratelimit
from meent.mentions import candidate_names
from meent.mentions import services as mentions
from meent.sanitize import clean_text

from .models import Message, Participant, Room, user_channel_group

HISTORY_PAGE = 50


class ChatError(Exception):
    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Posted:
    message: Message
    created: bool


def room_for_group(group):
    room, _ = Room.objects.get_or_create(group=group, defaults={"kind": Room.Kind.GROUP})
    room.group = group  # the caller's group, as it is now (its switches), without a query
    return room


def direct_room(user, others):
    """The direct conversation between exactly these people, created when it does not exist."""
    people = {user.pk, *(other.pk for other in others)}
    if len(people) < 2:
        raise ChatError("invalid", _("Choose at least one other person."))
    candidates = (
        Room.objects.filter(kind=Room.Kind.DIRECT, participants__user=user)
        .prefetch_related("participants")
        .distinct()
    )
    for room in candidates:
        if {p.user_id for p in room.participants.all()} == people:
            return room, False
    with transaction.atomic():
        room = Room.objects.create(kind=Room.Kind.DIRECT)
        Participant.objects.bulk_create([Participant(room=room, user_id=pk) for pk in people])
        # Everyone in it hears of the new room at once (their open pages list it and count it).
        for pk in people:
            announce_room(pk, room.pk)
    return room, True


def announce_room(user_id, room_id):
    """After commit, tell a person's open connections that they are in a room they did not know
    of (a new direct conversation, a group they joined): they listen to it from then on."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    event = {"type": "chat.joined", "room": room_id}

    def send():
        from asgiref.sync import async_to_sync

        async_to_sync(layer.group_send)(user_channel_group(user_id), event)

    transaction.on_commit(send, robust=True)


def _participant_names(room_ids, user):
    """The names of the other people in each direct room: {room id: [name, ...]}."""
    names = {}
    for room_id, first, last, email, user_id in Participant.objects.filter(
        room_id__in=room_ids
    ).values_list("room_id", "user__first_name", "user__last_name", "user__email", "user_id"):
        if user_id != user.pk:
            names.setdefault(room_id, []).append(f"{first} {last}".strip() or email.split("@")[0])
    return names


def room_title(room, user, names=None):
    """What a room is called for ``user``: its group's name, or the other people's names."""
    if room.group_id:
        return str(room.group)
    if names is None:
        names = _participant_names([room.pk], user)
    return ", ".join(sorted(names.get(room.pk, [])))


def check_rate(user):
    """At most MEENT_CHAT_RATE messages per MEENT_CHAT_RATE_WINDOW seconds per sender, over a
    sliding window in the shared cache (meent/ratelimit.py), so every server process counts the
    same messages; a refused message does not count."""
    rate = settings.MEENT_CHAT_RATE
    window = settings.MEENT_CHAT_RATE_WINDOW
    if not ratelimit.hit(f"chat:{user.pk}", rate, window):
        raise ChatError(
            "rate_limited",
            _("You are sending too fast: at most %(rate)s messages in %(window)s seconds.")
            % {"rate": rate, "window": window},
        )


def clean_body(body):
    if not isinstance(body, str):
        raise ChatError("invalid", _("A message is text."))
    body = clean_text(body) if "<" in body or "&" in body else body.strip()
    if not body:
        raise ChatError("empty", _("Write something before you send."))
    limit = settings.MEENT_CHAT_MAX_LENGTH
    if len(body) > limit:
        raise ChatError(
            "too_long",
            _("A message can be at most %(limit)s characters; this one has %(length)s.")
            % {"limit": limit, "length": len(body)},
        )
    return body


def require_member(user, room):
    if not access.can_view(user, room):
        raise ChatError("forbidden", _("You are not in this conversation."))
    if not access.can_edit(user, room):
        raise ChatError("read_only", _("This conversation is read-only."))


def post_message(room, author, client_id, body):
    """Store a message once. Raises ChatError for refused input; nothing is stored then."""
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
        raise ChatError("invalid", _("Each message needs a client id of 1 to 64 characters."))
    existing = Message.objects.filter(author=author, client_id=client_id).first()
    if existing is not None:
        if existing.room_id != room.pk:
            raise ChatError("invalid", _("This client id was already used in another room."))
        return Posted(existing, created=False)
    require_member(author, room)
    body = clean_body(body)
    check_rate(author)
    try:
        with transaction.atomic():
            # The row lock on the room orders concurrent senders: sequence numbers have no gaps.
            Room.objects.filter(pk=room.pk).update(
                last_seq=F("last_seq") + 1, last_message_at=timezone.now()
            )
            seq, chat_on, archived = Room.objects.values_list(
                "last_seq", "group__chat_enabled", "group__is_archived"
            ).get(pk=room.pk)
            # The room object may be a connection's cached copy: the group's chat switched off or
            # archived since then refuses here, under the lock (a direct room has no group).
            if chat_on is False:
                raise ChatError("forbidden", _("You are not in this conversation."))
            if archived:
                raise ChatError("read_only", _("This conversation is read-only."))
            message = Message.objects.create(
                room=room, seq=seq, author=author, client_id=client_id, body=body
            )
            # Who it names is decided now and stored (only people of the room).
            named = mentioned_people(room, author, body)
            if named:
                mentions.record(message, named)
            # The author has read their own message (one UPDATE; INSERT only the first time).
            if not Participant.objects.filter(room=room, user=author).update(last_read_seq=seq):
                Participant.objects.create(room=room, user=author, last_read_seq=seq)
    except IntegrityError:
        # The same client id won a race on another connection: answer with that message.
        message = Message.objects.get(author=author, client_id=client_id)
        return Posted(message, created=False)
    if named:
        notify_mentions(message)
    return Posted(message, created=True)


def mentioned_people(room, author, body):
    """People of the room named as ``@First Last`` (their display name) in a message."""
    if "@" not in body:
        return []
    from django.contrib.auth import get_user_model

    names = candidate_names(body)  # compared as meent/mentions.py does, accents and all
    if room.kind == Room.Kind.GROUP:
        candidates = get_user_model().objects.filter(memberships__group_id=room.group_id)
    else:
        candidates = get_user_model().objects.filter(chat_participations__room=room)
    people = candidates.exclude(pk=author.pk).filter(is_active=True, mention_key__in=names)
    return list(people.distinct())


def notify_mentions(message):
    """Tell the people a message mentions (as stored) who were not told yet, but only those
    who may see the room."""
    from notifications import notify

    room = message.room
    # A message key and plain values: each person reads it in their own language; a group
    # room leads to the group's community, a direct one stays on the person's host.
    return mentions.tell_pending(
        message,
        lambda person: notify(
            person,
            "mention",
            "chat.mention",
            f"{room.get_absolute_url()}#m{message.seq}",
            params={"person": message.author.display_name, "text": message.body[:200]},
            about=room,
            actor=message.author,
        ),
    )


def edit_message(message, user, body):
    if not access.can_edit(user, message):
        raise ChatError("forbidden", _("You can only edit your own messages."))
    require_member(user, message.room)
    message.body = clean_body(body)
    message.edited_at = timezone.now()
    with transaction.atomic():
        message.save(update_fields=["body", "edited_at"])
        # Only the people named now and not before are told.
        fresh = mentions.record(message, mentioned_people(message.room, user, message.body))
    if fresh:
        notify_mentions(message)
    return message


def delete_message(message, user):
    if not (access.can_edit(user, message) or access.can_moderate(user, message)):
        raise ChatError("forbidden", _("You can only delete your own messages."))
    moderated = message.author_id != user.pk
    message.body = ""
    message.deleted_at = timezone.now()
    with transaction.atomic():
        message.save(update_fields=["body", "deleted_at"])
        mentions.forget(message)  # the text that named them is gone
    if moderated:
        audit.record(
            message,
            "meent.chat_message.delete",
            user,
            author=str(message.author) if message.author else "",
        )
    return message


def messages_after(room, after, limit=500):
    return list(
        Message.objects.filter(room=room, seq__gt=after)
        .select_related("author", "author__organisation")
        .order_by("seq")[:limit]
    )


def messages_before(room, before, limit=HISTORY_PAGE):
    page = list(
        Message.objects.filter(room=room, seq__lt=before)
        .select_related("author", "author__organisation")
        .order_by("-seq")[:limit]
    )
    page.reverse()
    return page


def mark_read(room, user, seq):
    seq = min(int(seq), room.last_seq)
    updated = Participant.objects.filter(room=room, user=user, last_read_seq__lt=seq).update(
        last_read_seq=seq
    )
    if not updated:
        Participant.objects.get_or_create(room=room, user=user, defaults={"last_read_seq": seq})
    return seq


def conversations(user, site=None):
    """The rooms a person is in, newest first, each with its unread count. Constant queries.
    With ``site`` (``meent.sites.current_site``): that community's group rooms and every direct
    conversation (those belong to the person, not to a community)."""
    rooms = list(
        _rooms_of(user, site)
        .select_related("group")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )
    read = dict(
        Participant.objects.filter(user=user, room__in=rooms).values_list(
            "room_id", "last_read_seq"
        )
    )
    direct = [room.pk for room in rooms if room.kind == Room.Kind.DIRECT]
    names = _participant_names(direct, user)
    for room in rooms:
        room.unread = max(room.last_seq - read.get(room.pk, 0), 0)
        room.title = room_title(room, user, names)
    return rooms


def unread_total(user, site=None):
    """Unread messages in the person's rooms (with ``site``: that community's, as listed)."""
    if not access.is_active_person(user):
        return 0
    return sum(room.unread for room in conversations(user, site))


def _rooms_of(user, site=None):
    from groups.models import Group

    rooms = Room.objects.visible_to(user)
    if site is not None:
        rooms = rooms.filter(Q(kind=Room.Kind.DIRECT) | Q(group__in=Group.objects.on_site(site)))
    return rooms


def room_ids(user, site=None):
    """The ids of the rooms ``conversations`` lists, in one query."""
    return list(_rooms_of(user, site).values_list("pk", flat=True))


def is_listed(user, room, site=None) -> bool:
    """Whether ``conversations`` lists ``room`` (one query, however many rooms the person has)."""
    return _rooms_of(user, site).filter(pk=room.pk).exists()


def serialize(message):
    author = message.author
    return {
        "id": message.pk,
        "room": message.room_id,
        "seq": message.seq,
        "client_id": message.client_id if author else "",
        "author": {
            "id": author.pk,
            "name": author.display_name,
            "organisation": author.organisation.name if author.organisation_id else "",
            "url": author.get_absolute_url(),
        }
        if author
        else None,
        "body": "" if message.deleted_at or message.hidden_at else message.body,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": message.deleted_at is not None or message.hidden_at is not None,
        "hidden": message.hidden_at is not None,
    }
