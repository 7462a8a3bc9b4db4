"""What makes a password acceptable, and checking one in the same time whether or not the account exists."""

from __future__ import annotations

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from crm.errors import InvalidInput
from crm.values import load_table

MIN_PASSWORD_LENGTH = 10
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz", "qwertzuiop", "azertyuiop")


def check_password_strength(password: str, *, email: str = "") -> None:
    """Refuse short passwords, the commonest ones, one character repeated, a keyboard or alphabet
    run, and the account's own address."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", "password")
    folded = password.lower()
    if (
        folded in common_passwords()
        or len(set(folded)) <= 2
        or _is_run(folded)
        or (email and folded in {email.lower(), email.lower().partition("@")[0]})
    ):
        raise InvalidInput(
            "That password is among the first any attacker tries. Choose another: a few unrelated words work well.",
            "password",
        )


def _is_run(password: str) -> bool:
    """Part of a keyboard row or the alphabet, either way, repeated or not ("1234567890", "0987654321")."""
    for row in _ROWS:
        for text in (row, row[::-1]):
            if password in text * 3:
                return True
    return False


@cache
def common_passwords() -> frozenset[str]:
    """Passwords of ten characters or more found most often in published breaches."""
    return frozenset(load_table("common_passwords.yaml"))


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not anyone's password", method=method)


def spend_a_check() -> None:
    """Verify a password against a hash no one has: an unknown address costs what a known one
    does, so timing does not tell which addresses have accounts."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), "")
