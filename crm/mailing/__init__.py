"""Email out: compose to many with merge fields, send one message each, log it as one outreach."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet."""
