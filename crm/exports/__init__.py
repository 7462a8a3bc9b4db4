"""Every list out as a spreadsheet (.xlsx, .csv), safe to open and ready to re-import."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes and its commands."""
    from crm.exports import cli, views  # noqa: F401  (importing cli and views registers them)

    app.register_blueprint(views.bp)
