"""`flask --app wsgi crm export` and `export-template`: a stable contract for scripts.

Exit codes: 0 done; 1 the command was right but cannot be carried out (no such
campaign or saved list, the file cannot be written); 2 the command itself is wrong (click's
usage errors: an unknown kind or format, no -o, --list for anything but people).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from crm.cli import crm_cli
from crm.contacts.saved_lists import find_list, people_filter
from crm.errors import DomainError
from crm.exports import service
from crm.exports.template import write_template
from crm.extensions import db


def format_for(path: Path, fmt: str | None) -> str:
    """--format wins; else the file's extension; else xlsx."""
    if fmt:
        return fmt
    return "csv" if path.suffix.lower() in (".csv", ".txt") else "xlsx"


@crm_cli.command("export")
@click.argument("kind", type=click.Choice(service.KINDS))
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option(
    "--format", "fmt", type=click.Choice(service.FORMATS), help="File format; by default from the extension, else xlsx."
)
@click.option("--campaign", "campaign_id", type=click.IntRange(min=1), help="Only what belongs to this campaign (id).")
@click.option(
    "--archived",
    type=click.Choice(("active", "archived", "all")),
    help="People and organisations: which records, as in the lists (default: active; with --list, as the list opens).",
)
@click.option(
    "--list",
    "saved_list",
    metavar="NAME_OR_ID",
    help="People: only those of this saved list (its name, case aside, or its id), as the list shows them.",
)
def export_command(
    kind: str, output: Path, fmt: str | None, campaign_id: int | None, archived: str | None, saved_list: str | None
) -> None:
    """Export every record of KIND with its id, ready to edit and re-import.

    As the lists do, people and organisations leave out archived records unless
    --archived says otherwise. With --campaign, outreach and responses are the
    campaign's, and people and organisations those who took part in its outreach.
    With --list, people are those of a saved list (live: its filter run now; frozen:
    the people saved in it)."""
    fmt = format_for(output, fmt)
    if saved_list is not None and kind != "people":
        raise click.UsageError("--list is for people: a saved list holds people.")
    filters = None
    if kind in ("people", "organisations"):
        filters = service.FILTERS[kind](archived=archived or "active")
    try:
        if saved_list is not None:
            chosen = people_filter(find_list(saved_list))
            filters = replace(chosen, archived=archived) if archived else chosen
        count = service.export(kind, fmt, actor=None, destination=output, filters=filters, campaign_id=campaign_id)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except OSError as error:
        db.session.rollback()
        raise click.ClickException(f"Cannot write {output}: {error.strerror or error}") from None
    db.session.commit()
    click.echo(f"Exported {count} {service.NOUNS[kind]} to {output}")


@crm_cli.command("export-template")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_template_command(output: Path) -> None:
    """Write the blank people import template (.xlsx) with notes and dropdown lists."""
    try:
        write_template(output)
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror or error}") from None
    click.echo(f"Wrote the import template to {output}")
