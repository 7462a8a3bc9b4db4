"""Domain errors and HTTP errors turned into pages (or JSON under /api)."""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from crm import database_errors
from crm.errors import Conflict, NotFound
from crm.extensions import db, login_manager

_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "File too large",
    429: "Too many attempts",
    500: "Something went wrong",
}


def _render(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, title=_TITLES.get(status, "Error"), message=message), status


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # No text column takes U+0000 (PostgreSQL refuses it outright): say so instead of failing later.
        fields = (*request.args.values(), *(request.form.values() if request.form else ()))
        if any("\x00" in value for value in fields):
            return _render(
                400, "The address or form holds a NUL character, which no text may contain; nothing was saved."
            )

    @app.errorhandler(NotFound)
    def domain_not_found(error: NotFound):
        return _render(404, str(error))

    @app.errorhandler(Conflict)
    def domain_conflict(error: Conflict):
        return _render(409, str(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            "The form expired or was sent from elsewhere. Go back, reload the page and try again; nothing was saved.",
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _render(403, "Your account may not do this. Ask an admin if you need it.")

    @app.errorhandler(404)
    def not_found(error):
        return _render(404, "There is no page at this address.")

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _render(413, f"The upload is larger than the {limit} MB limit; nothing was saved.")

    @app.errorhandler(429)
    def too_many(error):
        response = make_response(
            _render(
                429,
                "Too many sign-in attempts that failed. Wait a minute and try again, or ask an admin to reset your password.",
            )
        )
        limit = getattr(error, "limit", None)  # Flask-Limiter's: its window says when to come back
        if limit is not None:
            response.headers["Retry-After"] = str(limit.limit.get_expiry())
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        try:
            db.session.rollback()
        except Exception:  # the connection is gone with the database: the pool drops it
            db.session.close()
        # Nobody can be looked up now: render as anonymous rather than load the user again (every
        # template's context asks for current_user).
        g._login_user = login_manager.anonymous_user()
        text = database_errors.message(error)
        retry = "5" if database_errors.busy(error) else "30"
        if request.path.startswith("/api/"):
            return jsonify({"error": text, "status": 503}), 503, {"Retry-After": retry}
        return render_template("unavailable.html", message=text), 503, {"Retry-After": retry}

    @app.errorhandler(500)
    def server_error(error):
        return _render(500, "The server hit an error; nothing was saved. Try again, and tell an admin if it persists.")
