"""`flask --app wsgi crm ...`: thin wrappers over the services (a stable contract for scripts)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from crm import database_errors
from crm.auth import service as users
from crm.auth.models import ROLES
from crm.errors import DomainError
from crm.extensions import db


class _Commands(AppGroup):
    """The `crm` group: a database that is busy or out of reach is one line and exit code 3, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except database_errors.UNAVAILABLE as error:
            click.echo(f"Error: {database_errors.message(error)}", err=True)
            ctx.exit(database_errors.EXIT_CODE)


crm_cli = _Commands("crm", help="Advocacy CRM commands.")
# `crm mail send|log|fetch|digest`: the mailing and mailbox features add their commands to it.
mail_cli = AppGroup("mail", help="Email in and out: log, fetch, digest.")
crm_cli.add_command(mail_cli)


@crm_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--name", default="", help="Display name.")
@click.option("--password", help="Initial password; prompted for when not given.")
def create_user_command(email: str, role: str, name: str, password: str | None) -> None:
    """Create a staff account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, password, role=role, name=name)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email} (id {user.id}).")


@crm_cli.command("first-admin")
@click.option("--email", default="admin@example.org", show_default=True)
def first_admin_command(email: str) -> None:
    """Create an admin when there is none, and print how to sign in (used by `make run`)."""
    from crm.auth.models import User

    note = Path(current_app.config["INSTANCE_DIR"]) / "first-admin-password"
    admin = db.session.scalar(db.select(User).where(User.role == "admin").order_by(User.id))
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = users.create_user(email, password, role="admin", name="First admin")
        db.session.commit()
        note.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{admin.email}\n{password}\n")
    if note.exists():
        stored_email, stored_password = note.read_text().split("\n")[:2]
        stored = users.find_user(stored_email)
        if stored is not None and stored.check_password(stored_password):
            click.echo(f"Sign in as {stored_email} with password {stored_password}")
            click.echo("(change it under Account > Password; this note is kept in instance/ until then)")
            return
        note.unlink()
    click.echo(f"Sign in with your admin account ({admin.email}).")


@crm_cli.command("demo")
def demo_command() -> None:
    """Load the demo contacts from the Dzhakishev case (safe to run twice)."""
    from crm.demo.loader import load_demo

    try:
        counts = load_demo()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(f"Demo data not loaded: {error}") from None
    db.session.commit()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


@crm_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def worker_command(workers: int) -> None:
    """Run background jobs (imports) until stopped; `make run` starts one beside the web server.

    It first does the chores (crm.jobs.chore): an import left running by a worker that died is
    marked failed, to be tried again; they then recur as periodic jobs."""
    from crm.jobs import huey, run_chores

    app = current_app._get_current_object()
    queue = huey(app)
    run_chores(app)
    click.echo(f"Worker for {queue.storage.__class__.__name__} jobs; Ctrl+C stops it.")
    # Poll at least every second when idle: someone is usually watching the progress bar.
    queue.create_consumer(workers=workers, worker_type="thread", max_delay=1.0).run()
