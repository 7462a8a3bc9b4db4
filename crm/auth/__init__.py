"""Staff accounts, sign-in and access rules."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes and the sign-in check every request passes."""
    from crm.auth import access, throttle, views  # noqa: F401  (importing a view module registers its routes)

    access.init_app(app)
    app.register_blueprint(views.bp)
    throttle.init_app(app)
