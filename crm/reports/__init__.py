"""Campaign reports, the cross-campaign view and the engagement scorecard."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes."""
    from crm.reports import views  # importing a view module registers its routes on the blueprint

    app.register_blueprint(views.bp)
