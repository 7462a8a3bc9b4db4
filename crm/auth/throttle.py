"""Sign-in attempts limited per account and per address, so passwords cannot be guessed at speed.

Only failed attempts count (the form shown again); a successful sign-in costs nothing. The
limits step up: a few quick failures make an account wait a minute, more make it wait an hour;
the same for one address trying many accounts. The counts live in Redis when the job queue does
(CRM_JOBS_URL), so every worker sees them; otherwise in each process's memory. Behind a proxy,
the address is the client's only when CRM_PROXY_HOPS says how many proxies to trust.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

ACCOUNT_LIMITS = "5 per minute; 20 per hour"
ADDRESS_LIMITS = "20 per minute; 100 per hour"


def init_app(app: Flask) -> None:
    """Wrap the sign-in view of this app (its blueprint registered) in its own limiter."""
    jobs_url = app.config.get("JOBS_URL") or ""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", jobs_url if jobs_url.startswith(("redis://", "rediss://")) else "memory://"
    )
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    limiter = Limiter(key_func=get_remote_address, app=app, default_limits=[], key_prefix="crm-sign-in")
    view = app.view_functions["auth.login"]
    for limits, key in ((ACCOUNT_LIMITS, account_key), (ADDRESS_LIMITS, get_remote_address)):
        view = limiter.limit(limits, key_func=key, methods=["POST"], deduct_when=failed, on_breach=_breached)(view)
    app.view_functions["auth.login"] = view


def account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def failed(response: Response) -> bool:
    """The sign-in form came back: wrong password, unknown address or an inactive account."""
    return response.status_code == 200


def _breached(limit: RequestLimit) -> None:
    from crm.auth.service import note_lockout  # the service's models need the app this module sets up

    note_lockout(request.form.get("email") or "", by_address="account:" not in limit.key)
