"""People, organisations and their dated roles."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes: people, organisations and roles."""
    from crm.contacts import organisation_views, person_views, role_views  # noqa: F401  (they register routes)
    from crm.contacts.blueprint import bp

    app.register_blueprint(bp)
