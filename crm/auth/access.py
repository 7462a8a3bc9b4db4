"""Who may do what: every page needs a login; changes need an editor; admin pages an admin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request
from flask_login import current_user

from crm.auth import sessions
from crm.auth.models import User
from crm.extensions import login_manager

# Endpoints an anonymous visitor may reach. A calendar feed is read by calendar apps, which cannot sign in:
# the secret token in its URL is the credential (crm.agenda.feed_tokens).
PUBLIC_ENDPOINTS = {"auth.login", "static", "agenda.feed"}
# State-changing endpoints a viewer may use: they only touch the viewer's own session or account.
# Ticking rows of a list changes only the user's own selection (crm.selections).
SELF_SERVICE_ENDPOINTS = {
    "auth.logout",
    "auth.change_password",
    "auth.email_reminders",
    "auth.time_zone",
    "agenda.feed_settings",
    "selections.update",
    "selections.select_all",
    "selections.clear",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def role_required(role: str) -> Callable:
    """Refuse with 403 unless the signed-in user has at least `role`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # read by the route audit test
        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        # What the session and remember-me cookies carry is a sign-in's token (crm.auth.sessions).
        return sessions.user_for(token)

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        # Safety net under the per-view checks: a viewer never changes data.
        if (
            request.method not in SAFE_METHODS
            and not current_user.can("editor")
            and request.endpoint not in SELF_SERVICE_ENDPOINTS
        ):
            abort(403)
        return None
