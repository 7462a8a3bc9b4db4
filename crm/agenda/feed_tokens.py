"""The secret URL of a staff member's calendar feed: issued, renewed, revoked, and recognised.

The token is the credential (calendar apps cannot sign in), so it is long (256 bits from `secrets`),
kept only as its SHA-256 (like crm.auth.sessions) and shown once, when it is issued. Audit entries say
what happened to the feed, never the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from crm.agenda.models import CalendarFeed
from crm.audit import service as audit
from crm.auth.models import User
from crm.extensions import db
from crm.timeutil import utcnow

TOKEN_BYTES = 32


@dataclass(frozen=True)
class FeedState:
    """What the account page shows: whether a URL works, and the choices."""

    active: bool
    all_campaigns: bool
    issued_at: object = None
    last_read_at: object = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_state(user: User) -> FeedState:
    feed = _feed(user)
    if feed is None:
        return FeedState(active=False, all_campaigns=False)
    return FeedState(feed.token_hash is not None, feed.all_campaigns, feed.issued_at, feed.last_read_at)


def issue_token(user: User, *, all_campaigns: bool | None = None, actor: User | None) -> str:
    """A new secret URL token; any earlier one stops working at once. Returns the token (shown once)."""
    feed = _feed(user)
    action = "renew calendar feed" if feed is not None and feed.token_hash else "create calendar feed"
    if feed is None:
        feed = CalendarFeed(user_id=user.id, all_campaigns=bool(all_campaigns))
        db.session.add(feed)
    elif all_campaigns is not None:
        feed.all_campaigns = all_campaigns
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed.token_hash = _hash(token)
    feed.issued_at = utcnow()
    feed.last_read_at = None
    db.session.flush()
    audit.record("user", user.id, action, {"all campaigns": [None, feed.all_campaigns]}, actor=actor)
    return token


def revoke_token(user: User, *, actor: User | None) -> bool:
    """The feed's URL stops working; the choices stay. False when there was none to revoke."""
    feed = _feed(user)
    if feed is None or feed.token_hash is None:
        return False
    feed.token_hash = None
    feed.issued_at = None
    db.session.flush()
    audit.record("user", user.id, "revoke calendar feed", {}, actor=actor)
    return True


def set_all_campaigns(user: User, wanted: bool, *, actor: User | None) -> None:
    """Milestones of every campaign (True) or of the campaigns the user owns (False)."""
    feed = _feed(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, all_campaigns=False)
        db.session.add(feed)
    if feed.all_campaigns == wanted:
        return
    feed.all_campaigns = wanted
    db.session.flush()
    audit.record("user", user.id, "update calendar feed", {"all campaigns": [not wanted, wanted]}, actor=actor)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed this token opens, or None: unknown, revoked, renewed, or its account deactivated."""
    if not token or len(token) > 200:
        return None
    wanted = _hash(token)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == wanted))
    # The lookup goes by the hash, which a caller cannot steer; the final comparison is constant-time anyway.
    if feed is None or not hmac.compare_digest(feed.token_hash or "", wanted):
        return None
    user = db.session.get(User, feed.user_id)
    if user is None or not user.active:
        return None
    return feed
