"""Data protection: subject access, erasure and the retention review (admins only)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes, `crm subject-access|erase|retention` and the RETENTION_YEARS setting."""
    from crm.privacy import cli, retention, views  # noqa: F401  (importing cli and views registers them)

    retention.init_app(app)
    app.register_blueprint(views.bp)
