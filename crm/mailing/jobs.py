"""The mailing's background job (sending) and its chore (the daily reminder digest)."""

from __future__ import annotations

from flask import Flask
from huey import crontab

from crm import jobs
from crm.mailing.service import SEND_JOB


def _send(mailing_id: int) -> None:
    from crm.mailing.sending import send_mailing

    send_mailing(mailing_id)


def _digest() -> None:
    from crm.mailing.digest import send_digests

    send_digests()


def init_app(app: Flask) -> None:
    jobs.register(app, SEND_JOB, _send)
    # Early, before the working day; a digest goes once a day at most, however often this runs.
    jobs.chore(app, "mailing-digest", _digest, schedule=crontab(minute="0", hour="6"))
