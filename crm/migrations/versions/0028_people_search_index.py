"""people search index: trigrams of person.search_text, so `LIKE '%term%'` stops reading every person

Revision ID: 0028_people_search_index
Revises: 0027_campaign_members
Create Date: 2026-12-07 12:45:00

PostgreSQL: GIN indexes of pg_trgm's trigrams, which the planner uses for the search's LIKE itself (and
for "Did you mean"'s LIKE on sort_key).
SQLite: an FTS5 table with the trigram tokenizer over person (external content), kept by triggers,
which the search reads first (crm.contacts.search_index). Either index may be missing (no right to
create the extension, an SQLite without FTS5 or its trigram tokenizer): the search then reads every
row as before, slower but with the same results.

A later migration that rebuilds person on SQLite (batch mode's copy, drop, rename) drops these
triggers with the old table and must create them again (tests/contacts/test_search_index.py fails
otherwise).
"""
import sqlite3
import warnings

from alembic import op
from sqlalchemy.exc import DBAPIError


# revision identifiers, used by Alembic.
revision = "0028_people_search_index"
down_revision = "0027_campaign_members"
branch_labels = None
depends_on = None

PG_INDEX = "ix_person_search_text_trgm"
# "Did you mean" compares the people whose sort key holds part of a word (crm.duplicates.suggestions).
PG_KEY_INDEX = "ix_person_sort_key_trgm"
SQLITE_TABLE = "person_search"
# External content: the index keeps only trigrams; the text stays in person. Its "delete" needs the
# text as indexed, which the old row holds in each trigger.
SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(search_text, content='person', content_rowid='id', "
    "tokenize='trigram')",
    # The people an import creates it indexes itself, in one INSERT … SELECT per chunk
    # (crm.contacts.search_index.index_imported): run row by row, this trigger doubled the import's writes.
    f"""CREATE TRIGGER {SQLITE_TABLE}_insert AFTER INSERT ON person WHEN new.import_run_id IS NULL BEGIN
        INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_delete AFTER DELETE ON person BEGIN
        INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_update AFTER UPDATE OF id, search_text ON person BEGIN
        INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {SQLITE_TABLE} (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')",  # the people already there
)


def _warn(message: str) -> None:
    # Printed as well: `flask db upgrade` shows no Python warnings unless asked to.
    print(f"WARNING: {message}")
    warnings.warn(message, stacklevel=2)


def _sqlite_has_trigram() -> bool:
    """FTS5 with the trigram tokenizer (SQLite 3.34+, FTS5 compiled in), tried where nothing is kept."""
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        try:
            # In a savepoint: a refusal (pg_trgm is trusted since PostgreSQL 13, but only a database
            # owner or a role with CREATE on it may create it) would otherwise abort the whole upgrade.
            with bind.begin_nested():
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError as error:
            _warn(
                "the people search index was not created: this database role may not create the pg_trgm "
                f"extension ({str(error.orig).strip().splitlines()[0]}). Search works, reading every person; "
                "to speed it up, run `CREATE EXTENSION pg_trgm;` as the database owner, then "
                f"`CREATE INDEX {PG_INDEX} ON person USING gin (search_text gin_trgm_ops);` and "
                f"`CREATE INDEX {PG_KEY_INDEX} ON person USING gin (sort_key gin_trgm_ops);`."
            )
            return
        for name, column in ((PG_INDEX, "search_text"), (PG_KEY_INDEX, "sort_key")):
            op.create_index(name, "person", [column], postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
    elif bind.dialect.name == "sqlite":
        if not _sqlite_has_trigram():
            _warn(
                f"the people search index was not created: SQLite {sqlite3.sqlite_version} has no FTS5 trigram "
                "tokenizer (3.34 or later needed). Search works, reading every person."
            )
            return
        for statement in SQLITE_SCHEMA:
            op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The extension stays: other objects may use it, and it costs nothing unused.
        op.execute(f"DROP INDEX IF EXISTS {PG_KEY_INDEX}")
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
