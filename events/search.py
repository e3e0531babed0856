"""Events in search (see search/registry.py): the title, the description and the address; the
date is the event's start (the search's date filter finds events by when they happen). A hidden
event, and every event of a group whose agenda is switched off, is not in the index."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Event


@register
class EventDocument(SearchDocument):
    model = Event
    type_name = "event"
    type_label = _("Events")

    def get_queryset(self):
        return Event.objects.select_related("organiser", "group")

    def related_to(self, obj):
        if isinstance(obj, Group):
            return Event.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            # The organiser's label and organisation.
            return Event.objects.filter(organiser_id=obj.pk)
        return None

    def should_index(self, event):
        return event.hidden_at is None and (event.group_id is None or event.group.events_enabled)

    def prepare_title(self, event):
        return event.title

    def prepare_body(self, event):
        return f"{event.description}\n{event.location}"

    def prepare_context(self, event):
        # Where it is held: found by its group's name, with the least weight.
        return event.group.name if event.group_id else ""

    def prepare_site_id(self, event):
        return event.community_id

    def prepare_organisation_id(self, event):
        return event.organiser.organisation_id if event.organiser_id else None

    def prepare_author_id(self, event):
        return event.organiser_id

    def prepare_date(self, event):
        return event.starts_at


@receiver(part_switched, dispatch_uid="events_search_part_switched")
def agenda_switched(sender, group, part, **kwargs):
    """The group's agenda switched off or on: its events leave search or come back."""
    if part == "events":
        events = Event.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        queue_ids(EventDocument.type_name, list(events))
