"""Campaigns (cases): asks, milestones, supporters."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes."""
    from crm.campaigns import member_views, members, views  # noqa: F401  (importing views registers their routes)

    app.register_blueprint(views.bp)
    members.init_app()
