"""Email in: file what arrives (a mailbox the worker reads, a dropped .eml or .msg) as replies, outreach or triage."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet."""
