"""Exports for the command line and the web alike: build the rows, write the file, audit it.

`export` writes a file; `stream` gives the bytes of a download as they are produced.
Both record one audit entry (entity "export", action = what was exported) with the
format, the filters, the number of rows and who asked, and flush; the caller commits.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts.search import OrganisationFilter, PeopleFilter
from crm.errors import NotFound
from crm.exports.organisation_rows import organisations_table
from crm.exports.outreach_rows import outreach_table, responses_table
from crm.exports.people_rows import people_table
from crm.extensions import db
from crm.outreach.search import OutreachFilter
from crm.spreadsheets.csv import csv_chunks, write_csv
from crm.spreadsheets.table import Table
from crm.spreadsheets.xlsx_stream import write_xlsx, xlsx_chunks

KINDS = ("people", "organisations", "outreach", "responses")
FORMATS = ("xlsx", "csv")
# How a count of rows is spoken: "Exported 3 outreach entries".
NOUNS = {"people": "people", "organisations": "organisations", "outreach": "outreach entries", "responses": "responses"}
FILTERS: dict[str, type] = {
    "people": PeopleFilter,
    "organisations": OrganisationFilter,
    "outreach": OutreachFilter,
    "responses": OutreachFilter,
}


def build_table(kind: str, *, filters: Any = None, campaign_id: int | None = None, within: Any = None) -> Table:
    """The rows of one export; nothing is queried until they are read, except the campaign check.

    `within`: a statement of ids the rows are limited to (a selection; not for responses)."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}")
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        raise NotFound(f"There is no campaign with id {campaign_id}.")
    filters = filters if filters is not None else FILTERS[kind]()
    db.session.flush()  # the rows are read on the session's connection, past its autoflush
    if kind == "people":
        return people_table(filters, campaign_id=campaign_id, within=within)
    if kind == "organisations":
        return organisations_table(filters, campaign_id=campaign_id, within=within)
    if campaign_id is not None:
        filters = replace(filters, campaign_id=campaign_id)
    return outreach_table(filters, within=within) if kind == "outreach" else responses_table(filters)


def export(
    kind: str,
    fmt: str,
    *,
    actor: User | None,
    destination: str | Path,
    filters: Any = None,
    campaign_id: int | None = None,
) -> int:
    """Write the export to `destination` and return its number of rows.

    The file appears whole or not at all: it is written beside the destination and
    renamed, so a failed run never leaves half a spreadsheet under the real name."""
    table = build_table(kind, filters=filters, campaign_id=campaign_id)
    destination = Path(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        if fmt == "xlsx":
            write_xlsx(table, partial)
        else:
            write_csv(table, partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    record_export(kind, fmt, actor=actor, filters=filters, campaign_id=campaign_id, rows=table.written)
    db.session.flush()
    return table.written


def stream(
    kind: str,
    fmt: str,
    *,
    actor: User | None,
    filters: Any = None,
    campaign_id: int | None = None,
    within: Any = None,
    selected: int | None = None,
) -> Iterator[bytes]:
    """The bytes of a download as they are produced; the audit entry is flushed at the end.

    Both formats start with bytes that need no query (the CSV header, the xlsx zip's
    fixed parts), so a download begins at once, then follow a block of rows at a time.
    `within` limits the rows to a selection of `selected` records, which the audit entry says."""
    table = build_table(kind, filters=filters, campaign_id=campaign_id, within=within)  # NotFound before any byte
    chunks = csv_chunks(table) if fmt == "csv" else xlsx_chunks(table)
    return _audited(chunks, table, kind, fmt, actor=actor, filters=filters, campaign_id=campaign_id, selected=selected)


def _audited(chunks: Iterator[bytes], table: Table, kind: str, fmt: str, **details: Any) -> Iterator[bytes]:
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        if not complete:
            # A dropped connection or a failed query: end the read, then still record the attempt.
            chunks.close()
            db.session.rollback()
        record_export(kind, fmt, rows=table.written, complete=complete, via="web", **details)
        db.session.flush()


def record_export(
    kind: str,
    fmt: str,
    *,
    actor: User | None,
    filters: Any,
    campaign_id: int | None,
    rows: int,
    complete: bool = True,
    via: str = "command line",
    selected: int | None = None,
) -> AuditEntry:
    changes: dict[str, list[Any]] = {
        "format": [None, fmt],
        "rows": [None, rows],
        "filters": [None, describe_filters(filters)],
        "via": [None, via if via != "command line" else f"command line ({_system_user()})"],
    }
    if campaign_id is not None:
        changes["campaign_id"] = [None, campaign_id]
    if not complete:
        changes["complete"] = [None, False]
    if selected is not None:
        changes["selection"] = [None, selected]
    # entity_id 0: an export is about a list, not one record; history("export", 0) lists them all.
    return audit.record("export", 0, kind, changes, actor=actor)


def describe_filters(filters: Any) -> dict[str, Any]:
    """The filters that differ from the list's defaults: {} for "everything"."""
    if filters is None:
        return {}
    defaults = asdict(type(filters)())
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in asdict(filters).items()
        if value != defaults[name]
    }


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"
