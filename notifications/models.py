from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What a notification is about. The label names the kind on the preferences page."""

    JOIN_REQUEST = "join_request", _("Requests to join a group you manage")
    JOIN_DECISION = "join_decision", _("Decisions on your requests to join a group")
    INVITATION = "invitation", _("Invitations to groups and their acceptance")
    MEMBERSHIP = "membership", _("Changes to your memberships")
    MENTION = "mention", _("Mentions of you")
    REPLY = "reply", _("Replies to you")
    WIKI = "wiki", _("Changes to wiki pages you follow")
    FOLLOWING = "following", _("New items in groups and posts you follow")
    MODERATION = "moderation", _("Decisions about what you wrote")
    PRIVACY = "privacy", _("Your data and account")
    EVENTS = "events", _("Events you signed up for: changes, places and reminders")
    CONVERSATIONS = (
        "conversations",
        _(
            "Discussions, questions and polls you take part in: replies, answers, best answers and "
            "results"
        ),
    )


class Email(models.TextChoices):
    """When a person gets an e-mail about a kind of notification."""

    IMMEDIATELY = "immediately", pgettext_lazy("e-mail about notifications", "Immediately")
    DAILY = "daily", pgettext_lazy("e-mail about notifications", "In a daily summary")
    NEVER = "never", pgettext_lazy("e-mail about notifications", "Never")


# Without a preference of one's own: what needs an answer arrives at once, the rest once a day.
DEFAULT_EMAIL = {
    Kind.JOIN_REQUEST: Email.IMMEDIATELY,
    Kind.JOIN_DECISION: Email.IMMEDIATELY,
    Kind.INVITATION: Email.IMMEDIATELY,
    Kind.MEMBERSHIP: Email.IMMEDIATELY,
    Kind.MENTION: Email.DAILY,
    Kind.REPLY: Email.DAILY,
    Kind.WIKI: Email.DAILY,
    # The content digest (activity/digest.py) brings them by e-mail already.
    Kind.FOLLOWING: Email.NEVER,
    Kind.MODERATION: Email.IMMEDIATELY,
    Kind.PRIVACY: Email.IMMEDIATELY,
    # A moved meeting or a freed place is news for today, not for tomorrow's summary.
    Kind.EVENTS: Email.IMMEDIATELY,
    Kind.CONVERSATIONS: Email.DAILY,
}


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def due_for_digest(self):
        """Unread, not yet e-mailed notifications whose kind the recipient wants once a day.

        Only for people who may take part now: inactive or suspended people get no e-mail.
        """
        preferences = NotificationPreference.objects.filter(
            user=OuterRef("recipient"), kind=OuterRef("kind")
        )
        default_daily = [kind for kind, email in DEFAULT_EMAIL.items() if email == Email.DAILY]
        chose_daily = Exists(preferences.filter(email=Email.DAILY))
        kept_default = ~Exists(preferences) & Q(kind__in=default_daily)
        not_suspended = Q(recipient__suspended_until__isnull=True) | Q(
            recipient__suspended_until__lte=timezone.now()
        )
        return self.filter(
            chose_daily | kept_default,
            not_suspended,
            emailed_at__isnull=True,
            read_at__isnull=True,
            recipient__is_active=True,
        )


class Notification(models.Model):
    """Something a person should know about: a message of ``messages.MESSAGES`` and its
    parameters, rendered in the reader's language when shown (``display_text``, plain text that
    templates escape). Notifications stored before messages had keys keep their ``text``.

    ``site`` is the community of what it is about (a group's content): opening it leads to that
    community's host. Empty: it belongs to the person (direct messages, their data, decisions
    about them) and opens on whatever host they are on.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=60, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Before messages had keys: the finished text, in the language of its day.
    text = models.CharField(_("text"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.display_text

    @property
    def display_text(self) -> str:
        """What it says, in the active language."""
        from .messages import render

        return render(self.message, self.params, fallback=self.text)

    @property
    def is_unread(self):
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed about one kind. No row: DEFAULT_EMAIL applies."""

    Email = Email

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.CharField(_("e-mail"), max_length=12, choices=Email.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.kind} → {self.email}"


def email_preferences(user) -> dict[str, str]:
    """Every kind with how this person wants to be e-mailed about it."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "email")
    )
    return {
        kind: chosen.get(kind, DEFAULT_EMAIL.get(kind, Email.IMMEDIATELY)) for kind in Kind.values
    }


def email_preference(user, kind) -> str:
    chosen = (
        NotificationPreference.objects.filter(user_id=user.pk, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return chosen or DEFAULT_EMAIL.get(kind, Email.IMMEDIATELY)
