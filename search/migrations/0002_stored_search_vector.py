"""PostgreSQL: the weighted tsvector stored in a generated column, with the GIN index on it.

Matching used an expression index, but ranking had to compute the tsvector again for every
matching row (most of a query's time for common words, see `make bench`). A stored generated
column is computed once per write by PostgreSQL itself; the backend reads it for both.

``toast_tuple_target`` moves the long columns (body, terms, vector) out of the table's own pages
sooner, so a bitmap scan over many matching rows reads a third of the pages. SQLite keeps its
FTS5 table (0001).
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, terms), 'B')"
)

FORWARD = [
    f"ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector"
    f" GENERATED ALWAYS AS ({VECTOR}) STORED",
    "DROP INDEX IF EXISTS search_entry_fulltext",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector)",
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 256)",
]
BACKWARD = [
    "ALTER TABLE search_searchentry RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
    f"CREATE INDEX search_entry_fulltext ON search_searchentry USING gin (({VECTOR}))",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]
