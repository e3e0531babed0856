"""Polls in search (see search/registry.py): the question, the description and the options'
labels; the date is when the poll was asked. A hidden poll, and every poll of a group whose polls
are switched off, is not in the index."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Poll


@register
class PollDocument(SearchDocument):
    model = Poll
    type_name = "poll"
    type_label = _("Polls")

    def get_queryset(self):
        return Poll.objects.select_related("author", "group").prefetch_related("options")

    def related_to(self, obj):
        if isinstance(obj, Group):
            return Poll.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            return Poll.objects.filter(author_id=obj.pk)
        return None

    def should_index(self, poll):
        return poll.hidden_at is None and poll.group.polls_enabled

    def prepare_title(self, poll):
        return poll.question

    def prepare_body(self, poll):
        labels = "\n".join(option.label for option in poll.options.all())
        return f"{poll.description}\n{labels}"

    def prepare_context(self, poll):
        return poll.group.name

    def prepare_site_id(self, poll):
        return poll.group.site_id

    def prepare_organisation_id(self, poll):
        return poll.author.organisation_id if poll.author_id else None

    def prepare_author_id(self, poll):
        return poll.author_id

    def prepare_date(self, poll):
        return poll.created_at


@receiver(part_switched, dispatch_uid="polls_search_part_switched")
def polls_switched(sender, group, part, **kwargs):
    """The group's polls switched off or on: they leave search or come back."""
    if part == "polls":
        polls = Poll.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        queue_ids(PollDocument.type_name, list(polls))
