"""What can be found: the content apps register a ``SearchDocument`` per model.

``search`` never imports a content app. Each app has a ``search.py`` with its documents, imported
from its AppConfig.ready(). SearchConfig.ready() has search/signals.py listen to every registered
model (``on_register``), whichever app is ready first.

A document describes how one model becomes an index entry (``prepare_*``), which objects a rebuild
indexes (``get_queryset``), which objects must not be in the index at all (``should_index``), and
which other objects must be re-indexed when an object's access changes (``related_to``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from django.db import models

from meent import access
from meent.sanitize import clean_text

MAX_BODY_LENGTH = 20_000


@dataclass(frozen=True)
class IndexEntry:
    """What a backend stores for one object."""

    type: str
    object_id: int
    # What the result list shows as the title; ranked with the most weight.
    title: str
    body: str
    url: str
    # Where the object lives (a chat message's room, a comment's post): it finds the object, with
    # the least weight, and is shown as the title of an object without one of its own.
    context: str = ""
    group_id: int | None = None
    organisation_id: int | None = None
    author_id: int | None = None
    date: datetime | None = None
    # The community (Wagtail Site) the object belongs to; None: every community (people).
    site_id: int | None = None
    # The one interface language whose readers find the entry (a translated toolbox page: its
    # own); None: every language (content without one, a page without a translation).
    language: str | None = None
    # The access labels that may see the entry now.
    access: frozenset[str] = frozenset()
    # Labels that may see it from a later moment on (a scheduled post): {label: from}.
    scheduled_access: dict[str, datetime] = field(default_factory=dict)


class SearchDocument:
    model: type[models.Model]
    # Several models under one type (page types of one part of the site); default: ``model``.
    # Their keys must not overlap (Wagtail pages share one table of keys).
    models: tuple[type[models.Model], ...] = ()
    type_name: str
    type_label = ""
    # Saves whose update_fields miss all of these fields do not re-index (None: every save does).
    watch_fields: frozenset[str] | None = None
    # When one of these attributes changes, the objects of every document's ``related_to`` are
    # re-indexed too: their access labels (or title, address) follow this object's.
    related_fields: tuple[str, ...] = ()

    def get_queryset(self):
        return self.model._default_manager.all()

    def should_index(self, obj) -> bool:
        return True

    def related_to(self, obj):
        """A queryset of this document's objects whose labels follow ``obj`` (of another
        registered model), or None."""
        return None

    def prepare_title(self, obj) -> str:
        return str(obj)

    def prepare_body(self, obj) -> str:
        return ""

    def prepare_context(self, obj) -> str:
        return ""

    def prepare_url(self, obj) -> str:
        return obj.get_absolute_url()

    def prepare_group_id(self, obj):
        return getattr(obj, "group_id", None)

    def prepare_organisation_id(self, obj):
        return None

    def prepare_site_id(self, obj):
        """The community of the object's group (``group`` is select_related by the documents)."""
        if getattr(obj, "group_id", None) is None:
            return None
        return obj.group.site_id

    def prepare_author_id(self, obj):
        return None

    def prepare_language(self, obj) -> str | None:
        return None

    def prepare_date(self, obj):
        return None

    def prepare_access(self, obj) -> frozenset[str]:
        return access.labels_for(obj)

    def prepare_scheduled_access(self, obj) -> dict[str, datetime]:
        """Labels that see the object from a later moment on, without re-indexing then."""
        return {}

    def prepare(self, obj) -> IndexEntry:
        return IndexEntry(
            type=self.type_name,
            object_id=obj.pk,
            title=plain(self.prepare_title(obj))[:300],
            body=plain(self.prepare_body(obj))[:MAX_BODY_LENGTH],
            url=self.prepare_url(obj),
            context=plain(self.prepare_context(obj))[:300],
            group_id=self.prepare_group_id(obj),
            organisation_id=self.prepare_organisation_id(obj),
            author_id=self.prepare_author_id(obj),
            date=self.prepare_date(obj),
            site_id=self.prepare_site_id(obj),
            language=self.prepare_language(obj),
            access=frozenset(self.prepare_access(obj)),
            scheduled_access=dict(self.prepare_scheduled_access(obj)),
        )


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "tr",
        "table",
        "blockquote",
        "pre",
        "section",
        "figure",
    ]
)
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript"})


class _TextOfHtml(HTMLParser):
    """The text of an HTML fragment: tags dropped, entities decoded, block elements separating
    words, script and style content left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def plain(text: str) -> str:
    """Plain text from HTML or text, whitespace collapsed; block elements separate words.

    Indexing calls this for every title and body, so it avoids the sanitiser (html5lib) where it
    can: plain text as it is, HTML through the standard library's parser. Only text that still
    holds a "<" afterwards (an entity that hid a tag) goes through the sanitiser's clean_text.
    """
    text = text or ""
    if "<" in text or "&" in text:
        parser = _TextOfHtml()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
        if "<" in text:
            text = clean_text(text)
    return " ".join(text.split())


_documents: dict[str, SearchDocument] = {}
_by_model: dict[type, SearchDocument] = {}


_listeners: list = []


def register(document_class):
    """Class decorator for a SearchDocument subclass (from a content app's ``ready()``)."""
    document = document_class()
    if document.type_name in _documents:
        raise ValueError(f"A search document named {document.type_name!r} is registered already.")
    _documents[document.type_name] = document
    for model in document.models or (document.model,):
        _by_model[model] = document
        for listener in _listeners:
            listener(document, model)
    return document_class


def on_register(listener) -> None:
    """Call ``listener(document, model)`` for every model registered so far and from now on
    (search/signals.py keeps the index up to date this way, connected in SearchConfig.ready)."""
    _listeners.append(listener)
    for model, document in list(_by_model.items()):
        listener(document, model)


def documents() -> list[SearchDocument]:
    return list(_documents.values())


def get(type_name: str) -> SearchDocument | None:
    return _documents.get(type_name)


def for_model(model) -> SearchDocument | None:
    for klass in model.__mro__:
        if klass in _by_model:
            return _by_model[klass]
    return None


def type_names() -> list[str]:
    return list(_documents)
