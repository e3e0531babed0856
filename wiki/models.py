"""Group wikis: a tree of pages per group, every save a revision.

The page row carries the current title and body, so showing a page never loads a revision; the
revisions hold the history. ``path`` (the slugs from the root, joined by "/") is stored so a page
is found by its address in one query; moving a page rewrites the paths of its subtree.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent.access import AccessQuerySet

from .rendering import title_key


class WikiPage(models.Model):
    class Visibility(models.TextChoices):
        """Narrower than the group never: a closed group's pages are for its members only."""

        GROUP = "group", _("Members of the group")
        LOGGED_IN = "logged_in", _("Everyone who is signed in")
        PUBLIC = "public", _("Everyone, also without signing in")

    class EditPolicy(models.TextChoices):
        MEMBERS = "members", _("All members of the group")
        ADMINS = "admins", _("Only the group's owners and admins")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="wiki_pages")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("title"), max_length=200)
    title_key = models.CharField(max_length=200, editable=False)
    slug = models.SlugField(_("web address"), max_length=100)
    path = models.CharField(max_length=1000, editable=False)
    position = models.PositiveIntegerField(default=0)
    body = models.TextField(_("text"), blank=True)
    revision_number = models.PositiveIntegerField(default=0, editable=False)
    visibility = models.CharField(
        _("who may read this page"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.GROUP,
    )
    edit_policy = models.CharField(
        _("who may edit this page"),
        max_length=10,
        choices=EditPolicy.choices,
        default=EditPolicy.MEMBERS,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Hidden by a moderator (moderation/): nobody reads it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")
        constraints = [
            # Siblings never share a slug: the path is the parent's path plus the slug.
            models.UniqueConstraint(fields=["group", "path"], name="wiki_unique_path"),
            # [[Title]] links are unambiguous: one page per title in a group.
            models.UniqueConstraint(fields=["group", "title_key"], name="wiki_unique_title"),
        ]
        indexes = [models.Index(fields=["group", "parent", "position"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("wiki:page", args=[self.group.slug, self.path])

    @property
    def ancestor_paths(self) -> list[str]:
        """The paths of the pages above this one, from the root down."""
        parts = self.path.split("/")
        return ["/".join(parts[:index]) for index in range(1, len(parts))]


class WikiRevision(models.Model):
    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    summary = models.CharField(_("summary of the change"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("wiki revision")
        verbose_name_plural = _("wiki revisions")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="wiki_unique_revision")
        ]

    def __str__(self):
        return f"{self.page_id} #{self.number}"


class WikiWatch(models.Model):
    """A person who wants to hear about changes to a page."""

    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watches"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="wiki_unique_watch")]

    def __str__(self):
        return f"{self.user_id} → {self.page_id}"


def attachment_path(instance, filename):
    # The stored name is ours; the person's file name is kept in ``name`` for the download.
    return f"wiki/{instance.group_id}/{instance.key.hex}"


class WikiAttachment(models.Model):
    """An image or document uploaded into a group's wiki, served only through an access check.

    An attachment follows its group's content rule (open for reading or members only). Its address
    carries a random key, so a page readable by fewer people than the group's rule does not make
    its files guessable.
    """

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="wiki_attachments"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    is_image = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("wiki attachment")
        verbose_name_plural = _("wiki attachments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wiki:attachment", args=[self.group.slug, self.key, self.name])
