"""The access policy's rules for events (see meent/access.py).

- A group's event is seen by whoever may read the group's content; nobody sees the events of a
  group whose agenda is switched off (nothing is deleted: switching it back on brings them back).
- A community event is seen as its visibility says: everyone, or everyone signed in.
- An event hidden by a moderator is seen by nobody, also not its organiser.
- A cancelled event stays visible, marked as cancelled, so people know it will not happen.
- A sign-up (``Attendance``) is seen by the person (or guest) who made it and by the event's
  organisers; the attendee list is for organisers only (``can_edit``).
- Who may sign up is the event's ``audience``: the group's members, everyone signed in who may
  see it, or also guests without an account (community events only).
- Organisers: a group's events are made by its members (or only its owners and admins, by the
  group's ``event_organisers``) and edited by their organiser and the group's owners and admins;
  community events by community managers. Moderators hide and delete.
"""

from django.conf import settings
from django.db.models import Q

from groups.policies import can_manage, content_labels, content_q, is_member
from meent import access

from .models import Attendance, Event


def is_community_manager(user) -> bool:
    if not access.is_active_person(user):
        return False
    if user.is_superuser:
        return True
    return settings.MEENT_COMMUNITY_MANAGERS_GROUP in access._group_names(user)


def event_labels(event) -> frozenset[str]:
    if event.hidden_at is not None:
        return frozenset()
    if event.group_id and not event.group.events_enabled:
        return frozenset()
    own = frozenset({access.user_label(event.organiser_id)}) if event.organiser_id else frozenset()
    if event.group_id:
        return content_labels(event.group) | own
    if event.visibility == Event.Visibility.LOGGED_IN:
        return frozenset({access.LOGGED_IN}) | own
    return frozenset({access.PUBLIC}) | own


def event_q(user, prefix="") -> Q:
    """Events ``user`` may see; ``prefix`` reaches events from another model ("event__")."""

    def field(name):
        return f"{prefix}{name}"

    community = [Event.Visibility.PUBLIC]
    if access.is_active_person(user):
        community.append(Event.Visibility.LOGGED_IN)
    seen = (
        Q(**{field("group__isnull"): False})
        & content_q(user, prefix=field("group__"))
        & Q(**{field("group__events_enabled"): True})
    ) | (Q(**{field("group__isnull"): True}) & Q(**{field("visibility__in"): community}))
    if access.is_active_person(user):
        own = Q(**{field("organiser_id"): user.pk}) & (
            Q(**{field("group__isnull"): True}) | Q(**{field("group__events_enabled"): True})
        )
        seen |= own
    return seen & Q(**{field("hidden_at__isnull"): True})


def may_organise_in(user, group) -> bool:
    """Whether the person may make an event in the group (``None``: on the community)."""
    if not access.is_active_person(user):
        return False
    if group is None:
        return is_community_manager(user)
    if not group.events_enabled or group.is_archived or not is_member(user, group):
        return False
    return group.event_organisers != "managers" or can_manage(user, group)


def may_sign_up(user, event) -> bool:
    """Whether a person with an account may answer the event (seeing it is asked first)."""
    if not access.is_active_person(user) or not access.can_view(user, event):
        return False
    if event.audience == Event.Audience.MEMBERS and event.group_id:
        return is_member(user, event.group)
    return True


@access.register(Event)
class EventPolicy(access.Policy):
    def labels(self, event):
        return event_labels(event)

    def visible_q(self, user):
        return event_q(user)

    def can_edit(self, user, event):
        if event.group_id:
            if not event.group.events_enabled or event.group.is_archived:
                return False
            if can_manage(user, event.group):
                return True
            return event.organiser_id == user.pk and may_organise_in(user, event.group)
        return is_community_manager(user)

    def can_moderate(self, user, event):
        if access.is_moderator(user):
            return True
        return event.group_id is not None and can_manage(user, event.group)


@access.register(Attendance)
class AttendancePolicy(access.Policy):
    """A sign-up is the attendee's and the organisers'."""

    def labels(self, attendance):
        event = attendance.event
        if not event_labels(event):
            return frozenset()
        labels = set()
        if attendance.person_id:
            labels.add(access.user_label(attendance.person_id))
        if event.organiser_id:
            labels.add(access.user_label(event.organiser_id))
        if event.group_id:
            from groups.policies import manager_labels

            labels |= manager_labels(event.group)
        return frozenset(labels)

    def visible_q(self, user):
        if not access.is_active_person(user):
            return Q(pk__in=[])
        from groups.policies import managed_group_ids

        mine = Q(person_id=user.pk) | Q(event__organiser_id=user.pk)
        mine |= Q(event__group_id__in=managed_group_ids(user))
        # What event_labels asks of the event itself (the labels are the people's own).
        shown = Q(event__hidden_at__isnull=True) & (
            Q(event__group__isnull=True) | Q(event__group__events_enabled=True)
        )
        return mine & shown

    def can_edit(self, user, attendance):
        return attendance.person_id == user.pk
