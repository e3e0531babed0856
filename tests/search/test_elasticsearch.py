"""The Elasticsearch backend without a server: what it sends, and what it makes of the answers.

A real ``Elasticsearch`` client talks to ``FakeNode``, an in-memory stand-in for one node that
records every request (method, path, parsed body) and keeps just enough state (indices and their
aliases) to follow a rebuild. The shared contract suite (test_contract.py) runs against a real
cluster when ELASTICSEARCH_URL is set (see conftest.py and the README).
"""

from __future__ import annotations

import fnmatch
import io
import json
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import ConnectionError as ElasticsearchConnectionError
from elasticsearch import Elasticsearch

from meent import access
from search import backends, registry
from search.backends import SearchQuery, check
from search.backends import elasticsearch as es
from search.backends.elasticsearch import ElasticsearchBackend
from search.indexing import drain_outbox
from search.models import OutboxItem
from search.registry import IndexEntry
from tests.factories import UserFactory

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class FakeNode(BaseNode):
    """One fake node; ``FakeNode.server`` is the current test's state."""

    server: FakeServer

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        status, data = FakeNode.server.handle(method, target, body)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
            ),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(data).encode() if method != "HEAD" else b"")


class FakeServer:
    def __init__(self):
        self.requests = []
        self.indices: dict[str, set[str]] = {}  # index: its aliases
        self.write_index: dict[str, str] = {}  # alias: its write index
        self.search_response = {
            "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            "aggregations": {"types": {"buckets": []}},
        }

    def sent(self, method=None, path=None):
        return [
            r
            for r in self.requests
            if (method is None or r["method"] == method)
            and (path is None or fnmatch.fnmatch(r["path"], path))
        ]

    def _targets(self, pattern):
        return {
            index: aliases
            for index, aliases in self.indices.items()
            if any(fnmatch.fnmatch(alias, pattern) for alias in aliases)
        }

    def handle(self, method, target, body):
        url = urlsplit(target)
        path = unquote(url.path)
        if body and path.endswith("/_bulk"):
            parsed = [json.loads(line) for line in body.decode().splitlines() if line]
        else:
            parsed = json.loads(body) if body else None
        self.requests.append(
            {"method": method, "path": path, "params": parse_qs(url.query), "body": parsed}
        )
        parts = path.strip("/").split("/")
        if path == "/":
            return 200, {"version": {"number": "9.1.0"}, "tagline": "You Know, for Search"}
        if parts[0] == "_alias":
            found = self._targets(parts[1])
            if not found:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {
                index: {"aliases": {a: {} for a in aliases if fnmatch.fnmatch(a, parts[1])}}
                for index, aliases in found.items()
            }
        if path == "/_aliases":
            for action in parsed["actions"]:
                ((kind, spec),) = action.items()
                if kind == "add":
                    self.indices[spec["index"]].add(spec["alias"])
                else:
                    self.indices[spec["index"]].discard(spec["alias"])
            return 200, {"acknowledged": True}
        if path.endswith("/_bulk"):
            items = []
            for line in parsed:
                if len(line) == 1 and next(iter(line)) in ("index", "create", "delete"):
                    ((op, meta),) = line.items()
                    items.append(
                        {op: {"_index": meta["_index"], "_id": meta["_id"], "status": 201}}
                    )
            return 200, {"errors": False, "items": items}
        if path.endswith("/_search"):
            return 200, self.search_response
        if path.endswith("/_count"):
            return 200, {"count": 3 if "wiki_page" in path else 0}
        if path.endswith("/_delete_by_query"):
            return 200, {"deleted": 0}
        if method == "PUT" and len(parts) == 1:
            self.indices[parts[0]] = set((parsed or {}).get("aliases", {}))
            return 200, {"acknowledged": True, "index": parts[0]}
        if method == "DELETE" and len(parts) == 1:
            for name in parts[0].split(","):
                self.indices.pop(name, None)
            return 200, {"acknowledged": True}
        if parts[-1] == "_refresh":
            return 200, {}
        if method == "PUT" and parts[-1] == "_mapping":
            return 200, {"acknowledged": True}
        return 400, {"error": f"FakeServer does not know {method} {path}", "status": 400}


@pytest.fixture
def server():
    FakeNode.server = FakeServer()
    return FakeNode.server


@pytest.fixture
def backend(server):
    client = Elasticsearch("http://fake:9200", node_class=FakeNode, max_retries=0)
    return ElasticsearchBackend("http://fake:9200", "test", client=client)


def entry(object_id, title="Titel", body="tekst", type="wiki_page", **kwargs):
    kwargs.setdefault("access", frozenset({access.PUBLIC}))
    return IndexEntry(
        type=type, object_id=object_id, title=title, body=body, url=f"/x/{object_id}/", **kwargs
    )


# ---------------------------------------------------------------------------------------------
# Settings and mappings


def test_analysers_fold_accents_and_stem_dutch_and_english():
    settings = es.index_body()["settings"]
    analysis = settings["analysis"]
    assert analysis["analyzer"]["meent_folded"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }
    for language in ("dutch", "english"):
        analyser = analysis["analyzer"][f"meent_{language}"]
        assert analyser["tokenizer"] == "standard"
        # Folded before stemming, like search/text.py.
        assert analyser["filter"] == ["lowercase", "asciifolding", f"meent_{language}_stemmer"]
        assert analysis["filter"][f"meent_{language}_stemmer"] == {
            "type": "stemmer",
            "language": language,
        }
    assert settings["number_of_shards"] == 1


def test_mappings():
    mappings = es.index_body()["mappings"]
    assert mappings["dynamic"] == "strict"
    fields = mappings["properties"]
    for name in ("title", "body", "context"):
        assert fields[name] == {
            "type": "text",
            "analyzer": "meent_folded",
            "fields": {
                "dutch": {"type": "text", "analyzer": "meent_dutch"},
                "english": {"type": "text", "analyzer": "meent_english"},
            },
        }
    assert fields["type"] == {"type": "keyword"}
    assert fields["access"] == {"type": "keyword"}
    assert fields["url"] == {"type": "keyword", "index": False}
    for name in ("object_id", "group_id", "organisation_id", "author_id"):
        assert fields[name] == {"type": "long"}
    assert fields["date"] == {"type": "date"}
    assert fields["scheduled_access"] == {
        "type": "nested",
        "properties": {"label": {"type": "keyword"}, "visible_from": {"type": "date"}},
    }
    assert fields["suggest"]["type"] == "completion"
    assert fields["suggest"]["contexts"] == [{"name": "access", "type": "category"}]


def test_index_names_carry_the_prefix(backend):
    assert backend.index_name("wiki_page", "v1") == "test-index-wiki_page-v1"
    assert backend.read_alias("wiki_page") == "test-read-wiki_page"
    assert backend.write_alias("wiki_page") == "test-write-wiki_page"
    # The read pattern matches read aliases only, never an index or a write alias.
    assert not fnmatch.fnmatch(backend.index_name("read", "v1"), backend.read_pattern)
    with pytest.raises(ValueError):
        backend.create_index("Bad-Type,*", "v1")


# ---------------------------------------------------------------------------------------------
# Query bodies


def checked(user=None, **kwargs):
    return check(SearchQuery(user=user or AnonymousUser(), **kwargs))


@pytest.mark.django_db
def test_query_body_for_a_language_keeps_entries_without_one():
    body = es.search_body(checked(text="licentie", language="en"), NOW)
    assert es.language_filter("en") in body["query"]["bool"]["filter"]
    assert es.language_filter("en") == {
        "bool": {
            "should": [
                {"term": {"language": "en"}},
                {"bool": {"must_not": {"exists": {"field": "language"}}}},
            ],
            "minimum_should_match": 1,
        }
    }
    without = es.search_body(checked(text="licentie"), NOW)
    assert "language" not in json.dumps(without["query"])
    assert es.index_body()["mappings"]["properties"]["language"] == {"type": "keyword"}


@pytest.mark.django_db
def test_query_body_with_text_every_filter_and_paging():
    body = es.search_body(
        checked(
            text="Samenwerken café",
            types=("blog_post", "wiki_page"),
            group_id="7",
            organisation_id=4,
            author_id=5,
            date_from="2026-03-01",
            date_to="2026-03-10",
            page=3,
            per_page=10,
        ),
        NOW,
    )
    fields = [
        "title^3",
        "title.dutch^3",
        "title.english^3",
        "body",
        "body.dutch",
        "body.english",
        "context^0.25",
        "context.dutch^0.25",
        "context.english^0.25",
    ]
    assert body["query"] == {
        "bool": {
            "must": [
                {"multi_match": {"query": "samenwerken", "fields": fields, "operator": "and"}},
                {"multi_match": {"query": "cafe", "fields": fields, "operator": "and"}},
            ],
            "filter": [
                es.access_filter({access.PUBLIC}, NOW),
                {"term": {"group_id": 7}},
                {"term": {"organisation_id": 4}},
                {"term": {"author_id": 5}},
                # The last day counts: up to the start of the next.
                {
                    "range": {
                        "date": {
                            "gte": "2026-03-01T00:00:00+01:00",
                            "lt": "2026-03-11T00:00:00+01:00",
                        }
                    }
                },
            ],
        }
    }
    # The type filter applies to the hits and the total, not to the facets.
    assert body["post_filter"] == {"terms": {"type": ["blog_post", "wiki_page"]}}
    assert body["aggs"]["types"]["terms"]["field"] == "type"
    assert body["aggs"]["types"]["terms"]["size"] >= len(registry.type_names())
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 10, True)
    assert body["sort"] == [
        {"_score": {"order": "desc"}},
        {"date": {"order": "desc", "missing": "_last"}},
        {"type": {"order": "asc"}},
        {"object_id": {"order": "asc"}},
    ]


@pytest.mark.django_db
def test_query_body_without_filters_has_only_the_access_filter():
    body = es.search_body(checked(text="marker"), NOW)
    assert body["query"]["bool"]["filter"] == [es.access_filter({access.PUBLIC}, NOW)]
    assert "post_filter" not in body
    assert (body["from"], body["size"]) == (0, 20)


@pytest.mark.django_db
def test_paging_beyond_the_result_window_asks_for_totals_only():
    body = es.search_body(checked(text="marker", page=200, per_page=100), NOW)
    assert (body["from"], body["size"]) == (0, 0)


def test_the_access_filter_has_the_labels_and_the_time_rule():
    assert es.access_filter({access.PUBLIC}, NOW) == {
        "bool": {
            "should": [
                {"terms": {"access": ["public"]}},
                {
                    "nested": {
                        "path": "scheduled_access",
                        "query": {
                            "bool": {
                                "filter": [
                                    {"terms": {"scheduled_access.label": ["public"]}},
                                    {
                                        "range": {
                                            "scheduled_access.visible_from": {
                                                "lte": "2026-03-10T12:00:00+00:00"
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


@pytest.mark.django_db
def test_the_access_filter_holds_exactly_the_persons_labels():
    person = UserFactory()
    body = es.search_body(checked(text="marker", user=person), NOW)
    labels = body["query"]["bool"]["filter"][0]["bool"]["should"][0]["terms"]["access"]
    assert labels == sorted(access.labels_for_user(person))
    assert access.user_label(person.pk) in labels and access.LOGGED_IN in labels
    anonymous = es.search_body(checked(text="marker"), NOW)
    assert anonymous["query"]["bool"]["filter"][0]["bool"]["should"][0]["terms"]["access"] == [
        access.PUBLIC
    ]


@pytest.mark.django_db
def test_highlight_asks_for_body_fragments_with_markers():
    highlight = es.search_body(checked(text="marker"), NOW)["highlight"]
    assert highlight["pre_tags"] == [es.PRE] and highlight["post_tags"] == [es.POST]
    assert set(highlight["fields"]) == {"body", "body.dutch", "body.english"}
    assert highlight["number_of_fragments"] == 1
    assert highlight["no_match_size"] > 0


def test_suggest_body_filters_on_the_labels():
    body = es.suggest_body("verg", {access.PUBLIC, access.LOGGED_IN}, 5)
    completion = body["suggest"]["titles"]["completion"]
    assert body["suggest"]["titles"]["prefix"] == "verg"
    assert completion["field"] == "suggest"
    assert completion["contexts"] == {"access": ["logged_in", "public"]}


def test_snippets_escape_the_fragment_themselves():
    body = "Intro <b>x</b> & wij zoeken samenwerking <script>alert(1)</script> en meer"
    fragment = f"wij zoeken {es.PRE}samenwerking{es.POST} <script>alert(1)</script>"
    snippet = es.highlight_snippet(fragment, body)
    assert snippet == (
        "…wij zoeken <mark>samenwerking</mark> &lt;script&gt;alert(1)&lt;/script&gt;…"
    )
    assert es.highlight_snippet(f"{es.PRE}Intro{es.POST} a", "Intro a") == "<mark>Intro</mark> a"


# ---------------------------------------------------------------------------------------------
# Talking to the (fake) server


@pytest.mark.django_db
def test_search_sends_the_body_to_the_read_aliases_and_reads_the_answer(backend, server):
    server.search_response = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_id": "blog_post:3",
                    "_score": 2.5,
                    "_source": {
                        "type": "blog_post",
                        "object_id": 3,
                        "title": "Verslag",
                        "url": "/blog/3/",
                        "body": "Over <samenwerking> hier",
                        "date": "2026-03-10T12:00:00+00:00",
                    },
                    "highlight": {"body.dutch": [f"Over <{es.PRE}samenwerking{es.POST}> hier"]},
                }
            ],
        },
        "aggregations": {
            "types": {
                "buckets": [
                    {"key": "blog_post", "doc_count": 1},
                    {"key": "wiki_page", "doc_count": 4},
                ]
            }
        },
    }
    results = backend.search(
        SearchQuery(text="samenwerken", user=AnonymousUser(), types="blog_post")
    )
    (request,) = server.sent("POST", "/test-read-*/_search")
    assert request["params"]["ignore_unavailable"] == ["true"]
    assert request["body"]["post_filter"] == {"terms": {"type": ["blog_post"]}}
    assert request["body"]["query"]["bool"]["must"][0]["multi_match"]["query"] == "samenwerken"
    assert (results.total, results.facets) == (1, {"blog_post": 1, "wiki_page": 4})
    (hit,) = results.hits
    assert (hit.type, hit.object_id, hit.url, hit.score) == ("blog_post", 3, "/blog/3/", 2.5)
    assert hit.date == NOW
    assert hit.snippet == "Over &lt;<mark>samenwerking</mark>&gt; hier"


@pytest.mark.django_db
def test_invalid_or_empty_queries_send_nothing(backend, server):
    assert backend.search(SearchQuery(text="", user=AnonymousUser())).empty
    assert backend.search(SearchQuery(text="x", user=AnonymousUser(), group_id="abc")).invalid
    assert server.sent("POST", "*/_search") == []


def test_index_creates_the_first_index_with_both_aliases_and_bulk_writes(backend, server):
    later = NOW + timedelta(days=1)
    backend.index(
        [
            entry(1, "Eén", date=NOW, group_id=7),
            entry(2, access=frozenset({"user:5"}), scheduled_access={access.PUBLIC: later}),
            entry(9, type="blog_post"),
        ]
    )
    (created_blog, created_wiki) = server.sent("PUT", "/test-index-*")
    assert created_wiki["path"].startswith("/test-index-wiki_page-")
    assert created_wiki["body"]["aliases"] == {
        "test-read-wiki_page": {},
        "test-write-wiki_page": {"is_write_index": True},
    }
    assert created_wiki["body"]["mappings"] == es.index_body()["mappings"]
    (bulk,) = server.sent("PUT", "/_bulk") or server.sent("POST", "/_bulk")
    # Only through the alias: a missing alias must not auto-create an index.
    assert bulk["params"]["require_alias"] == ["true"]
    lines = bulk["body"]
    actions, sources = lines[0::2], lines[1::2]
    assert actions == [
        {"index": {"_index": "test-write-wiki_page", "_id": "wiki_page:1"}},
        {"index": {"_index": "test-write-wiki_page", "_id": "wiki_page:2"}},
        {"index": {"_index": "test-write-blog_post", "_id": "blog_post:9"}},
    ]
    assert sources[0] == {
        "type": "wiki_page",
        "object_id": 1,
        "title": "Eén",
        "body": "tekst",
        "context": "",
        "url": "/x/1/",
        "group_id": 7,
        "organisation_id": None,
        "author_id": None,
        "date": "2026-03-10T12:00:00+00:00",
        "site_id": None,
        "language": None,
        "access": ["public"],
        "scheduled_access": [],
        "suggest": {"input": ["een"], "contexts": {"access": ["public"]}},
    }
    assert sources[1]["access"] == ["user:5"]
    # Suggestions may come from scheduled labels too; suggest() checks their moment.
    assert sources[1]["suggest"]["contexts"] == {"access": ["public", "user:5"]}
    assert sources[1]["scheduled_access"] == [
        {"label": "public", "visible_from": "2026-03-11T12:00:00+00:00"}
    ]
    # The aliases exist now: the next write does not ask again.
    asked = len(server.sent("HEAD"))
    backend.index([entry(3)])
    assert len(server.sent("HEAD")) == asked


def test_remove_deletes_by_id_through_the_write_alias(backend, server):
    backend.remove("wiki_page", [4, 5])
    bulk = (server.sent("PUT", "/_bulk") or server.sent("POST", "/_bulk"))[0]
    assert bulk["body"] == [
        {"delete": {"_index": "test-write-wiki_page", "_id": "wiki_page:4"}},
        {"delete": {"_index": "test-write-wiki_page", "_id": "wiki_page:5"}},
    ]
    backend.remove("wiki_page", [])
    assert len(server.sent("PUT", "/_bulk") + server.sent("POST", "/_bulk")) == 1


@pytest.mark.django_db
def test_count_by_type_counts_each_read_alias(backend, server):
    backend.index([entry(1)])
    assert backend.count_by_type() == {"wiki_page": 3}
    counted = {r["path"] for r in server.sent(None, "/*/_count")}
    assert "/test-read-wiki_page/_count" in counted
    assert not any("-write-" in path or "-index-" in path for path in counted)


def test_ping_returns_the_version(backend):
    assert backend.ping() == "9.1.0"


@pytest.mark.django_db
def test_rebuild_swaps_both_aliases_in_one_call_and_drops_the_old_indices(backend, server):
    backend.index([entry(1)])
    (old,) = [name for name in server.indices if "wiki_page" in name]
    person = UserFactory()
    with mock.patch.object(backends, "_configured_backend", return_value=backend):
        call_command("search_index", "rebuild", stdout=io.StringIO())
    first, second = server.sent("POST", "/_aliases")
    # Begin: the write aliases move to the new indices (changes made meanwhile land there).
    assert {"remove": {"index": old, "alias": "test-write-wiki_page"}} in first["body"]["actions"]
    (new,) = [
        action["add"]["index"]
        for action in first["body"]["actions"]
        if "add" in action and action["add"]["alias"] == "test-write-wiki_page"
    ]
    assert new != old and new.startswith("test-index-wiki_page-")
    # Finish: every read alias swaps in one call.
    assert {"remove": {"index": old, "alias": "test-read-wiki_page"}} in second["body"]["actions"]
    assert {"add": {"index": new, "alias": "test-read-wiki_page"}} in second["body"]["actions"]
    read_swaps = [
        a for a in second["body"]["actions"] for spec in a.values() if "-read-" in spec["alias"]
    ]
    assert len(read_swaps) == len(second["body"]["actions"])
    deleted = ",".join(r["path"].strip("/") for r in server.sent("DELETE")).split(",")
    assert old in deleted and new not in deleted
    assert server.indices[new] == {"test-read-wiki_page", "test-write-wiki_page"}
    # The rebuild creates documents: what the outbox wrote meanwhile is not overwritten.
    bulks = server.sent("PUT", "/_bulk") + server.sent("POST", "/_bulk")
    rebuilt = [line["create"] for bulk in bulks[1:] for line in bulk["body"] if "create" in line]
    assert {"_index": "test-write-person", "_id": f"person:{person.pk}"} in rebuilt
    assert not [line for bulk in bulks[1:] for line in bulk["body"] if "index" in line]


@pytest.mark.django_db
def test_rebuild_and_drain_keep_the_database_index_beside_the_server(backend, server, settings):
    from search.models import SearchEntry

    settings.ELASTICSEARCH_URL = "http://fake:9200"
    person = UserFactory(first_name="Spiegel")
    SearchEntry.objects.all().delete()
    with mock.patch.object(backends, "_configured_backend", return_value=backend):
        call_command("search_index", "rebuild", stdout=io.StringIO())
        assert SearchEntry.objects.filter(type="person", object_id=person.pk).exists()
        other = UserFactory(first_name="Later")
        OutboxItem.objects.create(type="person", object_id=other.pk)
        drain_outbox()
    assert SearchEntry.objects.filter(type="person", object_id=other.pk).exists()
    sent = [line for bulk in server.sent("PUT", "/_bulk") for line in bulk["body"]]
    assert {"_index": "test-write-person", "_id": f"person:{other.pk}"} in [
        line.get("index") for line in sent
    ]
    settings.SEARCH_DATABASE_MIRROR = False
    assert backends.database_mirror() is None


def test_an_aborted_rebuild_points_the_write_aliases_back(backend, server):
    backend.index([entry(1)])
    (old,) = list(server.indices)
    created = backend.begin_rebuild()
    # Meanwhile searches read the old index, writes go to the new one.
    assert server.indices[old] == {"test-read-wiki_page"}
    assert server.indices[created["wiki_page"]] == {"test-write-wiki_page"}
    backend.abort_rebuild()
    assert server.indices[old] == {"test-read-wiki_page", "test-write-wiki_page"}
    assert created["wiki_page"] not in server.indices


def test_suggestions_start_at_every_word_of_the_title():
    assert es.suggestion_inputs("Notulen Algemene Vergadering") == [
        "notulen algemene vergadering",
        "algemene vergadering",
        "vergadering",
    ]


@pytest.mark.django_db
def test_suggest_filters_by_labels_time_and_type(backend, server):
    def option(object_id, type="wiki_page", access_=("public",), scheduled=()):
        return {
            "_source": {
                "type": type,
                "object_id": object_id,
                "title": f"Vergadering {object_id}",
                "url": f"/x/{object_id}/",
                "access": list(access_),
                "scheduled_access": [
                    {"label": label, "visible_from": moment.isoformat()}
                    for label, moment in scheduled
                ],
            }
        }

    soon = datetime.now(UTC) + timedelta(hours=1)
    past = datetime.now(UTC) - timedelta(hours=1)
    server.search_response = {
        "suggest": {
            "titles": [
                {
                    "options": [
                        option(1),
                        option(2, access_=("user:9",), scheduled=[("public", soon)]),
                        option(3, access_=("user:9",), scheduled=[("public", past)]),
                        option(4, type="blog_post"),
                    ]
                }
            ]
        }
    }
    found = backend.suggest("Verg", AnonymousUser())
    assert [item["url"] for item in found] == ["/x/1/", "/x/3/", "/x/4/"]
    (request,) = server.sent("POST", "/test-read-*/_search")
    titles = request["body"]["suggest"]["titles"]
    assert titles["prefix"] == "verg"
    assert titles["completion"]["contexts"] == {"access": ["public"]}
    assert [i["url"] for i in backend.suggest("verg", AnonymousUser(), types=["wiki_page"])] == [
        "/x/1/",
        "/x/3/",
    ]
    assert backend.suggest("v", AnonymousUser()) == []


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.django_db
def test_a_connection_error_keeps_the_outbox_item():
    # Nothing listens on port 9 of this machine: the client fails to connect.
    down = ElasticsearchBackend("http://127.0.0.1:9", "test")
    with pytest.raises(ElasticsearchConnectionError):
        down.index([entry(1)])
    person = UserFactory()
    OutboxItem.objects.all().delete()
    OutboxItem.objects.create(type="person", object_id=person.pk)
    with mock.patch.object(backends, "_configured_backend", return_value=down):
        assert drain_outbox() == 0
    (item,) = OutboxItem.objects.all()
    assert item.attempts == 1 and "ConnectionError" in item.last_error
