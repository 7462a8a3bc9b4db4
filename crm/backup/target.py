"""Whether a database may take a restore: its schema at the archive's revision (or no tables at
all, for the restore to build), no data but the default lists, and no data files beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import column, func, inspect, or_, select, table
from sqlalchemy.engine import Connection

from crm.backup.archive import Manifest, Refused
from crm.backup.contents import LEFT_OUT_TABLES, data_files
from crm.backup.schema import database_revision
from crm.taxonomy import defaults

# What migration 0009 puts into a new database, by code: a restore replaces these rows with the
# archive's, which holds the lists as the team had them.
DEFAULT_LISTS = {
    "category": {code for _name, code in defaults.DEFAULT_CATEGORIES},
    "organisation_type": {code for _name, code in defaults.DEFAULT_ORGANISATION_TYPES},
    "outreach_kind": {entry[1] for entry in defaults.DEFAULT_OUTREACH_KINDS},
    "response_outcome": {entry[1] for entry in defaults.DEFAULT_OUTCOMES},
}
# Tables a new database starts filled (migration 0016's salutations), with no code to tell a default from
# an admin's row: an otherwise empty database counts as empty, and the restore replaces them all.
STARTER_TABLES = {"salutation"}


@dataclass(frozen=True)
class Target:
    needs_schema: bool  # no tables at all: the restore runs the migrations up to the archive's revision


def check_target(connection: Connection, manifest: Manifest, instance_dir: Path) -> Target:
    """Refused unless the database and the instance folder can take the archive as they are."""
    names = set(inspect(connection).get_table_names())
    if names:
        _check_schema(connection, manifest, names - LEFT_OUT_TABLES)
        check_empty(connection, [entry.name for entry in manifest.tables])
    files = next(data_files(instance_dir), None)
    if files is not None:
        raise Refused(
            f"The instance folder already holds data files ({files[1]}): restore only into a new "
            "installation, or move its attachments, imports and presets folders aside."
        )
    return Target(needs_schema=not names)


def _check_schema(connection: Connection, manifest: Manifest, names: set[str]) -> None:
    revision = database_revision(connection)
    if revision != manifest.revision:
        raise Refused(
            f"The database is at schema {revision or '(none)'} and the backup at {manifest.revision}: "
            f"restore into a database with no tables, or one brought to {manifest.revision} with "
            f"`flask --app wsgi db upgrade {manifest.revision}`."
        )
    inspector = inspect(connection)
    archived = {entry.name: entry for entry in manifest.tables}
    differing = sorted(names ^ set(archived))
    differing += [
        name
        for name in sorted(names & set(archived))
        if {c["name"] for c in inspector.get_columns(name)} != {c[0] for c in archived[name].columns}
    ]
    if differing:
        raise Refused(
            f"The database's tables differ from the backup's although both are at schema {manifest.revision} "
            f"({', '.join(differing[:3])}): restore into a database built by `flask --app wsgi db upgrade`."
        )


def check_empty(connection: Connection, names: list[str]) -> None:
    """Refused when any of the tables holds a row that is not one of the default lists' entries."""
    holding = []
    for name in names:
        if name in STARTER_TABLES:
            continue
        rows = table(name, column("code"))
        count = select(func.count()).select_from(rows)
        if name in DEFAULT_LISTS:
            count = count.where(or_(rows.c.code.is_(None), rows.c.code.not_in(DEFAULT_LISTS[name])))
        found = connection.execute(count).scalar_one()
        if found:
            holding.append(f"{found} in {name}")
    if holding:
        raise Refused(
            f"The database already holds data ({', '.join(holding[:3])}{', …' if len(holding) > 3 else ''}): "
            "restore only into an empty database."
        )
