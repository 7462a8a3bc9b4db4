"""Field-by-field audit trail, and the admins' viewer of it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Entries for what other features announce (account changes), and the viewer's routes."""
    from crm.audit import service, views  # noqa: F401  (importing views registers them)
    from crm.audit.blueprint import bp

    service.init_app(app)
    app.register_blueprint(bp)
