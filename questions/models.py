"""Questions and answers: a question asked in a group or on the community, answers to it, and
votes for the answers.

A question belongs to a group (whoever may read the group's content reads it, its members answer)
or, without a group, to the community it was asked on (``site``), with a visibility like a
personal blog post. Its asker, or the group's owners and admins (a moderator on the community),
mark one answer the best, which closes the question until they reopen it. What the lists and the
page show is kept on the rows (``answer_count``, ``last_activity_at``, ``Answer.score``) by the
services, so no page counts per row. Who may see what is decided by the access policy
(questions/policies.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent import sites
from meent.access import AccessQuerySet, Visibility


class QuestionQuerySet(AccessQuerySet):
    def on_site(self, site):
        """The questions of a community (``meent.sites.current_site``): its groups' questions and
        its own community questions (those of a deleted community: the default one's)."""
        from groups.models import Group

        community = Q(group__isnull=True) & sites.belongs_q(site)
        return self.filter(community | Q(group__in=Group.objects.on_site(site)))


# A community question is seen by everyone, by everyone signed in, or by the asker's organisation
# (the values of meent.access.Visibility, as personal blog posts have them).
COMMUNITY_VISIBILITIES = [
    (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
    (Visibility.LOGGED_IN.value, Visibility.LOGGED_IN.label),
    (Visibility.ORGANISATION.value, Visibility.ORGANISATION.label),
]


class Question(models.Model):
    group = models.ForeignKey(
        "groups.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
    )
    # The community of a community question (a group's question belongs to its group's).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=12,
        choices=COMMUNITY_VISIBILITIES,
        default=Visibility.PUBLIC,
    )
    # Empty once the asker deleted their account: the question stays, by a former member.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions",
    )
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Asked, answered or given a best answer: the lists' order.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    # The visible answers (kept by the services).
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    best_answer = models.ForeignKey(
        "Answer",
        verbose_name=_("best answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Closed when a best answer was marked: no new answers until it is reopened.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Hidden by a moderator (moderation/): nobody sees it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["group", "-last_activity_at"], name="question_group_activity")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.group_id:
            return reverse("group_questions:question", args=[self.group.slug, self.pk])
        return reverse("questions:question", args=[self.pk])

    @property
    def community_id(self):
        """The id of the community (Wagtail Site) the question belongs to; None: the default."""
        return self.group.site_id if self.group_id else self.site_id

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def is_answered(self):
        return self.best_answer_id is not None


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Empty once its author deleted their account: the answer stays, by a former member.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="answers",
    )
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The votes for it (kept by the services under a row lock, never counted per view).
    score = models.IntegerField(default=0, editable=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "-score", "created_at"], name="answer_order")]

    def __str__(self):
        return f"{self.author_id} on {self.question_id}"

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class AnswerVote(models.Model):
    """One person's vote for an answer; at most one per person and answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_votes"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="one_vote_per_answer")
        ]

    def __str__(self):
        return f"{self.voter_id} → {self.answer_id}"
