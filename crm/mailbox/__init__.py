"""Email in: file what arrives (a mailbox the worker reads, a dropped .eml or .msg) as replies, outreach or triage."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its settings and polling chore, its routes, `crm mail log|fetch`."""
    from crm.mailbox import cli, imap, views  # noqa: F401  (importing cli and views registers them)

    imap.init_app(app)
    app.register_blueprint(views.bp)
