"""Discussions in search (see search/registry.py): the title, the start's text and the text of
its replies that are not hidden, so a word from a reply finds the thread; the group's name as
context; the date is the last activity. A hidden discussion, and every discussion of a group whose
discussions are switched off, is not in the index.

The services queue a discussion (``services.reindex``) when a reply is added, edited, hidden or
deleted: a reply has no document of its own."""

from django.db.models import Prefetch
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Discussion, Reply

# The replies' text indexed per discussion, at most (a long thread is still found by its start
# and its first replies).
REPLY_TEXT_MAX = 200_000


@register
class DiscussionDocument(SearchDocument):
    model = Discussion
    type_name = "discussion"
    type_label = _("Discussions")

    def get_queryset(self):
        shown = Reply.objects.filter(hidden_at__isnull=True).only("discussion_id", "body")
        return Discussion.objects.select_related("group", "author").prefetch_related(
            Prefetch("replies", queryset=shown, to_attr="shown_replies")
        )

    def related_to(self, obj):
        if isinstance(obj, Group):
            return Discussion.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            # The author's organisation (the organisation filter).
            return Discussion.objects.filter(author_id=obj.pk)
        return None

    def should_index(self, discussion):
        return discussion.hidden_at is None and discussion.group.discussions_enabled

    def prepare_title(self, discussion):
        return discussion.title

    def prepare_body(self, discussion):
        replies = getattr(discussion, "shown_replies", None)
        if replies is None:
            replies = discussion.replies.filter(hidden_at__isnull=True).only("body")
        # Replies are plain text: escaped, so the indexer's reading of HTML keeps every "<".
        text = "\n".join(escape(reply.body) for reply in replies)[:REPLY_TEXT_MAX]
        return f"{discussion.body}\n{text}"

    def prepare_context(self, discussion):
        return discussion.group.name

    def prepare_organisation_id(self, discussion):
        return discussion.author.organisation_id if discussion.author_id else None

    def prepare_author_id(self, discussion):
        return discussion.author_id

    def prepare_date(self, discussion):
        return discussion.last_activity_at


@receiver(part_switched, dispatch_uid="discussions_search_part_switched")
def discussions_switched(sender, group, part, **kwargs):
    """The group's discussions switched off or on: they leave search or come back."""
    if part == "discussions":
        ids = Discussion.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        queue_ids(DiscussionDocument.type_name, list(ids))
