"""Polls: a question to a group with 2 to 20 options, single or multiple choice, until an end.

A poll belongs to a group and follows its content rule and its Polls switch (polls/policies.py).
A person's vote is one ``Ballot`` with a ``Choice`` per chosen option; changing it replaces the
choices. The counts (``Poll.voter_count``, ``Option.vote_count``) are kept by the services under
a row lock on the poll, never counted per view: a poll with 10,000 votes shows its result from
its own rows. When the results are shown (after one's vote, or only once the poll closed) and
who may see the named list are the policy's questions, asked alike by the page, the JSON and
the export.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet

MIN_OPTIONS = 2
MAX_OPTIONS = 20


class Poll(models.Model):
    class Results(models.TextChoices):
        AFTER_VOTE = "after_vote", _("After voting (and to everyone once the poll has closed)")
        AFTER_CLOSE = "after_close", _("Only once the poll has closed")

    group = models.ForeignKey(
        "groups.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="polls"
    )
    # Empty once the author deleted their account: the poll stays, as by a former member.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="polls",
    )
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    multiple = models.BooleanField(_("more than one answer"), default=False)
    # For a multiple-choice poll: at most this many options (None: as many as there are).
    max_choices = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    results = models.CharField(
        _("results shown"), max_length=12, choices=Results.choices, default=Results.AFTER_VOTE
    )
    # Named: the group's owners and admins see who voted what (polls/policies.py).
    anonymous = models.BooleanField(_("anonymous"), default=True)
    voter_count = models.PositiveIntegerField(default=0, editable=False)
    # Set once the closing was told to the author and the voters (polls/tasks.py).
    closed_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Hidden by a moderator (moderation/): nobody sees it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["ends_at", "pk"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        indexes = [models.Index(fields=["group", "ends_at"], name="poll_group_ends")]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("polls:poll", args=[self.group.slug, self.pk])

    @property
    def community_id(self):
        return self.group.site_id

    def is_open(self, now=None) -> bool:
        return self.ends_at > (now or timezone.now())

    @property
    def most_choices(self) -> int:
        """How many options one ballot may hold."""
        if not self.multiple:
            return 1
        return self.max_choices or MAX_OPTIONS


class Option(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.label


class Ballot(models.Model):
    """One person's vote. An erased account's ballots stay counted without a voter."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="poll_ballots",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self):
        return f"{self.voter_id} → {self.poll_id}"


class Choice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="one_choice_per_option")
        ]

    def __str__(self):
        return f"{self.ballot_id}: {self.option_id}"
