"""Discussions: a group's threads, a start and replies, as a forum has them.

A discussion belongs to a group and follows the group's content rule (discussions/policies.py).
Its ``reply_count`` and ``last_activity_at`` are kept by the services under a row lock on the
discussion, never counted per page: a list of any length reads them as columns. A reply may quote
an earlier reply of the same discussion (``quoted``) or its start (``quotes_start``); the quote is
shown from the quoted text as it is now, so an edit or a moderator's hiding reaches every quote.
``DiscussionVisit`` remembers when a signed-in reader last opened a thread, for "N new".
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet


class DiscussionQuerySet(AccessQuerySet):
    def on_site(self, site):
        """The discussions of a community's groups (``meent.sites.current_site``)."""
        from groups.models import Group

        return self.filter(group__in=Group.objects.on_site(site))


class Discussion(models.Model):
    group = models.ForeignKey(
        "groups.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    # Empty once the author deleted their account: the thread stays for the group.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussions",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The newest reply's time, or the start's: the list's order.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    # Replies that are not hidden; kept by the services.
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    pinned_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Hidden by a moderator (moderation/): nobody sees it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = DiscussionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        indexes = [
            models.Index(
                fields=["group", "pinned_at", "last_activity_at"], name="discussion_group_list"
            ),
            models.Index(fields=["group", "created_at"], name="discussion_group_started"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:thread", args=[self.group.slug, self.pk])

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def is_pinned(self):
        return self.pinned_at is not None


class Reply(models.Model):
    discussion = models.ForeignKey(
        Discussion, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_replies",
    )
    # Plain text, shown with its line breaks.
    body = models.TextField(_("text"))
    # An earlier reply of the same discussion that this one answers; the quote goes with it.
    quoted = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quoted_by"
    )
    quotes_start = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["discussion", "created_at"], name="reply_thread_order")]

    def __str__(self):
        return f"{self.discussion_id}#{self.pk}"

    def get_absolute_url(self):
        # Through a redirect that finds the reply's page: 50 replies a page.
        return reverse(
            "discussions:reply", args=[self.discussion.group.slug, self.discussion_id, self.pk]
        )

    @property
    def anchor(self):
        return f"reply-{self.pk}"


class DiscussionVisit(models.Model):
    """When a signed-in person last opened a discussion: the replies after it are new to them.
    Written by the thread's page (a GET), at most once a minute."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_visits"
    )
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="visits")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "discussion"], name="discussion_visit_once")
        ]

    def __str__(self):
        return f"{self.user_id} saw {self.discussion_id} at {self.seen_at:%Y-%m-%d %H:%M}"
