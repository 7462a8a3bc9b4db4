"""What every response carries for the browser's protection, and what the app tells no log.

The contact base names prisoners' families and officials of a hostile state: pages are never
framed, never cached by a shared or back-button cache once someone is signed in, run only the
app's own scripts and styles, and do not hand their address (which may hold a search) to other
sites. Behind a reverse proxy the app trusts as many X-Forwarded-* hops as CRM_PROXY_HOPS says,
and no more, so a client cannot forge its address for the sign-in rate limit.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, request, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Bootstrap draws checkboxes and select arrows as data: SVG
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    app.after_request(protect)
    logging.getLogger("werkzeug").addFilter(without_query_strings)


def protect(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # Static files may be cached; anything served to a signed-in person (pages, downloads of
    # personal data, JSON) may not be kept by the browser or a proxy. Read from the cookies, not
    # current_user: loading the user needs the database, which a 503 page has just found missing.
    signed_in = "_user_id" in session or REMEMBER_COOKIE in request.cookies
    if request.endpoint != "static" and signed_in:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


_REQUEST_LINE = re.compile(r"^(\S+ [^?\s]*)\?\S*")


def without_query_strings(record: logging.LogRecord) -> bool:
    """The development server's access log without query strings: they carry search terms."""
    if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
        record.args = (_REQUEST_LINE.sub(r"\1?…", record.args[0]), *record.args[1:])
    return True
