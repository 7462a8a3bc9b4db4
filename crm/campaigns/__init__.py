"""Campaigns (cases): asks, milestones, supporters."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes."""
    from crm.campaigns import members, views  # importing a view module registers its routes on the blueprint

    app.register_blueprint(views.bp)
    members.init_app()
