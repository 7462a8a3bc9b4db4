"""Staff accounts."""

from __future__ import annotations

from blinker import Namespace
from sqlalchemy import func, select

from crm.auth import sessions
from crm.auth.models import ROLES, User
from crm.auth.passwords import check_password_strength, spend_a_check
from crm.errors import Conflict, InvalidInput, NotFound
from crm.extensions import db
from crm.timeutil import utcnow, zone_names
from crm.values import normalise_email

# Audit comes after auth in the order between features, so an account change is announced and the
# audit trail (crm.audit.service) records it, in the same transaction: sender is the user changed
# (None for a sign-in attempt on an address without an account), with action=, changes=
# ({field: [before, after]}) and actor=.
account_changed = Namespace().signal("account-changed")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def create_user(email: str, password: str, *, role: str, name: str = "", actor: User | None = None) -> User:
    try:
        email = normalise_email(email)
    except ValueError as error:
        raise InvalidInput(str(error), "email") from None
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", "role")
    check_password_strength(password, email=email)
    if find_user(email):
        raise Conflict(f"There is already an account for {email}.", "email")
    user = User(email=email, name=name.strip()[:120], role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    account_changed.send(user, action="create", changes={"email": [None, email], "role": [None, role]}, actor=actor)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account `email` and `password` open, or None; either way the attempt is audited and
    costs one password check, so the answer's timing does not tell whether the account exists."""
    user = find_user(email)
    if user is None:
        spend_a_check()
        account_changed.send(None, action="sign-in-failed", changes={"email": [None, "(no such account)"]}, actor=None)
        return None
    if not user.check_password(password) or not user.active:
        account_changed.send(user, action="sign-in-failed", changes={}, actor=None)
        return None
    user.last_login_at = utcnow()
    account_changed.send(user, action="sign-in", changes={}, actor=user)
    return user


def sign_out(user: User) -> None:
    if user.session_token:
        sessions.close_session(user.session_token)
    account_changed.send(user, action="sign-out", changes={}, actor=user)


def note_lockout(email: str, *, by_address: bool) -> None:
    """Sign-in attempts for `email` (or from one address) were refused for a while: audited."""
    what = "address" if by_address else "account"
    account_changed.send(find_user(email), action="locked-out", changes={"limit": [None, what]}, actor=None)
    db.session.commit()


def _active_admins() -> int:
    return db.session.scalar(select(func.count()).where(User.role == "admin", User.active.is_(True))) or 0


def update_user(user: User, *, role: str, active: bool, name: str, actor: User) -> User:
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", "role")
    losing_admin = user.role == "admin" and user.active and (role != "admin" or not active)
    if losing_admin and _active_admins() <= 1:
        raise Conflict("This is the last active admin; make someone else admin first.", "role")
    before = {"role": user.role, "active": user.active, "name": user.name}
    if role != user.role or active != user.active:
        sessions.close_all(user)  # signed in with rights it no longer has: sign in again
    user.role, user.active, user.name = role, active, name.strip()[:120]
    db.session.flush()
    after = {"role": role, "active": active, "name": user.name}
    changes = {field: [before[field], after[field]] for field in sorted(before) if before[field] != after[field]}
    if changes:
        account_changed.send(user, action="update", changes=changes, actor=actor)
    return user


def set_email_digest(user: User, wanted: bool, *, actor: User | None) -> None:
    """Whether the daily reminder email (crm.mailing.digest) goes to this account."""
    if user.email_digest == wanted:
        return
    user.email_digest = wanted
    db.session.flush()
    account_changed.send(user, action="update", changes={"email_digest": [not wanted, wanted]}, actor=actor)


def set_time_zone(user: User, name: str, *, actor: User | None) -> None:
    """The zone the staff member reads and types times in: an IANA name the server knows."""
    if name not in zone_names():
        raise InvalidInput("Choose a time zone from the list, such as Europe/Brussels.", "time_zone")
    if user.time_zone == name:
        return
    before, user.time_zone = user.time_zone, name
    db.session.flush()
    account_changed.send(user, action="update", changes={"time_zone": [before, name]}, actor=actor)


def set_password(user: User, password: str, *, actor: User | None) -> None:
    """Every sign-in of the account ends: whoever knew the old password is out. The caller signs
    the person changing their own password in again."""
    check_password_strength(password, email=user.email)
    user.set_password(password)
    sessions.close_all(user)
    db.session.flush()
    account_changed.send(user, action="password", changes={}, actor=actor)
