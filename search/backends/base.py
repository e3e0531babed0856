"""The search interface: what every backend answers, and the checks they share.

Every backend answers the same contract (tests/search/test_contract.py), written down as the
``SearchBackend`` protocol below:

- ``index(entries)`` stores ``registry.IndexEntry`` objects (replacing what it held for them),
  ``remove(type, ids)``, ``clear()``, ``count_by_type()``, ``ping()``;
- ``search(SearchQuery) -> SearchResults``: every query word must match (in any of its Dutch or
  English forms, accents folded); results, the total, the facet counts and the snippets only ever
  concern entries that share an access label with the person (meent/access.py).

The backends: ``database.DatabaseBackend`` (the embedded default) and
``elasticsearch.ElasticsearchBackend``; ``search.backends.get_search_backend()`` gives the
configured one. Nothing outside ``search/`` names a backend class.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from meent import access

from .. import registry, text

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100
SNIPPET_LENGTH = 240


@dataclass
class SearchQuery:
    text: str
    user: object = None
    types: tuple = ()
    group_id: object = None
    organisation_id: object = None
    author_id: object = None
    # The community searched in: its own entries and those of every community (people).
    site_id: object = None
    # The reader's interface language: entries of another language are left out (content without
    # a language is always found). None: every language.
    language: str | None = None
    date_from: date | datetime | None = None
    date_to: date | datetime | None = None
    page: object = 1
    per_page: object = 20


@dataclass(frozen=True)
class Hit:
    type: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    date: datetime | None
    score: float


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # Matches per type among what the person may see, with every filter but the type filter.
    facets: dict[str, int] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    # No words to search for: nothing was searched.
    empty: bool = False
    # The text was longer than MAX_QUERY_LENGTH characters and was cut.
    truncated: bool = False
    # Names of filters whose values made no sense (no results then).
    invalid: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Query validation, shared by the backends


@dataclass
class _Checked:
    groups: list[tuple[str, ...]]
    labels: frozenset[str]
    types: tuple[str, ...]
    group_id: int | None
    organisation_id: int | None
    author_id: int | None
    site_id: int | None
    language: str | None
    start: datetime | None
    end: datetime | None
    page: int
    per_page: int
    result: SearchResults


def _as_id(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError
    number = int(value)
    if number < 1 or number > 2**62:
        raise ValueError
    return number


def _as_moment(value, *, end=False):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        moment = datetime.combine(value, time.min)
        if end:  # a date range includes its last day
            moment += timedelta(days=1)
        return timezone.make_aware(moment)
    raise ValueError


def check(query: SearchQuery) -> _Checked:
    raw = query.text if isinstance(query.text, str) else ""
    result = SearchResults()
    if len(raw) > MAX_QUERY_LENGTH:
        # Cut at a word boundary: half a word would match nothing.
        cut = raw[:MAX_QUERY_LENGTH]
        if not raw[MAX_QUERY_LENGTH].isspace() and any(ch.isspace() for ch in cut):
            cut = cut[: max(i for i, ch in enumerate(cut) if ch.isspace())]
        raw = cut
        result.truncated = True
    invalid = []
    try:
        page = max(1, min(int(query.page), 10_000))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = max(1, min(int(query.per_page), MAX_PER_PAGE))
    except (TypeError, ValueError):
        per_page = 20
    result.page, result.per_page = page, per_page
    types = query.types
    if isinstance(types, str):
        types = (types,)
    types = tuple(t for t in (types or ()) if t)
    if any(t not in registry.type_names() for t in types):
        invalid.append("types")
    ids = {}
    for name in ("group_id", "organisation_id", "author_id", "site_id"):
        try:
            ids[name] = _as_id(getattr(query, name))
        except (TypeError, ValueError, OverflowError):
            invalid.append(name)
            ids[name] = None
    moments = {}
    for name, end in (("date_from", False), ("date_to", True)):
        try:
            moments[name] = _as_moment(getattr(query, name), end=end)
        except (TypeError, ValueError, OverflowError):
            invalid.append(name)
            moments[name] = None
    language = query.language or None
    codes = dict(settings.LANGUAGES)
    if isinstance(language, str) and language not in codes:
        language = language.split("-")[0].lower()  # a variant ("en-gb"): its language
    if language is not None and language not in codes:
        invalid.append("language")
        language = None
    result.invalid = tuple(invalid)
    groups = text.query_groups(raw)
    result.empty = not groups
    return _Checked(
        groups=groups,
        labels=access.labels_for_user(query.user),
        types=types,
        start=moments["date_from"],
        end=moments["date_to"],
        page=page,
        per_page=per_page,
        result=result,
        language=language,
        **ids,
    )


def snippet(body: str, groups: list[tuple[str, ...]], length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of ``body`` around the first matching word, matched words in <mark>, the rest
    escaped."""
    wanted = {form for group in groups for form in group}
    spans = []
    for match in text._WORD.finditer(body):
        word = text.fold(match.group())[: text.MAX_WORD_LENGTH]
        if any(form in wanted for form in text.forms(word)):
            spans.append((match.start(), match.end()))
    start = 0
    if spans:
        start = max(0, spans[0][0] - length // 4)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
    end = min(len(body), start + length)
    while end < len(body) and not body[end].isspace() and end - start < length + 30:
        end += 1
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(html.escape(body[position:span_start]))
        parts.append(f"<mark>{html.escape(body[span_start:span_end])}</mark>")
        position = span_end
    parts.append(html.escape(body[position:end]))
    if end < len(body):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of body text is escaped)


@runtime_checkable
class SearchBackend(Protocol):
    """What every backend does (the contract tests hold each backend to it)."""

    name: str

    def ping(self) -> None: ...

    def index(self, entries: Iterable[registry.IndexEntry]) -> None: ...

    def remove(self, type_name: str, ids: Iterable[int]) -> None: ...

    def clear(self) -> None: ...

    def count_by_type(self) -> dict[str, int]: ...

    def search(self, query: SearchQuery) -> SearchResults: ...
