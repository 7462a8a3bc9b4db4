"""`crm mail log FILE` and `crm mail fetch`: exit 0 filed (the triage list included), 2 a file that is
not an email, 3 the database unavailable (the `crm` group's rule)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from crm.cli import mail_cli
from crm.errors import DomainError
from crm.mailbox import imap
from crm.mailbox.filing import file_message
from crm.mailbox.parse import NotAnEmail

NOT_AN_EMAIL = 2


@mail_cli.command("log")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object: status, outreach_id, response_id, people."
)
def log_command(path: Path, as_json: bool) -> None:
    """File one .eml or Outlook .msg as a reply, an email outreach entry or on the triage list."""
    limit = current_app.config["MAILBOX_MAX_BYTES"]
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        click.echo(f"{path.name} is larger than {limit // (1024 * 1024)} MB: not filed.", err=True)
        sys.exit(NOT_AN_EMAIL)
    try:
        result = file_message(raw, filename=path.name, origin="command", actor=None)
    except NotAnEmail as error:
        click.echo(error.one_line(), err=True)
        sys.exit(NOT_AN_EMAIL)
    except DomainError as error:
        click.echo(f"{path.name} was not filed: {error.one_line()}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result.as_json()))
    else:
        click.echo(f"{path.name}: {result.summary}")


@mail_cli.command("fetch")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
def fetch_command(as_json: bool) -> None:
    """Read the mailbox of CRM_IMAP_URL once: file every message and move it to the filed folder."""
    if not current_app.config.get("IMAP_URL"):
        click.echo("CRM_IMAP_URL is not set: there is no mailbox to read.", err=True)
        sys.exit(1)
    try:
        counts = imap.fetch_once()
    except imap.MailboxUnavailable as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(counts))
    else:
        click.echo(", ".join(f"{number} {what}" for what, number in counts.items()))
