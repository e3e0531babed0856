"""The database backend's index, and the outbox that feeds every backend.

``SearchEntry`` holds one row per indexed object; ``SearchAccess`` its access labels (see
meent/access.py), so "what may this person find" is one indexed join on the person's labels.
``terms``, ``title_terms`` and ``context_terms`` hold the processed words (search/text.py);
PostgreSQL indexes them in a stored weighted tsvector with a GIN index, SQLite with an FTS5 table
kept in sync by triggers (migrations/0001, 0002, 0004).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=1000)
    group_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    author_id = models.BigIntegerField(null=True, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    site_id = models.BigIntegerField(null=True, blank=True)
    # Found by readers of this interface language only; null: by every reader (IndexEntry).
    language = models.CharField(max_length=20, null=True, blank=True)
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    # The words of the entry's context (registry.IndexEntry.context), ranked with the least weight.
    context_terms = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["type", "object_id"], name="search_one_entry_per_object"
            )
        ]
        indexes = [
            models.Index(fields=["group_id"], name="search_entry_group"),
            models.Index(fields=["organisation_id"], name="search_entry_organisation"),
            models.Index(fields=["author_id"], name="search_entry_author"),
            models.Index(fields=["date"], name="search_entry_date"),
            models.Index(fields=["site_id"], name="search_entry_site"),
        ]

    def __str__(self):
        return f"{self.type}:{self.object_id} {self.title}"


class SearchAccess(models.Model):
    """One access label of an entry; ``visible_from`` for labels that apply from a later moment
    on (a scheduled post: its readers from its publication time, its author at once)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="access")
    label = models.CharField(max_length=60)
    visible_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("search access label")
        verbose_name_plural = _("search access labels")
        indexes = [models.Index(fields=["label", "entry"], name="search_access_label")]

    def __str__(self):
        return f"{self.entry_id}: {self.label}"


class OutboxItem(models.Model):
    """An object whose index entry must be brought up to date (written with the change)."""

    type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search outbox item")
        verbose_name_plural = _("search outbox items")

    def __str__(self):
        return f"{self.type}:{self.object_id}"
