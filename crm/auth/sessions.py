"""Sign-ins kept in the database, so that the server can end them.

Flask's session cookie and Flask-Login's remember-me cookie are signed but cannot be recalled:
a copy works until it expires. So they carry a random token instead of the account's id, and a
token is good only while its `SignIn` row exists and has not expired. Each sign-in gets a new
token (a fresh remember-me value too); signing out deletes it; a password change, a role change
or deactivation deletes all of the account's.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from crm.auth.models import SignIn, User
from crm.extensions import db
from crm.timeutil import utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, *, remember: bool) -> User:
    """A new sign-in for `user`, whose `get_id()` is then its token; the caller commits."""
    now = utcnow()
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"] if remember else current_app.config["SIGN_IN_HOURS"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(hours=lifetime)
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id, SignIn.expires_at < now))
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_hash=_hash(token), expires_at=now + lifetime, remember=remember))
    user.session_token = token
    return user


def user_for(token: str) -> User | None:
    """The account signed in with `token`, while that sign-in lasts and the account is active."""
    user = db.session.scalar(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(SignIn.token_hash == _hash(token), SignIn.expires_at > utcnow(), User.active.is_(True))
    )
    if user is not None:
        user.session_token = token
    return user


def remembered(token: str) -> bool:
    return bool(db.session.scalar(select(SignIn.remember).where(SignIn.token_hash == _hash(token))))


def close_session(token: str) -> None:
    db.session.execute(delete(SignIn).where(SignIn.token_hash == _hash(token)))


def close_all(user: User) -> None:
    """End every sign-in of `user`, on every browser."""
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id))
