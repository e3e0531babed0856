"""End live chat subscriptions the moment someone may no longer see a room.

Each tells the channel layer after commit and is robust: what was saved stays saved when the
layer cannot be reached (the change is committed; a 500 would only invite a retry), and the
consumer checks the policy again on every subscribe and send."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from groups.models import Group, Membership
from groups.signals import part_switched

from .models import user_channel_group


def _tell(user_id, event):
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(user_channel_group(user_id), event)


@receiver(post_delete, sender=Membership)
def membership_ended(sender, instance, **kwargs):
    from .models import Room

    room_ids = list(Room.objects.filter(group_id=instance.group_id).values_list("pk", flat=True))
    if room_ids:
        user_id = instance.user_id
        transaction.on_commit(
            lambda: _tell(user_id, {"type": "chat.revoke", "rooms": room_ids}), robust=True
        )


@receiver(post_save, sender=get_user_model())
def person_suspended(sender, instance, **kwargs):
    if instance.is_suspended or not instance.is_active:
        user_id = instance.pk
        transaction.on_commit(lambda: _tell(user_id, {"type": "chat.disconnect"}), robust=True)


@receiver(post_save, sender=Membership)
def membership_started(sender, instance, created, **kwargs):
    """Someone joined: their open pages hear of the group's room at once (unread counts, the
    conversation list), without a reload."""
    if not created:
        return
    from .models import Room

    room_id = Room.objects.filter(group_id=instance.group_id).values_list("pk", flat=True).first()
    if room_id is not None:
        from .services import announce_room

        announce_room(instance.user_id, room_id)


@receiver(post_save, sender=Group)
def group_changed(sender, instance, created, **kwargs):
    """A group saved (archived, reopened): connections forget what they knew of its room. A new
    group gets its room at once: every group has one, listed in /chat/ from the start."""
    if created:
        from .services import room_for_group

        room_for_group(instance)
        return
    from .models import Room

    room_id = Room.objects.filter(group_id=instance.pk).values_list("pk", flat=True).first()
    if room_id is not None:
        layer = get_channel_layer()
        if layer is not None:
            transaction.on_commit(
                lambda: async_to_sync(layer.group_send)(
                    f"chat.room.{room_id}", {"type": "chat.refresh", "room": room_id}
                ),
                robust=True,
            )


@receiver(part_switched, dispatch_uid="chat_part_switched")
def chat_switched(sender, group, part, enabled, **kwargs):
    """The group's chat switched off: every connection that has the room open, or listens to it
    for the unread count, drops it at once, as when membership ends (the consumer checks the
    policy again, which now refuses everyone). Switched back on, the room opens again on the next
    subscribe."""
    if part != "chat" or enabled:
        return
    from .models import Room

    room_id = Room.objects.filter(group_id=group.pk).values_list("pk", flat=True).first()
    layer = get_channel_layer()
    if room_id is None or layer is None:
        return
    event = {"type": "chat.revoke", "rooms": [room_id], "reason": "chat_switched_off"}
    transaction.on_commit(
        lambda: async_to_sync(layer.group_send)(f"chat.room.{room_id}", event), robust=True
    )
