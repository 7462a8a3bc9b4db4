"""Domain errors raised by services and translated by views, CLI and API."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a message a person can read."""

    def one_line(self) -> str:
        """The message on one line, without the field names InvalidInput puts in front: for a flash or the CLI."""
        errors = getattr(self, "errors", None)
        text = " ".join(message for messages in errors.values() for message in messages) if errors else str(self)
        return " ".join(text.split())


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    """Field-level problems; `errors` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "__all__") -> None:
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()))


class Conflict(DomainError):
    """The request clashes with existing data (a duplicate, a record in use)."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        self.field = field
        super().__init__(message)


class EditConflict(DomainError):
    """Someone saved the record after the form was opened (version mismatch)."""

    def __init__(self, record, expected_version: int, *, at_the_same_moment: bool = False) -> None:
        self.record = record
        self.expected_version = expected_version
        # At the same moment, the record's own state went with the failed save: not read again here.
        now = "at the same moment as you" if at_the_same_moment else f"(version {record.version})"
        super().__init__(
            f"This record was changed by someone else {now} after you opened it (version {expected_version})."
        )
