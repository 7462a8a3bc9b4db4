"""The import's background jobs, and its chores: fail the imports whose worker died, remove old uploads."""

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


def _prune_uploads() -> None:
    from crm.imports.retention import prune_uploads

    prune_uploads()


def init_app(app: Flask) -> None:
    jobs.register(app, "import", _run)
    jobs.register(app, "import-preview", _preview)
    jobs.chore(app, "imports-fail-abandoned", _fail_abandoned, schedule=crontab(minute="*"))
    jobs.chore(app, "imports-prune-uploads", _prune_uploads, schedule=crontab(minute="17", hour="3"))
