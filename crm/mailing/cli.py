"""`flask --app wsgi crm mail digest [--dry-run]`: the daily reminder emails, now."""

from __future__ import annotations

import click

from crm.cli import mail_cli
from crm.mailing.digest import send_digests
from crm.mailing.transport import transport_name


@mail_cli.command("digest")
@click.option("--dry-run", is_flag=True, help="Show what would go to whom; send nothing.")
def digest_command(dry_run: bool) -> None:
    """Send each staff member who asked for it their reminder digest (once a day)."""
    outcomes = send_digests(dry_run=dry_run)
    if not outcomes:
        click.echo("Nobody is due a digest today (Account › Password and reminders turns it on).")
    for outcome in outcomes:
        digest = outcome.digest
        click.echo(f"{digest.user.email}: {outcome.outcome} — {digest.subject}")
        if dry_run and not digest.empty:
            click.echo("    " + digest.text().rstrip("\n").replace("\n", "\n    "))
    if not dry_run and transport_name() == "outbox" and any(o.outcome == "sent" for o in outcomes):
        click.echo("No CRM_MAIL_URL: the messages were written under instance/outbox/ instead of sent.")
    if any(o.outcome.startswith("failed") for o in outcomes):
        raise SystemExit(1)
