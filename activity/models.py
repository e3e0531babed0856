"""The activity stream, what people follow, what they saved for later, and when they last
looked at what is new (see registry.py for what the content apps tell this app)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Entry(models.Model):
    """One line of a stream: ``actor`` did ``kind`` to ``target``, in ``group`` (if any), on
    ``site`` (the community the item belongs to), at ``occurred_at``; ``count`` lines folded
    into one (consecutive edits by one person to one page)."""

    kind = models.CharField(max_length=40)
    # The person's lines go with their account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    occurred_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("activity line")
        verbose_name_plural = _("activity lines")
        indexes = [
            models.Index(fields=["group", "-occurred_at"], name="activity_group_time"),
            models.Index(fields=["site", "-occurred_at"], name="activity_site_time"),
            models.Index(fields=["actor", "-occurred_at"], name="activity_actor_time"),
            models.Index(fields=["target_type", "target_id"], name="activity_target"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_type_id}:{self.target_id}"

    @property
    def community_id(self):
        """The community the line's item belongs to now: its group's (a group may have moved,
        or got its community after the line was written), else the one stored."""
        return self.group.site_id if self.group_id else self.site_id


class Reference(models.Model):
    """A person's reference to an item of any registered kind (registry.Item)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="activity_%(class)s_once"
            )
        ]


class Follow(Reference):
    """A person follows an item: a group (at a level), a person, a post, a discussion."""

    class Level(models.TextChoices):
        ALL = "all", pgettext_lazy("following level", "Every new item")
        MENTIONS = "mentions", pgettext_lazy("following level", "Only what mentions me")
        NOTHING = "nothing", pgettext_lazy("following level", "Nothing")

    level = models.CharField(max_length=10, choices=Level.choices, default=Level.ALL)

    class Meta(Reference.Meta):
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        indexes = [models.Index(fields=["target_type", "target_id"], name="activity_followed")]

    def __str__(self):
        return f"{self.user_id} follows {self.target_type_id}:{self.target_id}"


class Bookmark(Reference):
    """Something a person saved to read later."""

    class Meta(Reference.Meta):
        verbose_name = _("saved item")
        verbose_name_plural = _("saved items")

    def __str__(self):
        return f"{self.user_id} saved {self.target_type_id}:{self.target_id}"


class StartVisit(models.Model):
    """When a person last looked at their start page in a community: lines since the visit
    before are "new"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    previous_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="activity_start_visit_once")
        ]

    def __str__(self):
        return f"{self.user_id} on {self.site_id} at {self.seen_at}"


def forget_object(target) -> None:
    """Everything about an object that is deleted: its lines, follows and bookmarks (a generic
    reference has no cascade)."""
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    for model in (Entry, Follow, Bookmark):
        model.objects.filter(target_type=target_type, target_id=target.pk).delete()


# ---------------------------------------------------------------------------------------------
# The content digest (activity/digest.py): an e-mail of what is new, daily or weekly.


class DigestSetting(models.Model):
    """How often a person gets the content digest, and up to when the last one told them.
    Without a row: weekly, the default."""

    class Frequency(models.TextChoices):
        DAILY = "daily", pgettext_lazy("digest frequency", "Daily")
        WEEKLY = "weekly", pgettext_lazy("digest frequency", "Weekly")
        NEVER = "never", pgettext_lazy("digest frequency", "Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(
        _("content digest"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # The end of the period the last digest covered: the next one lists what came after.
    sent_until = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("content digest setting")
        verbose_name_plural = _("content digest settings")

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class DigestSent(models.Model):
    """One content digest e-mailed: claimed before it is sent (unique per person and period),
    so a run repeated for the same period sends nobody a second copy."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # "daily:2026-12-07" or "weekly:2026-W50".
    period = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("content digest sent")
        verbose_name_plural = _("content digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="activity_digest_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.period}"
