"""Email out: compose to a list, a selection or an outreach's recipients, preview, send in the background
(one message each, throttled, retried), logged as an email outreach; and the daily reminder digest.

- `audience`: who the email goes to and who is left out, and why.
- `messages`: merge fields and the EmailMessage of one recipient; `transport`: SMTP or the .eml outbox.
- `service`: preview, start, retry (plain functions); `sending`: the job; `throttle`: messages per minute.
- `digest`: the reminder email; `cli`: `crm mail digest`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its pages, its job and chore, `crm mail digest`."""
    from crm.mailing import cli, jobs, views  # noqa: F401  (importing cli and views registers them)

    jobs.init_app(app)
    app.register_blueprint(views.bp)
