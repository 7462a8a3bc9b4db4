"""Selections: tick people, organisations or outreach entries on their lists, keep the ticks across
pages, then act on all of them at once.

- `models`: what a user has ticked (per list kind), and each bulk action with the ids it changed.
- `kinds`: the lists one may select on, and the statement behind each list's filters.
- `service`: tick, untick, select all that match, clear, count (set-based SQL, no per-row ORM).
- `bulk`: tag, untag, archive a selection as one audited operation, and undo exactly what it changed.
- `views`: the selection bar's endpoints and the bulk action pages.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from crm.selections import views  # noqa: F401  (importing views registers them)

    app.register_blueprint(views.bp)
