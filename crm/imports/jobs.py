"""The import's background jobs, and the chore that fails imports whose worker died."""

from __future__ import annotations

from flask import Flask
from huey import crontab

from crm import jobs


def _run(run_id: int) -> None:
    from crm.imports.runs import run_job  # the pipeline loads only in the worker that needs it

    run_job(run_id)


def _preview(run_id: int) -> None:
    from crm.imports.previews import run_job

    run_job(run_id)


def _fail_abandoned() -> None:
    from crm.imports.runs import fail_abandoned

    fail_abandoned()


def init_app(app: Flask) -> None:
    jobs.register(app, "import", _run)
    jobs.register(app, "import-preview", _preview)
    jobs.chore(app, "imports-fail-abandoned", _fail_abandoned, schedule=crontab(minute="*"))
