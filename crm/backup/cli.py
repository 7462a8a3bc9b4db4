"""`flask --app wsgi crm backup FILE` and `crm restore FILE`.

Both exit 0 when done, 1 when refused (a damaged, truncated or newer archive; a database that is
not empty or not at the archive's schema; a file that cannot be written), with one line on
stderr and nothing written, and 3 when the database cannot be reached (the `crm` group's rule).
"""

from __future__ import annotations

import json
import sys

import click

from crm.backup.archive import Refused
from crm.backup.restore import restore_backup
from crm.backup.schema import head_revision
from crm.backup.summary import Summary
from crm.backup.take import take_backup
from crm.cli import crm_cli

_JSON_HELP = "Print one JSON object: rows per table, files and bytes."


@crm_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def backup_command(file: str, as_json: bool) -> None:
    """Write every record and data file into one archive (safe while the app runs)."""
    try:
        summary = take_backup(file)
    except Refused as error:
        _refused(f"Nothing backed up: {error}")
    except OSError as error:
        _refused(f"Nothing backed up: cannot write {file} ({error.strerror or error}).")
    if as_json:
        click.echo(json.dumps(summary.as_json()))
    else:
        click.echo(f"Backed up {_counts(summary)} to {file} ({summary.archive_bytes} bytes).")


@crm_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
def restore_command(file: str, as_json: bool) -> None:
    """Restore an archive into an empty database (after `flask --app wsgi db upgrade`, or with no tables)."""
    try:
        summary = restore_backup(file)
    except Refused as error:
        _refused(f"Nothing restored: {error}")
    except OSError as error:
        _refused(f"Nothing restored: cannot unpack the files ({error.strerror or error}).")
    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    click.echo(f"Restored {_counts(summary)} from {file}.")
    if summary.revision != head_revision():
        click.echo(f"The backup is at schema {summary.revision}: run `flask --app wsgi db upgrade` now.")


def _counts(summary: Summary) -> str:
    return f"{summary.rows} rows in {len(summary.tables)} tables and {summary.files} files ({summary.file_bytes} bytes)"


def _refused(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)
