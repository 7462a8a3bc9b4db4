"""`flask --app wsgi crm import`, `undo-import` and `prune-uploads`: a stable contract that staff scripts rely on.

import exits 0 when every data row was imported, 1 when some rows were rejected (the valid
ones are committed unless --dry-run), 2 when the file cannot be read or is unsafe (one line
on stderr, nothing written). Every row of the sheet but blank ones is reported, rows above the
header as skipped, with the columns no field took ("Ignored columns: …") and each row's warnings.
"""

from __future__ import annotations

import json
import sys

import click

from crm.cli import crm_cli
from crm.errors import DomainError
from crm.extensions import db
from crm.imports.models import ON_DUPLICATE
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.read import UnreadableFile
from crm.imports.results import ImportResult, Problem, RowStatus
from crm.imports.undo import UndoRefused, undo_import


@crm_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--preset", help="A preset from imports/presets (e.g. ep_meps) or one saved in the wizard.")
@click.option("--sheet", help="The sheet to read (default: the first one with data).")
@click.option("--dry-run", is_flag=True, help="Do everything, then roll back: nothing is written.")
@click.option(
    "--on-duplicate",
    type=click.Choice(list(ON_DUPLICATE)),
    default="fill",
    show_default=True,
    help="What to do with a row that matches a person already here.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with every row's outcome, its warnings and the columns ignored.",
)
def import_command(
    file: str, preset: str | None, sheet: str | None, dry_run: bool, on_duplicate: str, as_json: bool
) -> None:
    """Import people from a spreadsheet (.xlsx .xlsm .xls .ods .csv .tsv, or the EP's XML list)."""
    options = ImportOptions(sheet=sheet, preset=preset, on_duplicate=on_duplicate, dry_run=dry_run)
    show_progress = not as_json and sys.stderr.isatty()
    try:
        result = run_import(file, options, actor=None, progress=_progress if show_progress else None)
    except UnreadableFile as error:
        click.echo(f"Cannot import {file}: {error}", err=True)
        sys.exit(2)
    except DomainError as error:  # an unknown preset or sheet, for instance
        click.echo(f"Cannot import {file}: {error}", err=True)
        sys.exit(2)
    if show_progress:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        _print_summary(result)
    sys.exit(1 if result.counts[RowStatus.REJECTED] else 0)


def _progress(done: int) -> None:
    click.echo(f"\r{done} rows…", err=True, nl=False)


def _print_summary(result: ImportResult) -> None:
    counts = result.counts
    which = "Dry run (nothing written)" if result.dry_run else f"Import #{result.run_id}"
    click.echo(
        f"{which} of {result.file_name}, sheet “{result.sheet}”: "
        + ", ".join(f"{counts[status]} {status}" for status in RowStatus)
        + "."
    )
    if not result.has_data_rows:
        click.echo("The sheet has a header but no data rows: there was nothing to import.")
    if result.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(result.ignored_columns)}.")
    if result.ended_roles:
        click.echo(f"{result.ended_roles} roles of people no longer on the list were ended.")
    if result.message:
        click.echo(result.message)
    for row in result.rows:
        if row.status in (RowStatus.REJECTED, RowStatus.SKIPPED):
            for problem in row.errors:
                click.echo(f"  row {row.row} {row.status}{_column(problem)}: {problem.message}")
        for problem in row.warnings:
            click.echo(f"  row {row.row} {row.status}, warning{_column(problem)}: {problem.message}")


def _column(problem: Problem) -> str:
    return f" [{problem.column}]" if problem.column else ""


@crm_cli.command("undo-import")
@click.argument("run_id", type=int, metavar="RUN_ID")
@click.option("--keep-conflicting", is_flag=True, help="Undo the rest, keeping records edited or used since.")
def undo_import_command(run_id: int, keep_conflicting: bool) -> None:
    """Undo an import run (its id is in `import --json` and the import history): remove the people
    it created, restore the ones it updated."""
    from crm.imports.runs import get_run

    try:
        run = get_run(run_id)
        undo_import(run, actor=None, keep_conflicting=keep_conflicting)
    except UndoRefused as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        for why in error.conflicts.people.values():
            click.echo(f"  {why}", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Import #{run_id}: {run.message}")


@crm_cli.command("prune-uploads")
@click.option("--json", "as_json", is_flag=True, help='Print {"runs": [import ids], "days": N}.')
def prune_uploads_command(as_json: bool) -> None:
    """Remove now the uploaded files (and refused rows as they were) of imports ended over CRM_IMPORT_FILES_DAYS ago.

    The worker does it every day; the imports keep their counts and can still be undone."""
    from crm.imports.retention import prune_uploads, retention_days

    run_ids = prune_uploads()
    if as_json:
        click.echo(json.dumps({"runs": run_ids, "days": retention_days()}))
    else:
        click.echo(f"Removed the uploaded files of {len(run_ids)} imports ended more than {retention_days()} days ago.")
