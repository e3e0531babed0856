from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet


def user_channel_group(user_id):
    """The channel-layer group of a person's open chat connections (unread counts, new rooms,
    revoked subscriptions)."""
    return f"chat.user.{user_id}"


class Room(models.Model):
    """A conversation: one per group (its members), or a direct one between named people."""

    class Kind(models.TextChoices):
        GROUP = "group", _("group room")
        DIRECT = "direct", _("direct conversation")

    kind = models.CharField(max_length=6, choices=Kind.choices)
    group = models.OneToOneField(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="chat_room"
    )
    # The sequence number of the newest message; the next message takes last_seq + 1.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccessQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="group", group__isnull=False)
                    | models.Q(kind="direct", group__isnull=True)
                ),
                name="group_room_has_group",
            )
        ]
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")

    def __str__(self):
        if self.group_id:
            return str(self.group)
        return f"direct #{self.pk}"

    def get_absolute_url(self):
        return reverse("chat:room", args=[self.pk])

    @property
    def channel_group(self):
        return f"chat.room.{self.pk}"


class Participant(models.Model):
    """A person in a room: the people of a direct conversation, and everyone's read marker."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_participations"
    )
    last_read_seq = models.PositiveBigIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="one_participant_row")]

    def __str__(self):
        return f"{self.user_id} in {self.room_id} (read up to {self.last_read_seq})"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="chat_messages"
    )
    # Chosen by the sending client; a resend with the same id is recognised and stores nothing.
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=settings.MEENT_CHAT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator: the row keeps its place in the sequence, its text is shown to nobody.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="one_message_per_seq"),
            models.UniqueConstraint(
                fields=["author", "client_id"], name="client_id_once_per_author"
            ),
        ]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self):
        return f"{self.room_id}#{self.seq}"
