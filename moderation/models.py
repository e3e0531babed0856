"""Reports about what people wrote, and what moderators decided about them.

One open report per reported item: a second person who reports the same item adds a ``Flag`` to
it (one per person), so moderators handle it once and every reporter hears the outcome. A report
keeps a snapshot of what was reported (title, excerpt, link), so the queue still shows it after
the item is hidden or deleted.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive, threatening or discriminating")
    PERSONAL_DATA = "personal_data", _("Personal data that should not be here")
    OTHER = "other", _("Something else")


class Kind(models.TextChoices):
    POST = "post", _("blog post")
    COMMENT = "comment", _("comment")
    WIKI_PAGE = "wiki_page", _("wiki page")
    CHAT_MESSAGE = "chat_message", _("chat message")
    GROUP = "group", _("group")
    PROFILE = "profile", _("profile")
    EVENT = "event", _("event")
    FILE = "file", _("file")
    DISCUSSION = "discussion", _("discussion")
    DISCUSSION_REPLY = "discussion_reply", _("reply in a discussion")
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")
    POLL = "poll", _("poll")


# How a report describes what it is about: a key and plain values are stored (``Report.subject``),
# the sentence is made in the reader's language when shown (the queue, notifications).
DESCRIPTIONS = {
    "post": gettext_noop("Blog post “%(title)s”"),
    "comment": gettext_noop("Comment on “%(title)s”"),
    "wiki_page": gettext_noop("Wiki page “%(title)s” in %(group)s"),
    "chat_message": gettext_noop("Chat message in %(group)s"),
    "chat_message_direct": gettext_noop("Chat message in a direct conversation"),
    "group": gettext_noop("Group “%(name)s”"),
    "profile": gettext_noop("Profile of %(person)s"),
    "event": gettext_noop("Event “%(title)s”"),
    "file": gettext_noop("File “%(name)s” in %(group)s"),
    "discussion": gettext_noop("Discussion “%(title)s” in %(group)s"),
    "discussion_reply": gettext_noop("Reply in the discussion “%(title)s”"),
    "question": gettext_noop("Question “%(title)s”"),
    "answer": gettext_noop("Answer to the question “%(title)s”"),
    "poll": gettext_noop("Poll “%(title)s” in %(group)s"),
}
SUBJECT_VALUE_LENGTH = 250


def clean_subject(subject) -> dict:
    """A subject as stored: a known key and short plain strings."""
    if not isinstance(subject, dict) or subject.get("key") not in DESCRIPTIONS:
        return {}
    return {
        str(name): Truncator(" ".join(str(value).split())).chars(SUBJECT_VALUE_LENGTH)
        for name, value in subject.items()
        if isinstance(value, str | int)
    }


class _Values(dict):
    """A subject's values; one that is missing reads "(unknown)"."""

    def __missing__(self, name):
        return gettext("(unknown)")


def describe(subject) -> str:
    """A stored subject in the active language ("" when it cannot be described)."""
    subject = clean_subject(subject)
    if not subject:
        return ""
    text = DESCRIPTIONS[subject["key"]]
    values = _Values(subject)
    try:
        return gettext(text) % values
    except (KeyError, ValueError, TypeError):
        return text % values  # a translation whose placeholders differ from the English text


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        ACTIONED = "actioned", _("Acted on")

    class Decision(models.TextChoices):
        DISMISS = "dismiss", _("Dismissed: nothing wrong")
        HIDE = "hide", _("Hidden")
        DELETE = "delete", _("Deleted")
        WARN = "warn", _("Author warned")
        SUSPEND = "suspend", _("Author suspended")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The subject in the platform's language, for the audit trail and for reports made before
    # ``subject`` was stored; people read ``label``.
    title = models.CharField(_("reported item"), max_length=300)
    subject = models.JSONField(_("subject"), default=dict, blank=True)
    excerpt = models.TextField(_("what it said when reported"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_about",
        verbose_name=_("author"),
    )
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("group"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    # Reports about a group's content go to its owners and admins first; they can pass one on.
    escalated_at = models.DateTimeField(_("passed to moderators at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason given"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="open"),
                name="one_open_report_per_item",
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_queue"),
            models.Index(fields=["content_type", "object_id"], name="report_item"),
        ]

    def __str__(self):
        return self.label

    @property
    def item_param(self):
        """The report's subject as a notification parameter (``Message.described``)."""
        return self.subject or self.title

    @property
    def label(self) -> str:
        """What the report is about, in the reader's language."""
        return describe(self.subject) or self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Flag(models.Model):
    """One person's report of an item: why, and in their words."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_made",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("explanation"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report by a person")
        verbose_name_plural = _("reports by people")
        constraints = [
            models.UniqueConstraint(fields=["report", "reporter"], name="one_flag_per_reporter")
        ]

    def __str__(self):
        return f"{self.reporter_id} → {self.report_id} ({self.reason})"
