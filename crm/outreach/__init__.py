"""The outreach log and the responses to it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes."""
    # Importing a view module registers its routes on the blueprint.
    from crm.outreach import queue_views, views, waiting_views  # noqa: F401

    app.register_blueprint(views.bp)
