"""Each database's full-text structure over search_indexeddocument (search/backends/).

SQLite: an FTS5 table over the analysed columns, its content read from the documents table
(external content) and kept in step by triggers, with a prefix index on the titles' words for
suggestions while typing. PostgreSQL: a weighted tsvector column computed from the analysed
columns, a GIN index on it, and pg_trgm on the vocabulary for typo suggestions.

The analysed columns hold space-separated terms of [a-z0-9] (search.analysis), so the simplest
tokenizers (FTS5's unicode61, PostgreSQL's 'simple' configuration) split them as written.
"""

from django.db import migrations

COLUMNS = "title_terms, tags_terms, answer_terms, body_terms, replies_terms, title_words"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS},
        content='search_indexeddocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3 4'
    )""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_indexeddocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_indexeddocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_indexeddocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

# Weights A to D: the title and tags, the accepted answer, the question or page text, the other
# replies (search.documents.FIELD_WEIGHTS).
POSTGRES_FORWARD = [
    """ALTER TABLE search_indexeddocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A') ||
        setweight(to_tsvector('simple'::regconfig, tags_terms), 'A') ||
        setweight(to_tsvector('simple'::regconfig, answer_terms), 'B') ||
        setweight(to_tsvector('simple'::regconfig, body_terms), 'C') ||
        setweight(to_tsvector('simple'::regconfig, replies_terms), 'D')
    ) STORED""",
    "CREATE INDEX search_doc_vector ON search_indexeddocument USING GIN (vector)",
    "ALTER TABLE search_indexeddocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, title_words)) STORED",
    "CREATE INDEX search_doc_title_vector ON search_indexeddocument USING GIN (title_vector)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_term_trigrams ON search_term USING GIN (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigrams",
    "ALTER TABLE search_indexeddocument DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_indexeddocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"Serambi's search has no full-text structure for {schema_editor.connection.vendor}:"
                " use SQLite or PostgreSQL (DATABASE_URL)."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
