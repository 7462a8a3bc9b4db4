"""A test client that sends forms as a browser does: with the CSRF token of a page it was served.

The suite runs the production configuration, CSRF on. Each HTML page the client receives
leaves its token behind (the sign-out form of every signed-in page, every form); a POST, PUT,
PATCH or DELETE without one carries the token of the last page, or of the sign-in page when
the client has seen none. `csrf=False` sends a request as a forger would: without a token.
"""

from __future__ import annotations

import re
from typing import Any

from flask import g, has_app_context
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

# A CSRF field, whatever the order of its attributes (WTForms writes name first, base.html type first).
TOKEN = re.compile(r'<input(?=[^>]*\bname="csrf_token")[^>]*\bvalue="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def _fresh_g() -> None:
    """Tests hold an app context that every request of theirs shares, and with it `g`, where Flask-Login
    keeps the signed-in user and Flask-WTF the CSRF token. A server gives each request its own: so
    does this client, or a second client's request would find the first one's user and token."""
    if has_app_context():
        for name in list(vars(g)):
            delattr(g, name)


class BrowserLikeClient(FlaskClient):
    _token: str | None = None

    def open(self, *args: Any, **kwargs: Any):
        method = str(kwargs.get("method", "GET")).upper()
        if method not in ("GET", "HEAD", "OPTIONS") and kwargs.pop("csrf", True):
            self._attach_token(kwargs)
        else:
            kwargs.pop("csrf", None)
        _fresh_g()
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and (found := TOKEN.search(response.get_data(as_text=True))):
            self._token = found.group(1)
        return response

    def _attach_token(self, kwargs: dict[str, Any]) -> None:
        data = kwargs.get("data")
        if kwargs.get("json") is not None or isinstance(data, str | bytes):
            headers = dict(kwargs.get("headers") or {})
            headers.setdefault("X-CSRFToken", self._page_token())
            kwargs["headers"] = headers
        elif data is None or isinstance(data, dict):
            if not data or "csrf_token" not in data:
                kwargs["data"] = {**(data or {}), "csrf_token": self._page_token()}
        elif isinstance(data, MultiDict) and "csrf_token" not in data:
            data = data.copy()
            data["csrf_token"] = self._page_token()
            kwargs["data"] = data

    def _page_token(self) -> str:
        if self._token is None:
            self.get("/login", follow_redirects=True)  # signed in, it leads to the start page and its sign-out form
        assert self._token, "no page served a CSRF token"
        return self._token
