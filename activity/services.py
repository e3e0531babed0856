"""Every change to streams, follows and bookmarks, and the queries that read streams.

A line is recorded once when something happens (``record``); whether a reader sees it is
decided when it is read, in the same query (``visible_q``): each kind's objects that the reader
may see, by the access policy, as an EXISTS per line. So a hidden post, an unpublished one, a
page for members of a group the reader left, drop out of every stream at once, and a page of
lines is one query however many lines there are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from meent import access, sites
from meent.refusals import Refused

from . import registry
from .models import Bookmark, Entry, Follow, StartVisit

logger = logging.getLogger(__name__)


class ActivityError(Refused):
    """A follow or a bookmark that cannot be made: a message and an HTTP status."""


# ---------------------------------------------------------------------------------------------
# Recording


def _content_type(obj_or_model):
    return ContentType.objects.get_for_model(obj_or_model, for_concrete_model=True)


def record(kind_key: str, target, actor=None, *, at: datetime | None = None) -> Entry:
    """Record that ``actor`` did ``kind_key`` to ``target`` (at ``at``, by default now; a
    scheduled post's line is recorded with its publication time and shows from then on)."""
    kind = registry.kind(kind_key)
    shown = kind.display(target) if kind.display else target
    item = registry.item_for(shown)
    group_id, site_id = item.group_id(shown), item.site_id(shown)
    at = at or timezone.now()
    actor_id = getattr(actor, "pk", None)
    target_type = _content_type(target)
    fields = {
        "kind": kind.key,
        "target_type": target_type,
        "target_id": target.pk,
        "group_id": group_id,
        "site_id": site_id,
    }
    with transaction.atomic():
        if kind.once:
            entry, _created = Entry.objects.update_or_create(
                **fields, defaults={"actor_id": actor_id, "occurred_at": at, "count": 1}
            )
            return entry
        if kind.folds:
            scope = {"group_id": group_id} if group_id else {"site_id": site_id, "group": None}
            last = (
                Entry.objects.select_for_update()
                .filter(**scope)
                .order_by("-occurred_at", "-pk")
                .first()
            )
            if (
                last is not None
                and last.kind == kind.key
                and last.actor_id == actor_id
                and last.target_type_id == target_type.pk
                and last.target_id == target.pk
            ):
                Entry.objects.filter(pk=last.pk).update(count=last.count + 1, occurred_at=at)
                last.count += 1
                last.occurred_at = at
                return last
        return Entry.objects.create(**fields, actor_id=actor_id, occurred_at=at)


def forget(kind_key: str, target) -> int:
    """Remove the lines of ``kind_key`` about ``target`` (a post taken back to a draft)."""
    deleted, _ = Entry.objects.filter(
        kind=kind_key, target_type=_content_type(target), target_id=target.pk
    ).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Reading


def visible_q(user, keys=None) -> Q:
    """Lines ``user`` may see: for each kind, the line's object is one the policy shows them.
    ``keys``: only these kinds (a query already limited to them needs no EXISTS for the rest:
    fewer subqueries to build and plan, per person in the content digest)."""
    q = Q(pk__in=[])
    for kind in registry.KINDS.values():
        if keys is not None and kind.key not in keys:
            continue
        visible = kind.visible_objects(user).filter(pk=OuterRef("target_id"))
        q |= Q(Exists(visible), kind=kind.key)
    return q


@dataclass
class Line:
    entry: Entry
    kind: registry.Kind
    target: object  # what the line links to
    url: str
    title: str
    is_new: bool = False

    @property
    def occurred_at(self):
        return self.entry.occurred_at

    def sentence(self):
        """The line in the reader's language, as safe HTML: links to the person and the item."""
        actor = self.entry.actor
        actor_html = (
            format_html('<a href="{}">{}</a>', actor.get_absolute_url(), actor.display_name)
            if actor is not None
            else gettext("A former member")
        )
        target_html = format_html('<a href="{}">{}</a>', self.url, self.title)
        subject = self.kind.subject(self.entry.target) if self.kind.subject else None
        subject_html = (
            format_html('<a href="{}">{}</a>', subject.get_absolute_url(), subject.display_name)
            if subject is not None
            else gettext("a former member")
        )
        count = self.entry.count
        # Folded lines are always more than one: "{count} times" needs no plural forms.
        folded = count > 1 and self.kind.plural
        template = gettext(str(self.kind.plural if folded else self.kind.message))
        return format_html(
            template, actor=actor_html, target=target_html, subject=subject_html, count=count
        )


def lines(entries, *, new_after: datetime | None = None) -> list[Line]:
    """Lines for ``entries`` (already filtered by ``visible_q``), with their objects fetched in
    one query per kind."""
    entries = list(entries)
    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.target_id)
    objects: dict[tuple[str, int], object] = {}
    for key, ids in by_kind.items():
        kind = registry.KINDS.get(key)
        if kind is None:
            continue
        queryset = kind.model._default_manager.filter(pk__in=ids)
        if kind.select_related:
            queryset = queryset.select_related(*kind.select_related)
        for obj in queryset:
            objects[(key, obj.pk)] = obj
    result = []
    for entry in entries:
        kind = registry.KINDS.get(entry.kind)
        target = objects.get((entry.kind, entry.target_id))
        if kind is None or target is None:
            continue
        entry.target = target  # the GenericForeignKey's cache: no query per line
        shown = kind.display(target) if kind.display else target
        item = registry.item_for(shown)
        result.append(
            Line(
                entry=entry,
                kind=kind,
                target=shown,
                url=item.url(shown) if item else shown.get_absolute_url(),
                title=item.title(shown) if item else str(shown),
                is_new=bool(new_after and entry.occurred_at > new_after),
            )
        )
    return result


def _readable(user, queryset, keys=None):
    return (
        queryset.filter(visible_q(user, keys), occurred_at__lte=timezone.now())
        .select_related("actor", "group")
        .order_by("-occurred_at", "-pk")
    )


def group_entries(user, group):
    """The lines of ``group``'s stream that ``user`` may see, newest first."""
    return _readable(user, Entry.objects.filter(group=group))


def followed_group_ids(user) -> tuple[set[int], set[int]]:
    """(groups whose news ``user`` gets: their groups and the groups they follow, less the ones
    they follow at "nothing"; the groups they follow at "every new item")."""
    group_type = _content_type(_group_model())
    levels = dict(
        Follow.objects.filter(user=user, target_type=group_type).values_list("target_id", "level")
    )
    member = set(access.member_group_ids(user))
    groups = (member | set(levels)) - {
        pk for pk, level in levels.items() if level == Follow.Level.NOTHING
    }
    return groups, {pk for pk, level in levels.items() if level == Follow.Level.ALL}


def followed_people_ids(user) -> list[int]:
    from django.contrib.auth import get_user_model

    return list(
        Follow.objects.filter(user=user, target_type=_content_type(get_user_model())).values_list(
            "target_id", flat=True
        )
    )


def _group_model():
    from groups.models import Group

    return Group


def news_entries(user, site=None, *, group_ids=None, people_ids=None, since=None, digest=False):
    """What is new for ``user``: news lines in their groups (and the groups they follow) and by
    the people they follow, that they may see, not their own, newest first.

    - ``site``: only community ``site``'s (``meent.sites.current_site``); None: every community
      (the content digest, whose links lead to each item's own host).
    - ``since``: only lines after this moment.
    - ``digest``: only the kinds a content digest lists (posts, pages, comments).
    """
    if group_ids is None:
        group_ids, _all = followed_group_ids(user)
    if people_ids is None:
        people_ids = followed_people_ids(user)
    keys = [kind.key for kind in registry.news_kinds() if kind.digest or not digest]
    entries = Entry.objects.filter(
        Q(group_id__in=group_ids) | Q(actor_id__in=people_ids), kind__in=keys
    ).exclude(actor_id=user.pk)
    if site is not None:
        # A group's lines by the group's community now (a group can be moved to another),
        # a personal post's by the community it was written on.
        from groups.models import Group

        entries = entries.filter(
            Q(group__in=Group.objects.on_site(site))
            | (Q(group__isnull=True) & sites.belongs_q(site))
        )
    if since is not None:
        entries = entries.filter(occurred_at__gt=since)
    return _readable(user, entries, keys)


def unread_counts(user, groups) -> dict[int, int]:
    """Per group of ``groups`` (the person's memberships, with ``last_seen_at``): lines they may
    see since they last opened the group, not their own. One query."""
    from django.db.models import Count

    keys = _news_keys()
    seen = {m.group_id: m.last_seen_at for m in groups}
    if not seen:
        return {}
    scope = Q(pk__in=[])
    for group_id, last_seen in seen.items():
        condition = Q(group_id=group_id)
        if last_seen is not None:
            condition &= Q(occurred_at__gt=last_seen)
        scope |= condition
    rows = (
        _readable(user, Entry.objects.filter(scope, kind__in=keys), keys)
        .exclude(actor_id=user.pk)
        .order_by()
        .values("group_id")
        .annotate(unread=Count("pk"))
    )
    return {row["group_id"]: row["unread"] for row in rows}


def _news_keys() -> list[str]:
    return [kind.key for kind in registry.news_kinds()]


def start_visit(user, site_id, now=None) -> datetime | None:
    """Remember this look at the start page; returns the time of the visit before (lines after it
    are new). Looks within half an hour count as one visit, so a reload keeps the marks."""
    now = now or timezone.now()
    if not site_id:
        return None
    visit, created = StartVisit.objects.get_or_create(
        user=user, site_id=site_id, defaults={"seen_at": now}
    )
    if created:
        return None
    if now - visit.seen_at > VISIT_GAP:
        StartVisit.objects.filter(pk=visit.pk).update(previous_seen_at=visit.seen_at, seen_at=now)
        return visit.seen_at
    return visit.previous_seen_at


VISIT_GAP = timezone.timedelta(minutes=30)


# ---------------------------------------------------------------------------------------------
# Following and bookmarks


def _item_or_refuse(target, *, purpose: str) -> registry.Item:
    item = registry.item_for(target)
    if item is None or not getattr(item, purpose):
        raise ActivityError(gettext("This cannot be followed or saved."), 400)
    return item


def _check_person(user):
    if not access.is_active_person(user):
        raise ActivityError(gettext("Sign in to follow or save things."), 403)


def follow(user, target, level: str = Follow.Level.ALL) -> Follow:
    """``user`` follows ``target`` (at ``level``, for a group); following twice is one follow."""
    _check_person(user)
    _item_or_refuse(target, purpose="followable")
    if not access.can_view(user, target):
        raise ActivityError(gettext("This page does not exist."), 404)
    if level not in Follow.Level.values:
        raise ActivityError(gettext("Choose what you want to hear about."), 400)
    if registry.item_for(target).key == "accounts.user" and target.pk == user.pk:
        raise ActivityError(gettext("You cannot follow yourself."), 400)
    with transaction.atomic():
        follow, _created = Follow.objects.update_or_create(
            user=user,
            target_type=_content_type(target),
            target_id=target.pk,
            defaults={"level": level},
        )
    return follow


def follow_quietly(user, target) -> None:
    """Writing or commenting on something follows it, unless the person already decided."""
    if registry.item_for(target) is None or not access.is_active_person(user):
        return
    Follow.objects.get_or_create(user=user, target_type=_content_type(target), target_id=target.pk)


def unfollow(user, target) -> bool:
    deleted, _ = Follow.objects.filter(
        user=user, target_type=_content_type(target), target_id=target.pk
    ).delete()
    return bool(deleted)


def follow_of(user, target) -> Follow | None:
    if not getattr(user, "pk", None):
        return None
    return Follow.objects.filter(
        user=user, target_type=_content_type(target), target_id=target.pk
    ).first()


def followers(target, *, levels=(Follow.Level.ALL,)):
    """The people following ``target`` at one of ``levels``."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        follows__target_type=_content_type(target),
        follows__target_id=target.pk,
        follows__level__in=levels,
    )


def save_for_later(user, target) -> Bookmark:
    _check_person(user)
    _item_or_refuse(target, purpose="bookmarkable")
    if not access.can_view(user, target):
        raise ActivityError(gettext("This page does not exist."), 404)
    bookmark, _created = Bookmark.objects.get_or_create(
        user=user, target_type=_content_type(target), target_id=target.pk
    )
    return bookmark


def unsave(user, target) -> bool:
    deleted, _ = Bookmark.objects.filter(
        user=user, target_type=_content_type(target), target_id=target.pk
    ).delete()
    return bool(deleted)


def is_saved(user, target) -> bool:
    if not getattr(user, "pk", None):
        return False
    return Bookmark.objects.filter(
        user=user, target_type=_content_type(target), target_id=target.pk
    ).exists()


@dataclass
class Reference:
    """A follow or bookmark as listed: its item, if the person may still see it."""

    row: Follow | Bookmark
    item: registry.Item
    target: object
    title: str
    url: str


def references(user, rows) -> list[Reference]:
    """Follows or bookmarks with their objects, each checked against the access policy; one
    query per kind of item. What the person may no longer see is left out (not deleted: it may
    come back)."""
    rows = list(rows)
    by_type: dict[int, list[int]] = {}
    for row in rows:
        by_type.setdefault(row.target_type_id, []).append(row.target_id)
    objects = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        item = registry.item_for(model) if model else None
        if item is None:
            continue
        queryset = registry.visible_objects(model, user).filter(pk__in=ids)
        if item.select_related:
            queryset = queryset.select_related(*item.select_related)
        for obj in queryset:
            objects[(type_id, obj.pk)] = (item, obj)
    result = []
    for row in rows:
        found = objects.get((row.target_type_id, row.target_id))
        if found:
            item, obj = found
            result.append(Reference(row, item, obj, item.title(obj), item.url(obj)))
    return result


def unfollow_everything(user) -> int:
    """One click: stop following everything (groups one is a member of stay one's groups)."""
    deleted, _ = Follow.objects.filter(user=user).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Telling followers


def announce(kind_key: str, target) -> int:
    """Tell the followers of ``target``'s group (at "every new item", for a new item) and of its
    thread (a comment's post) that it is there; called by the content app once it is visible to
    others (a scheduled post at its time). Each person only if they may see it, never the one
    who did it; in their language when they read it. Returns how many were told."""
    from notifications import notify

    kind = registry.kind(kind_key)
    entry = (
        Entry.objects.filter(kind=kind_key, target_type=_content_type(target), target_id=target.pk)
        .select_related("actor", "group")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if entry is None or entry.actor is None:
        return 0
    shown = kind.display(target) if kind.display else target
    item = registry.item_for(shown)
    params = {"person": entry.actor.display_name, "title": item.title(shown)}
    people = {}
    if kind.new_item and entry.group is not None:
        params["group"] = entry.group.name
        for person in followers(entry.group):
            people[person.pk] = (person, "activity.new_in_group")
    thread = kind.thread(target) if kind.thread else None
    if thread is not None:
        told = set(kind.told(target)) if kind.told else set()
        for person in followers(thread, levels=(Follow.Level.ALL, Follow.Level.MENTIONS)):
            if person.pk not in told:
                people[person.pk] = (person, kind.thread_message)
    count = 0
    for person, message in people.values():
        if notify(
            person,
            "following",
            message,
            item.url(shown),
            params=params,
            about=target,
            actor=entry.actor,
            community=entry.group or item.site_id(shown),
        ):
            count += 1
    return count
