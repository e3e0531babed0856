"""A person's chat messages (privacy/registry.py). They stay when the person deletes their
account, also in direct conversations: they are half of someone else's conversation."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, iso, register
from search.indexing import queue_ids

from .models import Message


def chat_messages(user, files):
    rows = Message.objects.filter(author=user).select_related("room__group").order_by("pk")
    result = []
    for m in rows.iterator(chunk_size=2000):
        gone = m.deleted_at is not None or m.hidden_at is not None
        result.append(
            {
                "room": m.room.group.name if m.room.group_id else str(_("direct conversation")),
                "date": iso(m.created_at),
                "edited": iso(m.edited_at),
                # Deleted or hidden messages are not shown anywhere any more: not here either.
                "text": None if gone else m.body,
                "deleted": iso(m.deleted_at),
                "hidden_by_moderator": iso(m.hidden_at),
            }
        )
    return result


def plan_messages(user):
    kept = Message.objects.filter(author=user).count()
    return [
        ngettext(
            "%(counter)s chat message of yours stays where you wrote it, as by a former member.",
            "%(counter)s chat messages of yours stay where you wrote them, as by a former member.",
            kept,
        )
        % {"counter": kept}
    ]


def erase_messages(user, erasure):
    # They lose their author: the search index must hear of it (SET_NULL sends no signals).
    queue_ids(
        "chat_message", list(Message.objects.filter(author=user).values_list("pk", flat=True))
    )


register(
    PrivacyPart(
        "chat_messages",
        _("Chat messages"),
        100,
        export=chat_messages,
        held=lambda user: Message.objects.filter(author=user),
        plan=plan_messages,
        erase=erase_messages,
    )
)
