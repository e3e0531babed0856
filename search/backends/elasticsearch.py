"""The Elasticsearch backend (used when ``settings.ELASTICSEARCH_URL`` is set).

It answers the contract of search/backends/base.py with the ``elasticsearch`` client (8.18+, which
talks to Elasticsearch 8 and 9) and its ``elasticsearch.dsl`` module.

Indices and aliases, per content type (``prefix`` is ``settings.SEARCH_INDEX_PREFIX``):

- ``<prefix>-index-<type>-<version>``: a concrete index (one shard; its settings and mappings are
  ``index_body()``);
- ``<prefix>-read-<type>``: the alias searches read (``<prefix>-read-*`` reads every type);
- ``<prefix>-write-<type>``: the alias ``index()`` and ``remove()`` write to.

A rebuild (``manage.py search_index rebuild``) creates a new version of every index and moves the
write aliases to them (``begin_rebuild``), so changes made meanwhile land in the new indices;
searches keep reading the old ones. ``finish_rebuild`` then moves every read alias in one
``update_aliases`` call (atomic) and deletes the old indices. The rebuild writes with
``op_type=create``: a document the outbox wrote meanwhile is newer and is not overwritten.

Access with publication times, mirroring the DatabaseBackend (``SearchAccess.visible_from``):
``access`` is a keyword field with the labels that may see the entry now (no time), and
``scheduled_access`` a nested list of ``{label, visible_from}`` for labels that see it from a later
moment on. An entry is visible to a person when one of their labels is in ``access``, or one
``scheduled_access`` item has one of their labels and ``visible_from <= now`` (the same clock
reading as the database backend: the application's ``timezone.now()``). A nested query keeps
label and moment of one item together.

Text: ``title``, ``body`` and ``context`` (a chat message's room, a comment's post: weighed least,
shown as the title of an entry without one) are analysed with a folding analyser (standard
tokenizer, lowercase, ASCII folding) and carry ``dutch`` and ``english`` sub-fields (the same plus the language's
Snowball stemmer). Like the database backend, every word of a query must match (in any field, in
any of its forms): one ``multi_match`` per word, all in a ``bool`` ``must``. The words are those of
search/text.py (folded, at most MAX_QUERY_WORDS), so no query syntax reaches Elasticsearch.
One difference remains: the database backend also matches a Dutch stem against an English one.

Snippets: the server marks matches in ``body`` fragments with private-use characters and no
encoder; ``highlight_snippet`` escapes every piece of text itself and only then adds ``<mark>``.
Facets: a ``terms`` aggregation on ``type``; the type filter is a ``post_filter``, so the counts
keep every type (as the database backend's). Suggestions (``suggest``): a completion field over
every word-suffix of the title with an ``access`` category context; the time rule and the type
filter are checked on the returned documents.

Errors (connection, timeouts, a bulk item that failed) propagate: the outbox drain keeps its items
and retries (search/indexing.py). Every write replaces whole documents by id, so a retry after a
partly applied bulk request leaves no mixed state.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from django.utils import timezone
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch, NotFoundError, dsl, helpers

from .. import registry, text
from .base import (
    MAX_QUERY_LENGTH,
    SNIPPET_LENGTH,
    Hit,
    SearchQuery,
    SearchResults,
    check,
    snippet,
)

# The largest from + size Elasticsearch serves (index.max_result_window, default 10000).
MAX_RESULT_WINDOW = 10_000
# Highlight markers: private-use characters, never HTML. The fragments are escaped here, the
# markers become <mark> afterwards (we do not rely on the server's html encoder).
PRE, POST = "\ue000", "\ue001"
_TYPE_NAME = re.compile(r"^[a-z0-9_]+$")

# ---------------------------------------------------------------------------------------------
# Analysis and mappings

_dutch_stemmer = dsl.token_filter("meent_dutch_stemmer", type="stemmer", language="dutch")
_english_stemmer = dsl.token_filter("meent_english_stemmer", type="stemmer", language="english")

FOLDED = dsl.analyzer("meent_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
DUTCH = dsl.analyzer(
    "meent_dutch", tokenizer="standard", filter=["lowercase", "asciifolding", _dutch_stemmer]
)
ENGLISH = dsl.analyzer(
    "meent_english", tokenizer="standard", filter=["lowercase", "asciifolding", _english_stemmer]
)


def _text():
    return dsl.Text(
        analyzer=FOLDED,
        fields={"dutch": dsl.Text(analyzer=DUTCH), "english": dsl.Text(analyzer=ENGLISH)},
    )


class ScheduledAccess(dsl.InnerDoc):
    label = dsl.Keyword()
    visible_from = dsl.Date()


class SearchEntryDocument(dsl.Document):
    """One index entry (registry.IndexEntry); the id is ``<type>:<object_id>``."""

    type = dsl.Keyword()
    object_id = dsl.Long()
    title = _text()
    body = _text()
    # Where the entry lives (a chat message's room): found with the least weight (TEXT_FIELDS).
    context = _text()
    url = dsl.Keyword(index=False)
    group_id = dsl.Long()
    organisation_id = dsl.Long()
    author_id = dsl.Long()
    date = dsl.Date()
    site_id = dsl.Long()
    # The interface language whose readers find the entry; absent: every language.
    language = dsl.Keyword()
    access = dsl.Keyword()
    scheduled_access = dsl.Nested(ScheduledAccess)
    # Title suggestions (every word-suffix of the folded title), by access label.
    suggest = dsl.Completion(
        analyzer=FOLDED, contexts=[{"name": "access", "type": "category"}], max_input_length=100
    )


def index_body() -> dict:
    """The settings and mappings of every index (one per type, all alike)."""
    index = dsl.Index("meent")
    index.settings(number_of_shards=1, max_result_window=MAX_RESULT_WINDOW)
    index.document(SearchEntryDocument)
    body = index.to_dict()
    body["mappings"]["dynamic"] = "strict"
    return body


def document_id(type_name: str, object_id) -> str:
    return f"{type_name}:{object_id}"


def to_source(entry: registry.IndexEntry) -> dict:
    scheduled = [
        {"label": label, "visible_from": moment.isoformat()}
        for label, moment in sorted(entry.scheduled_access.items())
        if label not in entry.access
    ]
    inputs = suggestion_inputs(entry.title)
    return {
        "type": entry.type,
        "object_id": entry.object_id,
        "title": entry.title,
        "body": entry.body,
        "context": entry.context,
        "url": entry.url,
        "group_id": entry.group_id,
        "organisation_id": entry.organisation_id,
        "author_id": entry.author_id,
        "date": entry.date.isoformat() if entry.date else None,
        "site_id": entry.site_id,
        "language": entry.language,
        "access": sorted(entry.access),
        "scheduled_access": scheduled,
        # Contexts: every label, scheduled ones too; suggest() checks their moment.
        "suggest": {
            "input": inputs,
            "contexts": {"access": sorted(set(entry.access) | set(entry.scheduled_access))},
        }
        if inputs
        else None,
    }


# ---------------------------------------------------------------------------------------------
# Query bodies (pure functions: what the backend sends)

TEXT_FIELDS = [
    "title^3",
    "title.dutch^3",
    "title.english^3",
    "body",
    "body.dutch",
    "body.english",
    # A chat message's room, a comment's post: context, a quarter of a body match (as the
    # database backend weighs it).
    "context^0.25",
    "context.dutch^0.25",
    "context.english^0.25",
]


def access_filter(labels, now: datetime) -> dict:
    """Entries that one of ``labels`` may see at ``now`` (see the module docstring)."""
    labels = sorted(labels)
    return {
        "bool": {
            "should": [
                {"terms": {"access": labels}},
                {
                    "nested": {
                        "path": "scheduled_access",
                        "query": {
                            "bool": {
                                "filter": [
                                    {"terms": {"scheduled_access.label": labels}},
                                    {
                                        "range": {
                                            "scheduled_access.visible_from": {
                                                "lte": now.isoformat()
                                            }
                                        }
                                    },
                                ]
                            }
                        },
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def site_filter(site_id) -> dict:
    """A community's entries: its own and those of every community (no site_id)."""
    return {
        "bool": {
            "should": [
                {"term": {"site_id": site_id}},
                {"bool": {"must_not": {"exists": {"field": "site_id"}}}},
            ],
            "minimum_should_match": 1,
        }
    }


def language_filter(language) -> dict:
    """Entries for readers of ``language``: in it, or without a language."""
    return {
        "bool": {
            "should": [
                {"term": {"language": language}},
                {"bool": {"must_not": {"exists": {"field": "language"}}}},
            ],
            "minimum_should_match": 1,
        }
    }


def search_body(checked, now: datetime) -> dict:
    """The request body for a checked query (backends.check): text, access, filters, paging,
    highlight, type facets (the type filter is a post_filter, so facets keep every type)."""
    filters = [access_filter(checked.labels, now)]
    for name in ("group_id", "organisation_id", "author_id"):
        value = getattr(checked, name)
        if value is not None:
            filters.append({"term": {name: value}})
    if checked.site_id is not None:
        filters.append(site_filter(checked.site_id))
    if checked.language is not None:
        filters.append(language_filter(checked.language))
    moments = {}
    if checked.start is not None:
        moments["gte"] = checked.start.isoformat()
    if checked.end is not None:
        moments["lt"] = checked.end.isoformat()
    if moments:
        filters.append({"range": {"date": moments}})
    offset = (checked.page - 1) * checked.per_page
    size = checked.per_page
    if offset + size > MAX_RESULT_WINDOW:  # beyond what the server serves: totals only
        offset, size = 0, 0
    body = {
        "query": {
            "bool": {
                # Every word must match, in any field, in any of its forms.
                "must": [
                    {"multi_match": {"query": group[0], "fields": TEXT_FIELDS, "operator": "and"}}
                    for group in checked.groups
                ],
                "filter": filters,
            }
        },
        "aggs": {
            "types": {"terms": {"field": "type", "size": max(len(registry.type_names()), 10)}}
        },
        "from": offset,
        "size": size,
        "track_total_hits": True,
        "sort": [
            {"_score": {"order": "desc"}},
            {"date": {"order": "desc", "missing": "_last"}},
            {"type": {"order": "asc"}},
            {"object_id": {"order": "asc"}},
        ],
        "_source": ["type", "object_id", "title", "context", "url", "body", "date"],
        "highlight": {
            "pre_tags": [PRE],
            "post_tags": [POST],
            "fragment_size": SNIPPET_LENGTH,
            "number_of_fragments": 1,
            "no_match_size": SNIPPET_LENGTH,
            "fields": {"body.dutch": {}, "body.english": {}, "body": {}},
        },
    }
    if checked.types:
        body["post_filter"] = {"terms": {"type": sorted(set(checked.types))}}
    return body


def suggest_body(prefix: str, labels, size: int = 5) -> dict:
    return {
        "_source": [
            "type",
            "object_id",
            "title",
            "url",
            "site_id",
            "language",
            "access",
            "scheduled_access",
        ],
        "suggest": {
            "titles": {
                "prefix": prefix,
                "completion": {
                    "field": "suggest",
                    "size": size,
                    "skip_duplicates": True,
                    "contexts": {"access": sorted(labels)},
                },
            }
        },
    }


def visible(source: dict, labels, now: datetime) -> bool:
    """The access rule of ``access_filter`` for one document's source."""
    if set(source.get("access") or ()) & set(labels):
        return True
    return any(
        item["label"] in labels and datetime.fromisoformat(item["visible_from"]) <= now
        for item in source.get("scheduled_access") or ()
    )


def suggestion_inputs(title: str) -> list[str]:
    """Every word-suffix of the title (folded), so a suggestion matches from any word on."""
    words = text.words(title)[:10]
    return [" ".join(words[i:]) for i in range(len(words))]


def highlight_snippet(fragment: str, body: str) -> str:
    """A highlighted fragment as safe HTML: every piece of text escaped, the markers <mark>,
    "…" where the fragment does not reach the start or the end of the body."""
    plain = fragment.replace(PRE, "").replace(POST, "")
    parts = []
    for index, piece in enumerate(re.split(f"({PRE}|{POST})", fragment)):
        if piece == PRE:
            parts.append("<mark>")
        elif piece == POST:
            parts.append("</mark>")
        elif index % 2 == 0:
            parts.append(html.escape(piece))
    position = body.find(plain)
    before = "…" if position != 0 else ""
    after = "…" if position == -1 or position + len(plain) < len(body) else ""
    return mark_safe(before + "".join(parts) + after)  # noqa: S308 (every text piece is escaped)


# ---------------------------------------------------------------------------------------------
# The backend


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url, index_prefix, *, refresh=False, client=None):
        self.index_prefix = index_prefix
        # refresh: make every write searchable before returning (tests; slow for bulk loads).
        self.refresh = refresh
        self.client = client or Elasticsearch(
            url, request_timeout=3, retry_on_timeout=False, max_retries=0
        )
        self._ready: set[str] = set()

    # Names

    def index_name(self, type_name: str, version: str) -> str:
        return f"{self.index_prefix}-index-{type_name}-{version}"

    def read_alias(self, type_name: str) -> str:
        return f"{self.index_prefix}-read-{type_name}"

    def write_alias(self, type_name: str) -> str:
        return f"{self.index_prefix}-write-{type_name}"

    @property
    def read_pattern(self) -> str:
        return f"{self.index_prefix}-read-*"

    def _check_type(self, type_name):
        if not _TYPE_NAME.match(type_name):
            raise ValueError(f"Not a usable type name for an index: {type_name!r}")

    @staticmethod
    def new_version() -> str:
        return timezone.now().strftime("%Y%m%d%H%M%S%f")

    # Indices

    def ping(self):
        info = self.client.info()
        return info["version"]["number"]

    def create_index(self, type_name: str, version: str, aliases: dict | None = None) -> str:
        self._check_type(type_name)
        name = self.index_name(type_name, version)
        body = index_body()
        self.client.indices.create(
            index=name, settings=body["settings"], mappings=body["mappings"], aliases=aliases or {}
        )
        return name

    def ensure_index(self, type_name: str) -> None:
        """Create the first index of a type, with both aliases, unless it exists."""
        if type_name in self._ready:
            return
        if self.client.indices.exists_alias(name=self.write_alias(type_name)):
            # An index made before a field was added (site_id) accepts it from now on: new
            # fields may be added to a mapping in place. A changed field needs search_rebuild.
            self.client.indices.put_mapping(
                index=self.write_alias(type_name), properties=index_body()["mappings"]["properties"]
            )
        else:
            self.create_index(
                type_name,
                self.new_version(),
                aliases={
                    self.read_alias(type_name): {},
                    self.write_alias(type_name): {"is_write_index": True},
                },
            )
        self._ready.add(type_name)

    def _alias_targets(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            return []

    def _types(self) -> list[str]:
        """The types that have a read alias, and the registered ones."""
        try:
            found = self.client.indices.get_alias(name=self.read_pattern).body
        except NotFoundError:
            found = {}
        prefix = f"{self.index_prefix}-read-"
        names = {
            alias[len(prefix) :]
            for info in found.values()
            for alias in info.get("aliases", {})
            if alias.startswith(prefix)
        }
        return sorted(names | set(registry.type_names()))

    # Writing

    def _bulk(self, actions, **kwargs):
        if not actions:
            return
        # require_alias: a missing alias is an error, never an auto-created index.
        helpers.bulk(
            self.client,
            actions,
            refresh="wait_for" if self.refresh else False,
            require_alias=True,
            **kwargs,
        )

    def index(self, entries, *, rebuilding=False):
        """Store the entries (replacing what the index held for them). With ``rebuilding``, an
        entry already in the (new) index is left alone: the outbox wrote it, after the rebuild
        read its object."""
        entries = list(entries)
        for type_name in sorted({entry.type for entry in entries}):
            self.ensure_index(type_name)
        actions = [
            {
                "_op_type": "create" if rebuilding else "index",
                "_index": self.write_alias(entry.type),
                "_id": document_id(entry.type, entry.object_id),
                "_source": to_source(entry),
            }
            for entry in entries
        ]
        self._bulk(actions, ignore_status=(409,) if rebuilding else ())

    def remove(self, type_name, ids):
        ids = list(ids)
        if not ids:
            return
        self.ensure_index(type_name)
        actions = [
            {
                "_op_type": "delete",
                "_index": self.write_alias(type_name),
                "_id": document_id(type_name, pk),
            }
            for pk in ids
        ]
        self._bulk(actions, ignore_status=(404,))

    def clear(self):
        for type_name in self._types():
            if self._alias_targets(self.write_alias(type_name)):
                self.client.delete_by_query(
                    index=self.write_alias(type_name),
                    query={"match_all": {}},
                    conflicts="proceed",
                    refresh=True,
                )

    def count_by_type(self) -> dict[str, int]:
        counts = {}
        for type_name in self._types():
            try:
                n = self.client.count(index=self.read_alias(type_name))["count"]
            except NotFoundError:
                continue
            if n:
                counts[type_name] = n
        return counts

    def drop_indices(self) -> None:
        """Delete every index behind this prefix's aliases (tests; not used by the site)."""
        names = set()
        for type_name in self._types():
            names.update(self._alias_targets(self.read_alias(type_name)))
            names.update(self._alias_targets(self.write_alias(type_name)))
        if names:
            self.client.indices.delete(index=",".join(sorted(names)), ignore_unavailable=True)
        self._ready.clear()

    # Rebuilding

    def begin_rebuild(self) -> dict[str, str]:
        """A new index per registered type; the write aliases move to them (one call), the read
        aliases stay on the old ones until finish_rebuild."""
        version = self.new_version()
        actions, created = [], {}
        for type_name in registry.type_names():
            self.ensure_index(type_name)
            created[type_name] = self.create_index(type_name, version)
            write = self.write_alias(type_name)
            for old in self._alias_targets(write):
                actions.append({"remove": {"index": old, "alias": write}})
            actions.append(
                {"add": {"index": created[type_name], "alias": write, "is_write_index": True}}
            )
        if actions:
            self.client.indices.update_aliases(actions=actions)
        return created

    def finish_rebuild(self) -> None:
        """Swap every read alias to the index its write alias points at, in one atomic call, and
        delete the old indices."""
        actions, old_indices = [], set()
        for type_name in self._types():
            targets = self._alias_targets(self.write_alias(type_name))
            if not targets:
                continue
            read = self.read_alias(type_name)
            for old in self._alias_targets(read):
                if old not in targets:
                    actions.append({"remove": {"index": old, "alias": read}})
                    old_indices.add(old)
            for new in targets:
                actions.append({"add": {"index": new, "alias": read}})
        if actions:
            self.client.indices.update_aliases(actions=actions)
        if old_indices:
            self.client.indices.delete(index=",".join(sorted(old_indices)))
        if self.refresh:
            self.client.indices.refresh(index=self.read_pattern)

    def abort_rebuild(self) -> None:
        """Point the write aliases back at what the read aliases use; delete the new indices."""
        actions, new_indices = [], set()
        for type_name in self._types():
            read_targets = self._alias_targets(self.read_alias(type_name))
            write = self.write_alias(type_name)
            for new in self._alias_targets(write):
                if new not in read_targets:
                    actions.append({"remove": {"index": new, "alias": write}})
                    new_indices.add(new)
            for old in read_targets:
                actions.append({"add": {"index": old, "alias": write, "is_write_index": True}})
        if actions:
            self.client.indices.update_aliases(actions=actions)
        if new_indices:
            self.client.indices.delete(index=",".join(sorted(new_indices)))

    # Searching

    def search(self, query: SearchQuery) -> SearchResults:
        checked = check(query)
        result = checked.result
        if result.empty or result.invalid:
            return result
        body = search_body(checked, timezone.now())
        response = self.client.search(
            index=self.read_pattern, ignore_unavailable=True, allow_no_indices=True, body=body
        )
        result.total = response["hits"]["total"]["value"]
        buckets = response.get("aggregations", {}).get("types", {}).get("buckets", [])
        result.facets = {
            bucket["key"]: bucket["doc_count"] for bucket in buckets if bucket["doc_count"]
        }
        result.hits = [self._hit(hit, checked.groups) for hit in response["hits"]["hits"]]
        return result

    def _hit(self, hit, groups) -> Hit:
        source = hit["_source"]
        body = source.get("body") or ""
        fragments = [
            fragment
            for field in ("body.dutch", "body.english", "body")
            for fragment in hit.get("highlight", {}).get(field, [])
        ]
        marked = [fragment for fragment in fragments if PRE in fragment]
        # No marked fragment (a title match): the shared snippet, the start of the body.
        shown = highlight_snippet(marked[0], body) if marked else snippet(body, groups)
        moment = source.get("date")
        return Hit(
            type=source["type"],
            object_id=int(source["object_id"]),
            # An entry without a title of its own shows its context (a chat message: its room).
            title=source["title"] or source.get("context") or "",
            url=source["url"],
            snippet=shown,
            date=datetime.fromisoformat(moment) if moment else None,
            score=float(hit.get("_score") or 0),
        )

    def suggest(self, text_, user, types=(), limit=8, site_id=None, language=None) -> list[dict]:
        """Titles with a word that starts with what was typed, among the entries the person may
        see now: [{type, title, url}], like DatabaseBackend.suggest.

        A completion suggester over every word-suffix of the title, filtered by the person's
        labels (category context, which includes scheduled labels); the time rule of scheduled
        labels and the type filter are then checked on the returned documents."""
        from meent import access

        if not isinstance(text_, str):
            return []
        typed = " ".join(text.words(text_[:MAX_QUERY_LENGTH])[: text.MAX_QUERY_WORDS])
        if len(typed.replace(" ", "")) < 2:
            return []
        limit = max(1, min(int(limit), 20))
        labels = access.labels_for_user(user)
        response = self.client.search(
            index=self.read_pattern,
            ignore_unavailable=True,
            allow_no_indices=True,
            body=suggest_body(typed, labels, min(limit * 5, 100)),
        )
        now = timezone.now()
        found = []
        for suggestion in response.get("suggest", {}).get("titles", []):
            for option in suggestion.get("options", []):
                source = option["_source"]
                if types and source["type"] not in types:
                    continue
                if site_id and source.get("site_id") not in (None, site_id):
                    continue
                if language and source.get("language") not in (None, language):
                    continue
                if not visible(source, labels, now):
                    continue
                item = {key: source[key] for key in ("type", "title", "url")}
                if item not in found:
                    found.append(item)
        return found[:limit]
