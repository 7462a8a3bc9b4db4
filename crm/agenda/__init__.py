"""The agenda: milestones, follow-ups and meetings as calendar feeds, a month view, and invites logged as meetings."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet."""
