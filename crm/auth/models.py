from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from crm.extensions import db
from crm.timeutil import utcnow

ROLES = ("viewer", "editor", "admin")
ROLE_RANK = {name: rank for rank, name in enumerate(ROLES)}


class User(UserMixin, db.Model):
    """A staff account. Roles are ranked: an admin can do all an editor can."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # The daily reminder email (crm.mailing.digest): wanted, and the day it last went, so a second run
    # that day (a worker restarting runs its chores) sends nothing again.
    email_digest: Mapped[bool] = mapped_column(default=False)
    digest_sent_on: Mapped[date | None]
    # The zone this staff member reads and types times in ("America/New_York"); None: the app's
    # (CRM_TIMEZONE, Europe/Brussels unless set). Times are stored in UTC all the same.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    # The sign-in this request belongs to (crm.auth.sessions): what Flask-Login keeps in the session
    # and the remember-me cookie instead of the account's id, so ending it ends both.
    session_token = None  # str: not a column

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("A user is signed in through crm.auth.sessions.open_session only.")
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def label(self) -> str:
        return self.name or self.email

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class SignIn(db.Model):
    """One signed-in browser. Signing out ends it; a password change, a role change or deactivation
    ends every one of the account's, so a copied session or remember-me cookie stops working."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the token the cookies carry: the table alone does not let anyone sign in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    remember: Mapped[bool] = mapped_column(default=False)
