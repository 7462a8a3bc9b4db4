"""Salutations as data: how to greet a person by language, honorific and category (admins edit them)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its admin pages."""
    from crm.salutations import views

    app.register_blueprint(views.bp)
