"""Salutations as data: "Dear Mr Kelam", "Sehr geehrter Herr Abgeordneter", by language and honorific."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet."""
