"""Field-by-field audit trail."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Entries for what other features announce (account changes)."""
    from crm.audit import service

    service.init_app(app)
