"""Reading an upload no further than its limit: one byte past it tells a file that is too big."""

from __future__ import annotations

from typing import BinaryIO

from crm.errors import DomainError, InvalidInput


def read_bounded(
    stream: BinaryIO, limit: int, too_big: str, *, field: str = "__all__", error: type[DomainError] | None = None
) -> bytes:
    """At most `limit` bytes of `stream`; beyond, `error` (InvalidInput on `field`) saying `too_big`."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise error(too_big) if error is not None else InvalidInput(too_big, field)
    return data


def megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"
