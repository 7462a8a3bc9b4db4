"""Campaign reports, the cross-campaign view and the engagement scorecard."""

from __future__ import annotations

from flask import Flask

from crm import jobs


def init_app(app: Flask) -> None:
    """Its routes, and the job that builds a report again in the background."""
    from crm.reports import cache, views  # importing a view module registers its routes on the blueprint

    app.register_blueprint(views.bp)
    jobs.register(app, cache.REBUILD_JOB, cache.rebuild)
