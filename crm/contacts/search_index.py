"""The trigram index that spares a text search reading every person (migration 0028).

PostgreSQL's is a pg_trgm GIN index on person.search_text: the planner uses it for the search's own
`LIKE '%term%'`, so nothing here concerns it. SQLite's is an FTS5 table, `person_search`, with the
trigram tokenizer, which the planner cannot see through: the search asks it first for the people
whose text holds the word (`person.id IN (SELECT rowid FROM person_search WHERE … MATCH …)`) and keeps its
LIKE, so the index only narrows what the LIKE reads and the results stay the LIKE's. A term of
fewer than 3 letters has no trigram to look up and is matched by the LIKE alone; a database without
the table (SQLite without FTS5, built before the migration) is read whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, column, func, select, table, text
from sqlalchemy.engine import Engine

from crm.contacts.models import Person
from crm.extensions import db

TABLE = "person_search"
MIN_LENGTH = 3  # a trigram
# Folded text (crm.folding) holds only these, so a query word is its own full-text phrase.
_INDEXABLE = re.compile(rf"[a-z0-9@._&/\- ]{{{MIN_LENGTH},}}")
_person_search = table(TABLE, column("rowid"), column("search_text"))
_found: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def has_index() -> bool:
    """Whether this SQLite database has the FTS5 table; once found, it is not looked for again."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return False
    if not _found.get(engine):
        query = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name")
        _found[engine] = db.session.execute(query, {"name": TABLE}).first() is not None
    return _found[engine]


def _indexable(variants: set[str]) -> bool:
    return bool(variants) and all(_INDEXABLE.fullmatch(variant) for variant in variants)


def _phrases(words: Iterable[str]) -> str:
    return " OR ".join(f'"{word}"' for word in sorted(set(words)))  # folded text holds no `"` to double


def holding_every(words: Iterable[Iterable[str]]) -> ColumnElement[bool] | None:
    """People whose text holds every query word (each as any of its folded variants), from the FTS5
    index, for the words it can look up: those whose variants all have 3 letters or more (the others
    are left to the LIKE, which reads every row then anyway). None without such a word or the index.

    A full-text phrase of the trigram tokenizer is a substring: `MATCH '"novak"'` finds what
    `LIKE '%novak%'` finds in the folded text, from the index alone, where FTS5's own LIKE and GLOB
    read every candidate's text again (twice as slow) and its LIKE would take `_` for a wildcard.
    The words' AND is FTS5's too, which merges their lists of people rather than looking each one up."""
    indexable = [set(variants) for variants in words if _indexable(set(variants))]
    if not indexable or not has_index():
        return None
    query = " AND ".join(f"({_phrases(variants)})" for variants in indexable)
    return Person.id.in_(select(_person_search.c.rowid).where(_person_search.c.search_text.op("MATCH")(query)))


def holding_any(words: Iterable[str], *, at_most: int) -> ColumnElement[bool] | None:
    """People whose text holds any of `words` (3 letters or more), when the index has at most `at_most` of
    them: beyond that, reading each one's row costs more than a scan that stops early. None otherwise."""
    words = set(words)
    if not _indexable(words) or not has_index():
        return None
    phrases = _phrases(words)
    holding = _person_search.c.search_text.op("MATCH")(phrases)
    found = db.session.scalar(select(func.count()).select_from(_person_search).where(holding))
    if found > at_most:
        return None
    return Person.id.in_(select(_person_search.c.rowid).where(holding))


def index_imported(first_id: int, last_id: int) -> None:
    """Index the people an import has just written with ids `first_id`…`last_id`: the insert trigger
    leaves the rows of an import run to it, since one INSERT … SELECT for a chunk of people costs far
    less than the trigger run once per row (bench/import_bench.py)."""
    if has_index():
        db.session.execute(
            text(
                f"INSERT INTO {TABLE} (rowid, search_text) SELECT id, search_text FROM person"
                " WHERE id BETWEEN :first AND :last AND import_run_id IS NOT NULL"
            ),
            {"first": first_id, "last": last_id},
        )


def rebuild(connection) -> None:
    """Index every person again from their rows (a restore, which writes people as they were, their
    import runs too, which the insert trigger leaves to the import)."""
    if connection.dialect.name != "sqlite":
        return
    query = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name")
    if connection.execute(query, {"name": TABLE}).first() is not None:
        connection.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"))
