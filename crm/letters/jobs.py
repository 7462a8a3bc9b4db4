"""The letters' background job: merging a big set (LETTERS_BACKGROUND_AFTER letters or more)."""

from __future__ import annotations

from flask import Flask

from crm import jobs
from crm.letters.service import MERGE_JOB


def _merge(merge_id: int, sender: str) -> None:
    from crm.letters.service import merge_in_background

    merge_in_background(merge_id, sender)


def init_app(app: Flask) -> None:
    jobs.register(app, MERGE_JOB, _merge)
