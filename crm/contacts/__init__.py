"""People, organisations and their dated roles."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes: people, organisations, roles and saved lists."""
    from crm.contacts import organisation_views, person_views, role_views, saved_list_views  # noqa: F401  (routes)
    from crm.contacts.blueprint import bp

    app.register_blueprint(bp)
