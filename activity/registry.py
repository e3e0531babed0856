"""What the activity stream, following and bookmarks know of the content apps.

Each content app registers, from its ``AppConfig.ready()`` (``<app>/activity.py``):

- its **items** (``register_item``): models a person can follow or save for later, with how to
  name one, where it lives and which group and community it belongs to;
- its **kinds** of activity (``register_kind``): what happened to an item (a post published, a
  wiki page edited), with the sentence that tells it, in English msgids with ``{actor}`` and
  ``{target}`` placeholders, rendered in the reader's language when shown.

The stream stores references (a kind, an actor, an item's type and id), never text: a hidden,
deleted or erased item drops out of every stream when it is read, because every line is checked
against the access policy (``visible``) in the query that reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete

from meent import access


@dataclass(frozen=True)
class Item:
    """A model whose objects appear in streams, and can be followed or saved."""

    key: str  # "blog.post": in URLs and exports
    model: type[Model]
    label: object  # lazily translated: "blog post"
    title: Callable[[Model], str]
    group_id: Callable[[Model], int | None]
    site_id: Callable[[Model], int | None]
    followable: bool = True
    bookmarkable: bool = True
    # Related objects that title() and the links need, for one query per page.
    select_related: tuple[str, ...] = ()

    def url(self, obj) -> str:
        return obj.get_absolute_url()


@dataclass(frozen=True)
class Kind:
    """Something that happens to an item of ``model``."""

    key: str  # "blog.published"
    model: type[Model]
    # "{actor} published {target}"; ``plural`` for a line that folds several into one:
    # "{actor} edited {target} {count} times" (always more than one).
    message: object
    plural: object = None
    # Consecutive lines of this kind by one person about one item fold into one line.
    folds: bool = False
    # One line per item: recording again moves it (a scheduled post moved to another time).
    once: bool = False
    # Shown on the start page and in the content digest (what is new), or only in its group's
    # stream (who joined, who changed a role).
    news: bool = True
    # Listed in the content digest e-mail (new posts, pages, comments; not who joined).
    digest: bool = True
    # The objects a reader may see the line of; by default the model's access policy.
    visible: Callable[[object], QuerySet] | None = None
    # A new item (a post published, a page created): who follows its group at "every new item"
    # is told.
    new_item: bool = False
    # Followers of the item this returns hear of a new line (a comment: its post), except the
    # people the content app tells itself (``told``: ids; the post's author, the replied-to).
    thread: Callable[[Model], Model | None] | None = None
    told: Callable[[Model], set] | None = None
    # The notification message key the thread's followers get (notifications/messages.py).
    thread_message: str = "activity.new_comment"
    # The line's item when shown (a comment's line links to the comment, named by its post).
    display: Callable[[Model], Model] | None = None
    # A second person the sentence names ("{actor} removed {subject} from {target}").
    subject: Callable[[Model], object] | None = None
    # Related objects that display(), subject() and the links need, for one query per kind.
    select_related: tuple[str, ...] = ()

    def visible_objects(self, user) -> QuerySet:
        if self.visible is not None:
            return self.visible(user)
        return visible_objects(self.model, user)


def visible_objects(model, user) -> QuerySet:
    """``model``'s objects that ``user`` may see, by its access policy (people have no
    ``visible_to`` of their own)."""
    return model._default_manager.filter(access.policy_for(model).visible_q(user))


ITEMS: dict[str, Item] = {}
ITEMS_BY_MODEL: dict[type, Item] = {}
KINDS: dict[str, Kind] = {}


def register_item(item: Item) -> Item:
    if item.key in ITEMS:
        raise ValueError(f"An activity item {item.key!r} is registered already.")
    ITEMS[item.key] = item
    ITEMS_BY_MODEL[item.model] = item
    _forget_on_delete(item.model)
    return item


def register_kind(kind: Kind) -> Kind:
    if kind.key in KINDS:
        raise ValueError(f"An activity kind {kind.key!r} is registered already.")
    if len(kind.key) > 40:
        raise ValueError(f"An activity kind's key has at most 40 characters: {kind.key!r}")
    KINDS[kind.key] = kind
    _forget_on_delete(kind.model)
    return kind


def item_for(obj_or_model) -> Item | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in ITEMS_BY_MODEL:
            return ITEMS_BY_MODEL[klass]
    return None


def kind(key: str) -> Kind:
    return KINDS[key]


def news_kinds() -> list[Kind]:
    return [k for k in KINDS.values() if k.news]


def _forget_on_delete(model) -> None:
    # Per model, never for every model: a receiver for all senders would end Django's fast
    # deletes everywhere.
    post_delete.connect(_forget, sender=model, dispatch_uid=f"activity-forget-{model._meta.label}")


def _forget(sender, instance, **kwargs):
    from .models import forget_object

    forget_object(instance)
