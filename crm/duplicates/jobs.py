"""The duplicate scan's background job."""

from __future__ import annotations

from flask import Flask

from crm import jobs


def _scan() -> None:
    from crm.duplicates.scan import run_scan

    run_scan()


def init_app(app: Flask) -> None:
    jobs.register(app, "duplicates-scan", _scan)
