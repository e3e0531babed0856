"""The context of an entry (a chat message's room, a comment's post) in its own column, ranked
with the least weight: PostgreSQL's stored vector gets it as weight D (title A, body B); SQLite's
FTS5 table gets a third column (bm25 weights in search/backends.py).

Adding the column makes SQLite rebuild search_searchentry, which drops the FTS5 triggers: the FTS5
table and its triggers are made again here, and filled from the entries. Entries indexed before
keep their room in the title until ``search_index rebuild`` (the chat and comment documents write
it as context from now on).
"""

from django.db import migrations, models

OLD_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, terms), 'B')"
)
VECTOR = OLD_VECTOR + " || setweight(to_tsvector('simple'::regconfig, context_terms), 'D')"


def _vector(expression):
    return [
        "DROP INDEX IF EXISTS search_entry_vector",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector"
        f" GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector)",
    ]


def _fts(columns):
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        "DROP TRIGGER IF EXISTS search_entry_fts_insert",
        "DROP TRIGGER IF EXISTS search_entry_fts_delete",
        "DROP TRIGGER IF EXISTS search_entry_fts_update",
        "DROP TABLE IF EXISTS search_entry_fts",
        f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5(
            {listed}, content='search_searchentry', content_rowid='id'
        )""",
        f"""CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(rowid, {listed}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(search_entry_fts, rowid, {listed})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN
            INSERT INTO search_entry_fts(search_entry_fts, rowid, {listed})
            VALUES ('delete', old.id, {old});
            INSERT INTO search_entry_fts(rowid, {listed}) VALUES (new.id, {new});
        END""",
        "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    ]


FORWARD = {
    "postgresql": _vector(VECTOR),
    "sqlite": _fts(["title_terms", "terms", "context_terms"]),
}
# Backwards, what reads the column goes before it is removed (PostgreSQL's vector, SQLite's
# triggers); SQLite's FTS5 table and triggers are made again afterwards.
BACKWARD_BEFORE = {
    "postgresql": _vector(OLD_VECTOR),
    "sqlite": _fts(["title_terms", "terms"])[:4],
}
BACKWARD_AFTER = {"sqlite": _fts(["title_terms", "terms"])}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_entry_site")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _run(BACKWARD_AFTER)),
        migrations.AddField(
            model_name="searchentry",
            name="context_terms",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD_BEFORE)),
    ]
