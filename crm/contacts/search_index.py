"""The trigram index that spares a text search reading every person (migration 0026).

PostgreSQL's is a pg_trgm GIN index on person.search_text: the planner uses it for the search's own
`LIKE '%term%'`, so nothing here concerns it. SQLite's is an FTS5 table, `person_search`, with the
trigram tokenizer, which the planner cannot see through: the search asks it first for the people
whose text holds the term (`person.id IN (SELECT rowid FROM person_search WHERE …)`) and keeps its
LIKE, so the index only narrows what the LIKE reads and the results stay the LIKE's. A term of
fewer than 3 letters has no trigram to look up and is matched by the LIKE alone; a database without
the table (SQLite without FTS5, built before the migration) is read whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, column, select, table, text, union_all
from sqlalchemy.engine import Engine

from crm.contacts.models import Person
from crm.extensions import db

TABLE = "person_search"
MIN_LENGTH = 3  # a trigram
# Folded text (crm.folding) holds only these: never GLOB's `*`, `?`, `[`, so a term is its own pattern.
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


def indexed_term(variants: Iterable[str]) -> ColumnElement[bool] | None:
    """People whose text holds any of one query word's folded variants, from the FTS5 index; None when
    a variant is too short for a trigram (the LIKE reads every row then anyway) or there is no index.

    GLOB rather than LIKE: FTS5 reads a LIKE with an ESCAPE clause from the whole table, and without one
    an underscore in an email would be a wildcard; GLOB takes the folded term as it is."""
    variants = sorted(set(variants))
    if not variants or not all(_INDEXABLE.fullmatch(v) for v in variants) or not has_index():
        return None
    hits = [select(_person_search.c.rowid).where(_person_search.c.search_text.op("GLOB")(f"*{v}*")) for v in variants]
    return Person.id.in_(hits[0] if len(hits) == 1 else union_all(*hits))
