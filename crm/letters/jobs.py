"""The letters' background job, merging a big set (more than LETTERS_BACKGROUND_AFTER letters), and its chore:
fail the merges whose worker died."""

from __future__ import annotations

from flask import Flask
from huey import crontab

from crm import jobs
from crm.letters.service import MERGE_JOB


def _merge(merge_id: int, sender: str) -> None:
    from crm.letters.service import merge_in_background

    merge_in_background(merge_id, sender)


def _fail_abandoned() -> None:
    from crm.letters.service import fail_abandoned_merges

    fail_abandoned_merges()


def init_app(app: Flask) -> None:
    jobs.register(app, MERGE_JOB, _merge)
    jobs.chore(app, "letters-fail-abandoned", _fail_abandoned, schedule=crontab(minute="*/5"))
