"""The one importer: read → header → map → normalise → validate → match → apply.

`run_import` is called by the wizard (a dry run for the preview, then the real run in a
background job), by `flask crm import` and later by the API. It owns its transaction: a
dry run executes exactly the same code and rolls back, so the preview is what the real
run will do. A real run commits in chunks so others can write meanwhile; should it stop
half-way, what it committed is removed again (crm.imports.chunks), so a crash never leaves
half a file imported.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm import jobs
from crm.auth.models import User
from crm.data_version import report_data_changed
from crm.extensions import db
from crm.imports import chunks, matching, stages
from crm.imports import header as headers
from crm.imports.apply import Writer
from crm.imports.models import ImportProblem, ImportRun, ImportStatus
from crm.imports.read import RawRow, read_sheet
from crm.imports.results import WARNING, ImportResult, Problem, RowResult, RowStatus, storable
from crm.imports.taxonomy_names import UnknownCategory
from crm.imports.validate import validate
from crm.timeutil import today, utcnow

PROGRESS_EVERY = 500


@dataclass
class ImportOptions:
    sheet: str | None = None
    preset: str | None = None
    mapping: dict[int, str] | None = None  # column index → field key, as confirmed in the wizard
    defaults: dict[str, Any] = field(default_factory=dict)  # field → value for empty cells
    on_duplicate: str = "fill"  # fill | update | skip | create
    overrides: dict[int, str] = field(default_factory=dict)  # row number → on_duplicate, from the preview
    dry_run: bool = False
    encoding: str | None = None
    keep_values: int = 0  # keep the normalised values of this many rows, for the preview


Progress = Callable[[int], None]


def run_import(
    path: str | Path,
    options: ImportOptions,
    *,
    actor: User | None,
    run: ImportRun | None = None,
    file_name: str | None = None,
    progress: Progress | None = None,
    on_commit: Progress | None = None,
) -> ImportResult:
    """Import one sheet; raises UnreadableFile (nothing written) when the file cannot be imported.

    A real run commits in chunks (crm.imports.chunks); `on_commit(rows done)` is told after each.
    `run`, when given, is already running (the worker claimed it)."""
    sheet = read_sheet(path, options.sheet, encoding=options.encoding)
    lease = None
    with sheet:
        rows = iter(sheet.rows)
        head = list(itertools.islice(rows, headers.HEAD_ROWS))
        plan = stages.plan(head, options)  # header, mapping, preset; raises CannotImport
        result = ImportResult(
            file_name=file_name or Path(path).name,
            sheet=sheet.name,
            header_row=plan.header.row_number,
            labels=plan.header.labels,
            mapping=plan.mapping,
            dry_run=options.dry_run,
        )
        above = [row for row in head if row.number < plan.header.row_number and not headers.is_blank(row)]
        body = itertools.chain((row for row in head if row.number > plan.header.row_number), rows)
        try:
            if run is None and not options.dry_run:  # the command line: a run of its own, leased as a worker's
                run = ImportRun(
                    file_name=result.file_name,
                    created_by_id=actor.id if actor else None,
                    status=ImportStatus.RUNNING,
                )
                db.session.add(run)
                db.session.flush()
                lease = jobs.Lease(chunks.lease_key(run.id))
            if run is not None:
                _describe_run(run, result, options, plan)
                db.session.flush()
            if not options.dry_run:
                db.session.commit()  # the run as described; the rows follow in chunks
            result.rows.extend(_above_header(row) for row in above)
            _import_rows(body, plan, options, result, actor=actor, run=run, progress=progress, on_commit=on_commit)
            if options.dry_run:
                db.session.rollback()
                return result
            _finish_run(run, result)
            report_data_changed()  # people, roles and organisations, through bulk writes and the ORM alike
            db.session.commit()
        except chunks.RunTakenOver:
            db.session.rollback()
            raise
        except BaseException as error:
            db.session.rollback()
            if run is not None and not options.dry_run:
                chunks.give_up_after(run.id, error)
            raise
        finally:
            if lease is not None:
                lease.end()
    result.run_id = run.id
    return result


def _import_rows(
    rows: Iterator[RawRow],
    plan: stages.Plan,
    options: ImportOptions,
    result: ImportResult,
    *,
    actor: User | None,
    run: ImportRun | None,
    progress: Progress | None,
    on_commit: Progress | None,
) -> None:
    # A real run on PostgreSQL locks whom it fills or updates, so an editor's save meanwhile waits, then
    # sees the change; on SQLite the chunk holds the one write lock from its start (crm.imports.chunks).
    lock = not options.dry_run and db.session.get_bind().dialect.name != "sqlite"
    writer = Writer(
        run_id=run.id if run else None,
        actor=actor,
        role_source=plan.role_source,
        external_scheme=plan.external_scheme,
        lock=lock,
        note_heading=note_heading(result.file_name, today()),
    )
    matcher = matching.Matcher.load(external_scheme=plan.external_scheme, lock=lock)
    done = len(result.rows)  # the rows above the header, already reported
    chunk = None if options.dry_run else chunks.Chunks(run, writer.flush, on_commit)
    if chunk:
        chunk.begin(done)
    with _scan_new_objects_only():
        for raw in rows:
            why_not = headers.not_a_person(raw, plan.header)
            if why_not is headers.NotAPerson.BLANK:
                continue
            if why_not is not None:
                row = RowResult(raw.number, RowStatus.SKIPPED, errors=[Problem("", f"Not imported: {why_not.value}.")])
            else:
                row = _import_row(raw, plan, options, writer, matcher, keep=len(result.rows) < options.keep_values)
            result.rows.append(row)
            done += 1
            if done % PROGRESS_EVERY == 0:
                gc.freeze()
                if progress:
                    progress(done)
            if chunk:
                chunk.row_done(done)
        writer.flush()
    if plan.refresh:
        # A refused or undecided row may be someone still on the list: ending roles then would be a guess.
        unsure = [
            row.row
            for row in result.rows
            if row.status == RowStatus.REJECTED or (row.candidates and row.status == RowStatus.SKIPPED)
        ]
        if unsure:
            result.message = (
                f"Roles of people missing from the list were not ended: {len(unsure)} rows are refused or "
                "undecided. Fix them and import the list again to refresh it."
            )
        else:
            result.ended_roles = writer.end_missing_roles()
    if progress:
        progress(done)


def note_heading(file_name: str, on: dt.date) -> str:
    """What a note the file adds to someone's notes starts with, so staff can tell where it came from."""
    return f"From import “{file_name}” on {on.day} {on:%b %Y}:"


def _above_header(raw: RawRow) -> RowResult:
    """A row above the header: a title, a date line, or data if the header was taken too low."""
    text = headers.row_text(raw)
    if len(text) > 80:
        text = text[:80] + "…"
    return RowResult(raw.number, RowStatus.SKIPPED, errors=[Problem("", f"Above the header row: “{text}”.")])


@contextmanager
def _scan_new_objects_only() -> Iterator[None]:
    """Keep the cycle collector to what the last few hundred rows allocated.

    An import keeps hundreds of thousands of long-lived objects (the matching index, the row
    results); every full collection walked them all again, a quarter of a 100 000-row import.
    Freezing what exists every PROGRESS_EVERY rows leaves them to reference counting, which
    frees them as usual; cyclic garbage among them waits for the end of the import."""
    try:
        yield
    finally:
        gc.unfreeze()


def _import_row(
    raw: RawRow, plan: stages.Plan, options: ImportOptions, writer: Writer, matcher: matching.Matcher, *, keep: bool
) -> RowResult:
    row = RowResult(raw.number, RowStatus.REJECTED)
    values, errors, warnings = stages.clean(raw, plan)
    category_id = None
    if not errors:
        errors = validate(values, plan)
    if not errors:
        try:
            category_id = writer.category_id(values.get("category"))
        except UnknownCategory as error:
            # Better the person without a category than no person; this message replaces the
            # cleaner's shorter one about the same cell.
            label = plan.label_of("category")
            warnings = [warning for warning in warnings if warning.column != label]
            warnings.append(Problem(label, f"{error} The row is imported without a category.", WARNING))
            del values["category"]
    row.warnings = warnings or ()
    if keep:
        row.values = values
    if errors:
        row.errors = errors
        row.cells = raw.cells
        return row

    chosen = options.overrides.get(raw.number)  # decided by a person in the preview, for this row
    decision = matcher.decide(values, raw.number, chosen or options.on_duplicate, chosen=chosen is not None)
    if keep or decision.action == "skip":  # a created or updated row's near misses show in the first rows only
        row.candidates = decision.candidates or ()
    if decision.action == "reject":
        row.errors = [Problem(plan.label_of("id"), decision.reason)]
        row.cells = raw.cells
    elif decision.action == "skip":
        row.status = RowStatus.SKIPPED
        row.errors = [Problem("", decision.reason)]
        if decision.person is not None:
            row.id = decision.person.id
            writer.skipped.add(decision.person.id)
    elif decision.action == "create":
        row.status = RowStatus.CREATED
        writer.create(row, values, category_id)
        matcher.remember(values, raw.number)
    elif decision.earlier_row is not None:  # fill or update whom an earlier row of this file created
        writer.fill_earlier(row, decision.earlier_row, values, category_id, mode=decision.action)
        matcher.remember_more(decision.earlier_row, values, raw.number)
    else:  # fill or update an existing person
        person = decision.person
        row.changes = writer.update(person, values, category_id, mode=decision.action)
        row.status = RowStatus.UPDATED if row.changes else RowStatus.SKIPPED
        row.id = person.id
        if not row.changes:
            row.errors = [Problem("", f"Already up to date: {person.display_name} (#{person.id}).")]
    return row


def _describe_run(run: ImportRun, result: ImportResult, options: ImportOptions, plan: stages.Plan) -> None:
    run.sheet = result.sheet
    run.preset = plan.preset_name
    run.mapping = {str(index): key for index, key in plan.mapping.items()}
    run.defaults = {key: str(value) for key, value in options.defaults.items()}
    run.on_duplicate = options.on_duplicate
    run.overrides = {str(row): action for row, action in options.overrides.items()}


def _finish_run(run: ImportRun, result: ImportResult) -> None:
    counts = result.counts
    run.status = ImportStatus.DONE
    run.created, run.updated = counts[RowStatus.CREATED], counts[RowStatus.UPDATED]
    run.skipped, run.rejected = counts[RowStatus.SKIPPED], counts[RowStatus.REJECTED]
    run.rows_total = run.rows_done = len(result.rows)
    run.finished_at = utcnow()
    run.labels = result.labels
    run.header_row = result.header_row
    if result.ended_roles:
        run.message = f"{result.ended_roles} roles of people no longer on the list were ended."
    elif result.message:
        run.message = result.message
    # Rejected rows keep their errors (the error file), skipped rows their reason and any
    # warning, imported rows their warnings: the result page lists all three.
    problems = [
        {
            "run_id": run.id,
            "row_number": row.row,
            "status": row.status.value,
            "column": problem.column[:200],
            "message": problem.message,
            "cells": storable(row.cells) if index == 0 else None,
        }
        for row in result.rows
        if row.warnings or row.status in (RowStatus.REJECTED, RowStatus.SKIPPED)
        for index, problem in enumerate(_stored_problems(row))
    ]
    if problems:
        db.session.execute(db.insert(ImportProblem.__table__), problems)


def _stored_problems(row: RowResult) -> list[Problem]:
    if row.status == RowStatus.REJECTED:
        return list(row.errors) or [Problem("", "")]
    if row.status == RowStatus.SKIPPED:
        return [*row.errors, *row.warnings] or [Problem("", "")]
    return list(row.warnings)
