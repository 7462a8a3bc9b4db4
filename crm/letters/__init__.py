"""Letters: Word templates with merge fields, merged for many people, logged as one letter outreach."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet."""
