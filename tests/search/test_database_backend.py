"""What only the database backend does: bounded ranking, rebuilding in place, its planner
setting, and the fast text extraction that indexing uses."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from meent import access
from search import text
from search.backends import DatabaseBackend, SearchQuery, database
from search.models import SearchEntry
from search.registry import IndexEntry, plain

DAY = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def entry(object_id, title, body="", date=None):
    return IndexEntry(
        type="wiki_page",
        object_id=object_id,
        title=title,
        body=body,
        url=f"/wiki/{object_id}/",
        date=date,
        access=frozenset({access.PUBLIC}),
    )


def find(backend, words, **kwargs):
    return backend.search(SearchQuery(text=words, user=AnonymousUser(), **kwargs))


@pytest.mark.django_db
def test_many_matches_rank_only_the_newest_candidates_and_page_through_the_rest(monkeypatch):
    monkeypatch.setattr(database, "RANKED_CANDIDATES", 4)
    backend = DatabaseBackend()
    backend.clear()
    # Object n is n days newer than the first; object 8 (a candidate) and object 2 (too old to
    # be a candidate) have the word in their title as well.
    backend.index(
        [
            entry(
                n, "Marker marker" if n in (2, 8) else f"Pagina {n}", "marker", DAY + timedelta(n)
            )
            for n in range(1, 11)
        ]
    )
    pages = [find(backend, "marker", per_page=3, page=page) for page in (1, 2, 3, 4)]
    assert {page.total for page in pages} == {10}
    order = [hit.object_id for page in pages for hit in page.hits]
    # The four newest are ranked (the title match first, then newest first); the older ones
    # follow, newest first, each exactly once.
    assert order == [8, 10, 9, 7, 6, 5, 4, 3, 2, 1]
    assert pages[0].hits[0].score > pages[0].hits[1].score


@pytest.mark.django_db
def test_few_matches_are_all_ranked(monkeypatch):
    monkeypatch.setattr(database, "RANKED_CANDIDATES", 4)
    backend = DatabaseBackend()
    backend.clear()
    backend.index(
        [
            entry(1, "Marker marker", "marker", DAY),
            entry(2, "Pagina", "marker", DAY + timedelta(1)),
            entry(3, "Pagina", "marker", DAY + timedelta(2)),
        ]
    )
    assert [hit.object_id for hit in find(backend, "marker").hits] == [1, 3, 2]


@pytest.mark.django_db
def test_a_rebuild_keeps_the_old_entries_searchable_until_it_finishes():
    backend = DatabaseBackend()
    backend.clear()
    backend.index([entry(1, "Oud verslag"), entry(2, "Verdwenen verslag")])
    backend.begin_rebuild()
    backend.index([entry(1, "Nieuw verslag")], rebuilding=True)
    # Mid-rebuild: the rewritten entry is current, the other one is still found.
    assert sorted(hit.object_id for hit in find(backend, "verslag").hits) == [1, 2]
    assert find(backend, "nieuw").total == 1
    backend.finish_rebuild()
    assert [hit.object_id for hit in find(backend, "verslag").hits] == [1]
    assert SearchEntry.objects.count() == 1


@pytest.mark.django_db
def test_an_aborted_rebuild_removes_nothing():
    backend = DatabaseBackend()
    backend.clear()
    backend.index([entry(1, "Verslag een"), entry(2, "Verslag twee")])
    backend.begin_rebuild()
    backend.index([entry(1, "Verslag een")], rebuilding=True)
    backend.abort_rebuild()
    backend.finish_rebuild()  # a later finish without a begin removes nothing either
    assert find(backend, "verslag").total == 2


@pytest.mark.django_db
def test_the_planner_setting_does_not_outlive_the_search():
    if connection.vendor != "postgresql":
        pytest.skip("the planner setting exists on PostgreSQL only")
    backend = DatabaseBackend()
    backend.index([entry(1, "Verslag")])
    with transaction.atomic(), connection.cursor() as cursor:
        assert find(backend, "verslag").total == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_postgresql_stores_the_vector_and_uses_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite uses its FTS5 table")
    backend = DatabaseBackend()
    backend.index([entry(n, f"Pagina {n}", "verslag") for n in range(1, 30)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM search_searchentry WHERE object_id = 1")
        assert "'pagina':1A" in cursor.fetchone()[0]
        with backend._planner():
            cursor.execute(
                "EXPLAIN SELECT id FROM search_searchentry"
                " WHERE search_vector @@ to_tsquery('simple', 'verslag')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_vector" in plan


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("gewone tekst", "gewone tekst"),
        ("<p>Hallo</p><p>wereld</p>", "Hallo wereld"),
        ("<b>vet</b>gedrukt", "vetgedrukt"),
        ("x<br>y", "x y"),
        ("a &amp; b", "a & b"),
        ("<p>caf&eacute;</p>", "café"),
        ("<script>alert(1)</script>zichtbaar<style>p{}</style>", "zichtbaar"),
        ("&lt;script&gt;alert(1)&lt;/script&gt; tekst", "alert(1) tekst"),
        ('<img src=x onerror="alert(1)">', ""),
        ("5 < 6 en 7 > 3", "5 < 6 en 7 > 3"),
        ("  veel \n\t witruimte  ", "veel witruimte"),
        ("", ""),
    ],
)
def test_plain_text_of_html(html, expected):
    assert plain(html) == expected


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Reünie", "reunie"),
        ("ÉCOLE", "ecole"),
        ("straße", "strasse"),
        ("ﬁets", "fiets"),
        ("naïve café", "naive cafe"),
        ("Ωmega", "ωmega"),
        ("ABC", "abc"),
        ("e\u0301", "e"),
    ],
)
def test_fold(word, folded):
    assert text.fold(word) == folded
