"""The embedded default backend: full-text search inside the database that holds the content.

Its index is the ``SearchEntry`` table: PostgreSQL full-text search or SQLite FTS5 over the
processed terms of search/text.py, so both databases find the same things.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.fields import FloatField
from django.utils import timezone

from meent import access

from .. import text
from ..models import SearchAccess, SearchEntry
from .base import MAX_QUERY_LENGTH, Hit, SearchQuery, SearchResults, check, snippet

# With more matches than this, only the newest this many are ranked (see _search).
RANKED_CANDIDATES = 1000


def site_q(site_id):
    """Entries of a community: its own, and those that belong to every community (people)."""
    return Q(site_id=site_id) | Q(site_id__isnull=True)


def language_q(language):
    """Entries for readers of ``language``: those in it, and those without a language."""
    return Q(language=language) | Q(language__isnull=True)


class DatabaseBackend:
    """The embedded default: full-text search inside the database that holds the content."""

    name = "database"

    def ping(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    # Rebuilding (manage.py search_index rebuild): every entry is written again, batch by batch,
    # so searches keep finding the old entries meanwhile; at the end, what the rebuild did not
    # write (objects gone or no longer indexed) goes.

    def begin_rebuild(self):
        self._rebuild_started = timezone.now()

    def finish_rebuild(self):
        started = getattr(self, "_rebuild_started", None)
        if started is not None:
            stale = SearchEntry.objects.filter(updated_at__lt=started)
            with transaction.atomic():
                self._delete(stale)
        self._rebuild_started = None

    def abort_rebuild(self):
        self._rebuild_started = None

    # Writing

    def index(self, entries, *, rebuilding=False):
        entries = list(entries)
        if not entries:
            return
        now = timezone.now()
        with transaction.atomic():
            by_type = {}
            for entry in entries:
                by_type.setdefault(entry.type, set()).add(entry.object_id)
            for type_name, ids in by_type.items():
                self.remove(type_name, ids)
            if connection.vendor == "postgresql":
                self._insert_postgresql(entries, now)
            else:
                self._insert(entries, now)

    @staticmethod
    def _labels(entry):
        """(label, visible_from) pairs of an entry: now, or from a later moment on."""
        pairs = [(label, None) for label in sorted(entry.access)]
        pairs += [
            (label, moment)
            for label, moment in sorted(entry.scheduled_access.items())
            if label not in entry.access
        ]
        return pairs

    def _insert(self, entries, now):
        rows = SearchEntry.objects.bulk_create(
            SearchEntry(
                type=entry.type,
                object_id=entry.object_id,
                title=entry.title or entry.context,
                body=entry.body,
                url=entry.url,
                group_id=entry.group_id,
                organisation_id=entry.organisation_id,
                author_id=entry.author_id,
                date=entry.date,
                site_id=entry.site_id,
                language=entry.language,
                title_terms=text.terms(entry.title),
                terms=text.terms(entry.body),
                context_terms=text.terms(entry.context),
                updated_at=now,
            )
            for entry in entries
        )
        SearchAccess.objects.bulk_create(
            SearchAccess(entry_id=row.pk, label=label, visible_from=moment)
            for row, entry in zip(rows, entries, strict=True)
            for label, moment in self._labels(entry)
        )

    def _insert_postgresql(self, entries, now):
        """One INSERT … SELECT FROM unnest(arrays) per table: no model instances, two round trips
        per batch (rebuild speed)."""
        columns = {
            "type": "varchar",
            "object_id": "bigint",
            "title": "varchar",
            "body": "text",
            "url": "varchar",
            "group_id": "bigint",
            "organisation_id": "bigint",
            "author_id": "bigint",
            "date": "timestamptz",
            "site_id": "bigint",
            "language": "varchar",
            "title_terms": "text",
            "terms": "text",
            "context_terms": "text",
            "updated_at": "timestamptz",
        }
        values = {
            "type": [e.type for e in entries],
            "object_id": [e.object_id for e in entries],
            # Shown as the title: the entry's own, else its context (a chat message's room).
            "title": [e.title or e.context for e in entries],
            "body": [e.body for e in entries],
            "url": [e.url for e in entries],
            "group_id": [e.group_id for e in entries],
            "organisation_id": [e.organisation_id for e in entries],
            "author_id": [e.author_id for e in entries],
            "date": [e.date for e in entries],
            "site_id": [e.site_id for e in entries],
            "language": [e.language for e in entries],
            "title_terms": [text.terms(e.title) for e in entries],
            "terms": [text.terms(e.body) for e in entries],
            "context_terms": [text.terms(e.context) for e in entries],
            "updated_at": [now] * len(entries),
        }
        names = ", ".join(columns)
        arrays = ", ".join(f"%s::{kind}[]" for kind in columns.values())
        with connection.cursor() as cursor:
            # Column names and types are the constants above; every value is a parameter.
            cursor.execute(
                f"INSERT INTO search_searchentry ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
                " RETURNING id, type, object_id",
                [values[name] for name in columns],
            )
            ids = {(type_name, object_id): pk for pk, type_name, object_id in cursor.fetchall()}
            entry_ids, labels, moments = [], [], []
            for entry in entries:
                for label, moment in self._labels(entry):
                    entry_ids.append(ids[(entry.type, entry.object_id)])
                    labels.append(label)
                    moments.append(moment)
            if entry_ids:
                cursor.execute(
                    "INSERT INTO search_searchaccess (entry_id, label, visible_from)"
                    " SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[])",
                    [entry_ids, labels, moments],
                )

    def remove(self, type_name, ids):
        ids = list(ids)
        if not ids:
            return
        self._delete(SearchEntry.objects.filter(type=type_name, object_id__in=ids))

    def _delete(self, entries):
        SearchAccess.objects.filter(entry__in=entries.values("pk")).delete()
        entries.delete()

    def clear(self):
        with transaction.atomic(), connection.cursor() as cursor:
            # Table names from the models; no input. One statement, not a row-by-row delete.
            cursor.execute(f"DELETE FROM {SearchAccess._meta.db_table}")  # noqa: S608
            cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")  # noqa: S608

    def count_by_type(self) -> dict[str, int]:
        return dict(
            SearchEntry.objects.values_list("type").annotate(n=Count("pk")).values_list("type", "n")
        )

    # Searching

    def search(self, query: SearchQuery) -> SearchResults:
        checked = check(query)
        result = checked.result
        if result.empty or result.invalid:
            return result
        with self._planner():
            self._search(checked, result)
        return result

    def _search(self, checked, result):
        entries = self._visible(checked.labels)
        filters = Q()
        for name in ("group_id", "organisation_id", "author_id"):
            if getattr(checked, name) is not None:
                filters &= Q(**{name: getattr(checked, name)})
        if checked.site_id is not None:
            filters &= site_q(checked.site_id)
        if checked.language is not None:
            filters &= language_q(checked.language)
        if checked.start is not None:
            filters &= Q(date__gte=checked.start)
        if checked.end is not None:
            filters &= Q(date__lt=checked.end)
        entries = self._match(entries.filter(filters), checked.groups)
        result.facets = dict(
            entries.order_by().values_list("type").annotate(n=Count("pk")).values_list("type", "n")
        )
        if checked.types:
            entries = entries.filter(type__in=checked.types)
            result.total = sum(result.facets.get(t, 0) for t in set(checked.types))
        else:
            result.total = sum(result.facets.values())
        start = (checked.page - 1) * checked.per_page
        end = min(start + checked.per_page, result.total)
        if start >= end:
            return
        newest = (F("date").desc(nulls_last=True), "-pk")
        fields = ("type", "object_id", "title", "url", "body", "date")
        rows = []
        if start < RANKED_CANDIDATES:
            ranked = entries
            if result.total > RANKED_CANDIDATES:
                # Many matches (a common word): rank the newest RANKED_CANDIDATES of them.
                # Ranking reads every candidate's stored vector; this keeps a query's cost flat
                # however many documents match.
                # (Fetched first: the match condition names the table, so it cannot be nested
                # in a subquery, which would alias the table.)
                candidates = list(
                    entries.order_by(*newest).values_list("pk", flat=True)[:RANKED_CANDIDATES]
                )
                ranked = entries.model.objects.filter(pk__in=candidates)
            rows += list(
                ranked.only(*fields)
                .annotate(score=self._score(checked.groups))
                .order_by("-score", F("date").desc(nulls_last=True), "pk")[
                    start : min(end, RANKED_CANDIDATES)
                ]
            )
        if end > RANKED_CANDIDATES:
            # Beyond the ranked candidates: the older matches, newest first.
            rows += list(
                entries.only(*fields).order_by(*newest)[max(start, RANKED_CANDIDATES) : end]
            )
        result.hits = [
            Hit(
                type=row.type,
                object_id=row.object_id,
                title=row.title,
                url=row.url,
                snippet=snippet(row.body, checked.groups),
                date=row.date,
                score=float(getattr(row, "score", 0) or 0),
            )
            for row in rows
        ]

    @contextmanager
    def _planner(self):
        """PostgreSQL: plan the full-text match as a GIN bitmap scan.

        The planner does not count the cost of reading a stored tsvector back from TOAST, so for
        a common word it prefers a sequential scan that reads every document's vector (several
        times slower, see `make bench`); a bitmap scan of the GIN index needs none of them. The
        setting is local to the statements here and restored afterwards.
        """
        if connection.vendor != "postgresql":
            yield
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
            )
            before = cursor.fetchone()[0]
            yield
            # After an error the rollback (of the transaction or savepoint) undoes the setting.
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])

    def _visible(self, labels):
        """The entries that share an access label with the person, now."""
        allowed = SearchAccess.objects.filter(label__in=sorted(labels)).filter(
            Q(visible_from__isnull=True) | Q(visible_from__lte=timezone.now())
        )
        return SearchEntry.objects.filter(pk__in=allowed.values("entry_id"))

    def suggest(self, text_, user, types=(), limit=8, site_id=None, language=None) -> list[dict]:
        """Entries whose title has words starting with every word of ``text_`` (as typed,
        folded), among what the person may see (in the community ``site_id``, for readers of
        ``language``): one query. [{type, title, url}]"""
        if not isinstance(text_, str):
            return []
        prefixes = list(dict.fromkeys(text.words(text_[:MAX_QUERY_LENGTH])))[: text.MAX_QUERY_WORDS]
        if not prefixes or sum(len(word) for word in prefixes) < 2:
            return []
        limit = max(1, min(int(limit), 20))
        entries = self._visible(access.labels_for_user(user))
        if types:
            entries = entries.filter(type__in=list(types))
        if site_id:
            entries = entries.filter(site_q(site_id))
        if language:
            entries = entries.filter(language_q(language))
        # Only search/text.py words (letters and digits) reach the query syntax, each quoted.
        if connection.vendor == "postgresql":
            expression = " & ".join(f"'{word}':*A" for word in prefixes)
            where = f"{self._PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        else:
            expression = " AND ".join(f'title_terms : "{word}" *' for word in prefixes)
            where = (
                "search_searchentry.id IN"
                " (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)"
            )
        rows = (
            entries.extra(where=[where], params=[expression])  # noqa: S610
            .order_by("title", "pk")
            .values("type", "title", "url")[:limit]
        )
        return list(rows)

    # Vendor-specific full text. Only terms of search/text.py (letters and digits) reach the
    # query syntax, each quoted.

    # A stored generated column on PostgreSQL (migrations/0002), GIN-indexed.
    _PG_VECTOR = "search_searchentry.search_vector"

    def _expression(self, groups) -> str:
        if connection.vendor == "postgresql":
            return " & ".join(
                "(" + " | ".join(f"'{form}'" for form in group) + ")" for group in groups
            )
        return " AND ".join(
            "(" + " OR ".join(f'"{form}"' for form in group) + ")" for group in groups
        )

    def _match(self, entries, groups):
        expression = self._expression(groups)
        if connection.vendor == "postgresql":
            where = f"{self._PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        elif connection.vendor == "sqlite":
            where = (
                "search_searchentry.id IN"
                " (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)"
            )
        else:  # pragma: no cover - the project supports PostgreSQL and SQLite
            raise NotImplementedError(connection.vendor)
        return entries.extra(where=[where], params=[expression])  # noqa: S610

    def _score(self, groups):
        expression = self._expression(groups)
        if connection.vendor == "postgresql":
            # Weights {D, C, B, A}: context, (unused), body, title, in the proportions of SQLite's
            # bm25 below: a title match weighs ten body matches (ts_rank's default, 0.4 for the
            # body, let long pages that repeat a word outrank the page titled with it).
            # Normalisation 1 divides by 1 + log(length), as bm25 weighs length.
            sql = (
                "ts_rank('{0.025, 0.05, 0.1, 1.0}'::float4[], "
                f"{self._PG_VECTOR}, to_tsquery('simple'::regconfig, %s), 1)"
            )
        else:
            # bm25 is lower for better matches; titles weigh ten times the body, the context
            # (a chat message's room) a quarter of the body, as on PostgreSQL.
            sql = (
                "(SELECT -bm25(search_entry_fts, 10.0, 1.0, 0.25) FROM search_entry_fts"
                " WHERE search_entry_fts MATCH %s AND rowid = search_searchentry.id)"
            )
        # The expression is a parameter, built from search/text.py terms only.
        return RawSQL(sql, (expression,), output_field=FloatField())  # noqa: S611
