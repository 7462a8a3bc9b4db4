"""Likely duplicate people: scoring a pair, listing the database's duplicates, merging two people."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes, its background scan and `crm duplicates`."""
    from crm.duplicates import cli, jobs, views  # noqa: F401  (importing cli and views registers them)

    jobs.init_app(app)
    app.register_blueprint(views.bp)
