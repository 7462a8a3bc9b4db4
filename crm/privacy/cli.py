"""`crm subject-access`, `crm erase` and `crm retention`: exit 0 done, 1 refused (an unknown or
erased person, a file type we do not write, an erasure not confirmed), 3 the database unavailable
(the `crm` group's rule)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crm.cli import crm_cli
from crm.errors import DomainError
from crm.extensions import db
from crm.privacy import erasure, retention
from crm.privacy.subject_access import gather, record_subject_access
from crm.privacy.subject_access_files import FORMATS, file_format, write


def _refuse(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _via() -> str:
    return f"command line ({os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown user'})"


@crm_cli.command("subject-access")
@click.argument("person_id", type=int)
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx, .json or .zip"
)
def subject_access_command(person_id: int, output: str) -> None:
    """Everything about one person, as .xlsx, .json or .zip (both, with the attachment files)."""
    fmt = file_format(output)
    if fmt is None:
        _refuse(f"Cannot write {output}: name the file .{', .'.join(FORMATS)}.")
    try:
        data = write(gather(person_id), fmt)
    except DomainError as error:
        _refuse(str(error))
    # Only its owner may read what is written: it is everything about a person.
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    record_subject_access(person_id, fmt, actor=None, via=_via())
    db.session.commit()
    click.echo(f"Wrote everything about person #{person_id} to {Path(output)}.")


@crm_cli.command("erase")
@click.argument("person_id", type=int)
@click.option("--reason", required=True, help="Why (kept in the audit log; no name or email address).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as one JSON object.")
def erase_command(person_id: int, reason: str, yes: bool, as_json: bool) -> None:
    """Erase a person for good: their data goes, their participation in outreach still counts."""
    try:
        if erasure.is_erased(person_id):
            _refuse(f"Person #{person_id} was erased already.")
        preview = erasure.preview(person_id)
    except DomainError as error:
        _refuse(str(error))
    if not yes:
        click.echo(
            f"Erasing person #{person_id}: {preview.contact_points} contact points, {preview.roles} roles, "
            f"the words and {preview.attachments} files of {preview.replies} replies go; "
            f"{preview.participations} participations in outreach stay, as “{erasure.ERASED_NAME}”.",
            err=True,
        )
        if not click.confirm("This cannot be undone. Erase?", err=True):
            _refuse("Nothing was erased.")
    try:
        done = erasure.erase_person(person_id, reason, actor=None)
    except DomainError as error:
        db.session.rollback()
        _refuse(str(error))
    db.session.commit()
    erasure.remove_files(done)
    if as_json:
        click.echo(json.dumps({"person_id": person_id, "erased": True, "removed": done.counts}))
    else:
        click.echo(f"Erased person #{person_id}: " + ", ".join(f"{n} {what}" for what, n in done.counts.items()) + ".")


@crm_cli.command("retention")
@click.option("--years", type=click.IntRange(1, 100), help="Untouched for this many years (default: RETENTION_YEARS).")
@click.option("--archived", "include_archived", is_flag=True, help="List archived people too.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the years and every person listed.")
def retention_command(years: int | None, include_archived: bool, as_json: bool) -> None:
    """People without a lawful basis, or untouched for years: to review, archive or erase."""
    years = years or retention.configured_years()
    rows = list(retention.retention_rows(years, include_archived=include_archived))
    if as_json:
        people = [
            {
                "person_id": row.person_id,
                "name": row.name,
                "lawful_basis": row.lawful_basis or None,
                "last_touched": row.last_touched.isoformat(),
                "archived": row.archived,
                "no_lawful_basis": row.no_basis,
                "untouched": row.untouched,
            }
            for row in rows
        ]
        click.echo(json.dumps({"years": years, "people": people}, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"#{row.person_id}\t{row.name}\t{row.last_touched.isoformat()}\t{row.why}")
    people = "person" if len(rows) == 1 else "people"
    click.echo(f"{len(rows)} {people} to review (untouched for {years} years, or no lawful basis).", err=True)
