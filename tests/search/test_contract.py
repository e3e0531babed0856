"""The backend contract: what every search backend answers the same way.

The entries are written straight into the backend, so this suite runs against any backend
(see the ``backend`` fixture in conftest.py).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from meent import access
from search.backends import MAX_QUERY_LENGTH, SearchQuery
from search.registry import IndexEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def entry(object_id, title, body="", type="wiki_page", labels=(access.PUBLIC,), **kwargs):
    return IndexEntry(
        type=type,
        object_id=object_id,
        title=title,
        body=body,
        url=f"/{type}/{object_id}/",
        access=frozenset(labels),
        **kwargs,
    )


def find(backend, text, user=None, **kwargs):
    return backend.search(SearchQuery(text=text, user=user or AnonymousUser(), **kwargs))


def ids(results):
    return [(hit.type, hit.object_id) for hit in results.hits]


def test_dutch_word_forms_match(backend):
    backend.index([entry(1, "Verslag", "De samenwerking tussen gemeenten verloopt goed.")])
    assert ids(find(backend, "samenwerken")) == [("wiki_page", 1)]
    assert ids(find(backend, "gemeente")) == [("wiki_page", 1)]


def test_english_word_forms_match(backend):
    backend.index([entry(1, "News", "The report was published yesterday.")])
    assert ids(find(backend, "publishing")) == [("wiki_page", 1)]


def test_accents_fold_both_ways(backend):
    backend.index([entry(1, "Reünie", "Café"), entry(2, "Reunie", "cafe")])
    assert sorted(ids(find(backend, "reunie"))) == [("wiki_page", 1), ("wiki_page", 2)]
    assert sorted(ids(find(backend, "RÉÜNIE"))) == [("wiki_page", 1), ("wiki_page", 2)]
    assert find(backend, "café").total == 2


def test_every_word_must_match(backend):
    backend.index([entry(1, "Fietsplan", "fiets en trein"), entry(2, "Treinplan", "alleen trein")])
    assert ids(find(backend, "fiets trein")) == [("wiki_page", 1)]
    assert find(backend, "trein").total == 2
    assert find(backend, "fiets vliegtuig").total == 0


def test_a_title_match_ranks_above_a_body_match(backend):
    backend.index(
        [
            entry(1, "Verslag", "Over de begroting van dit jaar en nog veel meer woorden."),
            entry(2, "Begroting", "Het verslag van dit jaar."),
        ]
    )
    assert ids(find(backend, "begroting")) == [("wiki_page", 2), ("wiki_page", 1)]
    hits = find(backend, "begroting").hits
    assert hits[0].score > hits[1].score


def test_snippets_mark_the_match_and_escape_everything_else(backend):
    body = (
        "Inleiding. " * 40
        + "Wij <script>alert(1)</script> zoeken samenwerking & meer. "
        + "Slot. " * 40
    )
    backend.index([entry(1, "Lang", body)])
    snippet = find(backend, "samenwerken").hits[0].snippet
    assert "<mark>samenwerking</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "&amp;" in snippet
    assert len(snippet) < 600
    assert snippet.startswith("…") and snippet.endswith("…")


def test_filters(backend):
    backend.index(
        [
            entry(1, "Marker een", type="wiki_page", group_id=7, date=DAY),
            entry(
                2,
                "Marker twee",
                type="blog_post",
                group_id=8,
                author_id=3,
                date=DAY + timedelta(days=5),
            ),
            entry(
                3,
                "Marker drie",
                type="blog_post",
                organisation_id=4,
                author_id=5,
                date=DAY - timedelta(days=5),
            ),
            entry(4, "Marker vier", type="person", organisation_id=4),
        ]
    )

    def found(**kwargs):
        return sorted(hit.object_id for hit in find(backend, "marker", **kwargs).hits)

    assert found() == [1, 2, 3, 4]
    assert found(types=("blog_post",)) == [2, 3]
    assert found(types=("blog_post", "person")) == [2, 3, 4]
    assert found(group_id=7) == [1]
    assert found(group_id="8") == [2]
    assert found(organisation_id=4) == [3, 4]
    assert found(author_id=5) == [3]
    assert found(date_from=DAY.date()) == [1, 2]
    assert found(date_to=DAY.date()) == [1, 3]  # the last day counts
    assert found(date_from="2026-03-09", date_to="2026-03-11") == [1]
    assert found(date_from=DAY + timedelta(days=1)) == [2]


def test_facets_count_per_type_regardless_of_the_type_filter(backend):
    backend.index(
        [
            entry(1, "Marker", type="wiki_page"),
            entry(2, "Marker", type="blog_post"),
            entry(3, "Marker", type="blog_post"),
            entry(4, "Andere", type="blog_post"),
        ]
    )
    results = find(backend, "marker", types=("wiki_page",))
    assert results.facets == {"wiki_page": 1, "blog_post": 2}
    assert results.total == 1
    assert ids(results) == [("wiki_page", 1)]


def test_paging(backend):
    backend.index([entry(n, f"Marker {n}", date=DAY + timedelta(days=n)) for n in range(1, 26)])
    first = find(backend, "marker", per_page=10)
    third = find(backend, "marker", per_page=10, page=3)
    beyond = find(backend, "marker", per_page=10, page=4)
    assert (first.total, len(first.hits), third.total, len(third.hits)) == (25, 10, 25, 5)
    # Equal scores: the newest first.
    assert [hit.object_id for hit in first.hits[:3]] == [25, 24, 23]
    assert (beyond.total, beyond.hits) == (25, [])
    all_ids = [
        hit.object_id
        for page in (1, 2, 3)
        for hit in find(backend, "marker", per_page=10, page=page).hits
    ]
    assert sorted(all_ids) == list(range(1, 26))
    assert len(find(backend, "marker", per_page=1000).hits) == 25  # capped at 100 per page


def test_labels_decide_what_is_found_counted_and_shown(backend):
    person = UserFactory()
    backend.index(
        [
            entry(1, "Marker open", labels=[access.PUBLIC]),
            entry(
                2,
                "Marker geheim",
                "geheime tekst",
                type="blog_post",
                labels=[access.user_label(person.pk)],
            ),
            entry(3, "Marker leden", labels=["group:999"]),
        ]
    )
    anonymous = find(backend, "marker")
    assert (ids(anonymous), anonymous.total, anonymous.facets) == (
        [("wiki_page", 1)],
        1,
        {"wiki_page": 1},
    )
    assert find(backend, "geheime").total == 0
    mine = find(backend, "marker", user=person)
    assert sorted(ids(mine)) == [("blog_post", 2), ("wiki_page", 1)]
    assert mine.facets == {"wiki_page": 1, "blog_post": 1}


def test_labels_from_a_later_moment(backend):
    author = UserFactory()
    future = datetime.now(UTC) + timedelta(hours=1)
    past = datetime.now(UTC) - timedelta(hours=1)
    backend.index(
        [
            entry(
                1,
                "Marker later",
                type="blog_post",
                labels=[access.user_label(author.pk)],
                scheduled_access={access.PUBLIC: future},
            ),
            entry(
                2,
                "Marker nu",
                type="blog_post",
                labels=[access.user_label(author.pk)],
                scheduled_access={access.PUBLIC: past},
            ),
        ]
    )
    assert ids(find(backend, "marker")) == [("blog_post", 2)]
    assert find(backend, "marker").facets == {"blog_post": 1}
    assert find(backend, "marker", user=author).total == 2


def test_index_replaces_and_remove_removes(backend):
    backend.index([entry(1, "Oud woord"), entry(2, "Oud woord")])
    backend.index([entry(1, "Nieuw woord")])
    assert ids(find(backend, "nieuw")) == [("wiki_page", 1)]
    assert ids(find(backend, "oud")) == [("wiki_page", 2)]
    backend.remove("wiki_page", [2])
    assert find(backend, "woord").total == 1
    assert backend.count_by_type() == {"wiki_page": 1}
    backend.clear()
    assert backend.count_by_type() == {}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        "*",
        "(",
        ":",
        "-",
        "OR",
        "AND NOT",
        '"unbalanced (quote* :col -x OR',
        "NEAR(a b)",
        "title:marker",
        "'; DROP TABLE search_searchentry; --",
        "\\",
        "&|!<->",
        "\x00",
        "🙂",
    ],
)
def test_syntax_characters_never_raise(backend, text):
    backend.index([entry(1, "Marker or and near title", "drop table")])
    results = find(backend, text)
    assert results.invalid == ()
    if not text.strip() or not any(ch.isalnum() for ch in text):
        assert results.empty and results.total == 0 and results.hits == []


def test_syntax_words_are_searched_as_words(backend):
    backend.index([entry(1, "Marker", "to be or not to be")])
    assert find(backend, "OR").total == 1
    assert find(backend, "title:marker").total == 0  # "title" is a word like any other
    assert find(backend, "marker*").total == 1


def test_an_empty_query_searches_nothing(backend):
    backend.index([entry(1, "Marker")])
    results = find(backend, "")
    assert (results.empty, results.total, results.hits, results.facets) == (True, 0, [], {})


def test_a_long_query_is_cut(backend):
    backend.index([entry(1, "Marker")])
    # Cut at a word boundary: the cut-off word is left out, not searched for in half.
    results = find(backend, "marker " + "x" * 10_000)
    assert results.truncated and results.total == 1
    assert find(backend, "x" * 10_000).truncated
    results = find(backend, "marker " * 2000)
    assert results.truncated and results.total == 1
    assert not find(backend, "marker " * (MAX_QUERY_LENGTH // 7)).truncated


@pytest.mark.parametrize(
    ("filters", "flag"),
    [
        ({"types": ("nonsense",)}, "types"),
        ({"types": "nonsense"}, "types"),
        ({"group_id": "abc"}, "group_id"),
        ({"group_id": -1}, "group_id"),
        ({"organisation_id": "1; DROP"}, "organisation_id"),
        ({"author_id": 10**30}, "author_id"),
        ({"date_from": "gisteren"}, "date_from"),
        ({"date_to": "2026-13-45"}, "date_to"),
    ],
)
def test_unknown_filter_values_give_no_results_and_say_so(backend, filters, flag):
    backend.index([entry(1, "Marker")])
    results = find(backend, "marker", **filters)
    assert flag in results.invalid
    assert (results.total, results.hits, results.facets) == (0, [], {})


def test_filters_that_match_nothing_are_simply_empty(backend):
    backend.index([entry(1, "Marker", group_id=1)])
    results = find(backend, "marker", group_id=123456)
    assert (results.invalid, results.total) == ((), 0)
    assert find(backend, "marker", page="x", per_page="y").total == 1
    assert find(backend, "marker", page=-3).total == 1


def test_a_context_finds_an_entry_but_weighs_less_than_a_title_or_a_body(backend):
    """A chat room named after a subject: its messages are found by the room's name and show it
    as their title, but rank below the documents about the subject (issue 18)."""
    room = "Open source in de overheid"
    messages = [
        entry(n, "", f"Bericht {n}: wie komt er dinsdag?", type="chat_message", context=room)
        for n in range(1, 16)
    ]
    backend.index(
        [
            *messages,
            entry(100, room, "Samen werken aan publiceren en hergebruiken.", type="group"),
            entry(101, "Werkafspraken", "Wij publiceren als open source, tenzij het niet kan."),
        ]
    )
    results = find(backend, "open source", per_page=20)
    assert results.total == 17
    assert ids(results)[:2] == [("group", 100), ("wiki_page", 101)]
    message = results.hits[2]
    assert (message.type, message.title) == ("chat_message", room)
    # A message that says it itself ranks above those that only live in the room.
    backend.index([entry(16, "", "Is dit open source?", type="chat_message", context=room)])
    found = ids(find(backend, "open source", per_page=20))
    assert found[0] == ("group", 100)
    assert [pair for pair in found if pair[0] == "chat_message"][0] == ("chat_message", 16)


def test_a_language_leaves_out_entries_of_another_language_only(backend):
    backend.index(
        [
            entry(1, "Een licentie kiezen", type="toolbox", language="nl"),
            entry(2, "Choosing a licence (licentie)", type="toolbox", language="en"),
            entry(3, "Kiezer voor een licentie", type="toolbox"),  # untranslated: every language
            entry(4, "Licentie kiezen"),  # a wiki page has no language
        ]
    )
    assert sorted(ids(find(backend, "licentie", language="nl"))) == [
        ("toolbox", 1),
        ("toolbox", 3),
        ("wiki_page", 4),
    ]
    assert sorted(ids(find(backend, "licentie", language="en"))) == [
        ("toolbox", 2),
        ("toolbox", 3),
        ("wiki_page", 4),
    ]
    assert find(backend, "licentie").total == 4
    assert find(backend, "licentie", language="xx").invalid == ("language",)
    assert find(backend, "licentie", language="en-GB").total == 3


def test_every_backend_has_the_interfaces_methods():
    """The contract above is run against each backend; the protocol names what it covers."""
    import inspect

    from search.backends import DatabaseBackend, ElasticsearchBackend, SearchBackend

    required = {
        name
        for name, member in inspect.getmembers(SearchBackend)
        if inspect.isfunction(member) and not name.startswith("_")
    }
    assert required >= {"index", "remove", "clear", "count_by_type", "search", "ping"}
    for backend_class in (DatabaseBackend, ElasticsearchBackend):
        missing = {name for name in required if not callable(getattr(backend_class, name, None))}
        assert not missing, (backend_class.__name__, missing)
        assert isinstance(getattr(backend_class, "name", None), str)
