"""Letters: Word templates with merge fields, merged for many people, logged as one letter outreach.

- `docx_checks`: is an upload a .docx we may keep (no macros, no outside links, no zip bomb).
- `render`: docxtpl in the merge-field sandbox; one letter, the combined document, the PDF.
- `fields`, `addresses`: the merge fields of one recipient, their address block in their country's order.
- `audience`: who gets a letter and who is left out, and why.
- `templates`: upload, list, delete; `service`: preview, merge, log (plain functions); `jobs`: big merges.
- `views`, `cli`: the Letters pages and `flask crm letters`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its pages, its job, `crm letters`."""
    from crm.letters import cli, jobs, views  # noqa: F401  (importing cli and views registers them)

    jobs.init_app(app)
    app.register_blueprint(views.bp)
