"""Which schema a database is at, and which ones this version of the code knows (its migrations)."""

from __future__ import annotations

from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from crm import MIGRATIONS_DIR


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory(MIGRATIONS_DIR)


def head_revision() -> str:
    return _scripts().get_current_head() or ""


def known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


def database_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at; None when it has no schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
