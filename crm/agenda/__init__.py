"""The agenda: milestones, follow-ups and meetings as calendar feeds, a month view, and invites logged as meetings."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Its routes: the month view, the feed (public: its secret URL is the credential), invitations."""
    from crm.agenda import views  # importing a view module registers its routes on the blueprint

    app.register_blueprint(views.bp)
