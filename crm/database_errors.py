"""What a person is told when the database cannot answer: busy (SQLite's one writer, a lock that
waited too long) or out of reach (the server down, the pool exhausted). Neither is a bug: the
page says 503 and to try again, the command line one line and exit code 3."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

UNAVAILABLE = (OperationalError, PoolTimeout)
EXIT_CODE = 3
BUSY = "The database is busy with another change (an import, perhaps). Wait a moment and try again; nothing was saved."
DOWN = "The database cannot be reached just now. Try again in a minute, and tell an admin if it persists; nothing was saved."
_BUSY_SIGNS = ("database is locked", "database table is locked", "lock timeout", "deadlock detected")


def busy(error: Exception) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return any(sign in text for sign in _BUSY_SIGNS)


def message(error: Exception) -> str:
    return BUSY if busy(error) else DOWN
