"""Column values as JSON any database can take back: the archive's encoding, one kind per column.

The kind is written into the manifest with the column, so a restore decodes by what the archive
says, not by guessing from the target's types: dates and datetimes as ISO text, bytes as base64,
JSON columns as JSON, booleans as booleans, decimals as text (no float rounding).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Time,
    Uuid,
)
from sqlalchemy.types import TypeEngine

# Checked in this order: Boolean and DateTime before the broader types they might match.
_KINDS: tuple[tuple[type, str], ...] = (
    (Boolean, "boolean"),
    (DateTime, "datetime"),
    (Date, "date"),
    (Time, "time"),
    (JSON, "json"),
    (LargeBinary, "bytes"),
    (Float, "float"),
    (Numeric, "decimal"),
    (Integer, "integer"),
    (Uuid, "uuid"),
    (String, "text"),  # Text, Enum and Unicode are Strings too
)


class UnknownColumnType(TypeError):
    """A column type the archive has no encoding for: say how to encode it here before it is backed up."""


def kind_of(column_type: TypeEngine) -> str:
    for sql_type, kind in _KINDS:
        if isinstance(column_type, sql_type):
            return kind
    raise UnknownColumnType(
        f"The backup cannot encode columns of type {column_type!r}; add it to crm/backup/columns.py."
    )


def _same(value: Any) -> Any:
    return value


def _iso(value: date | datetime | time) -> str:
    return value.isoformat()


def _base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


ENCODERS: dict[str, Callable[[Any], Any]] = {
    "boolean": bool,
    "datetime": _iso,
    "date": _iso,
    "time": _iso,
    "json": _same,
    "bytes": _base64,
    "float": float,
    "decimal": str,
    "integer": int,
    "uuid": str,
    "text": str,
}


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not a boolean")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _uuid(value: Any) -> Any:
    import uuid

    return uuid.UUID(_text(value))


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


DECODERS: dict[str, Callable[[Any], Any]] = {
    "boolean": _boolean,
    "datetime": lambda value: datetime.fromisoformat(_text(value)),
    "date": lambda value: date.fromisoformat(_text(value)),
    "time": lambda value: time.fromisoformat(_text(value)),
    "json": _same,
    "bytes": lambda value: base64.b64decode(_text(value), validate=True),
    "float": _float,
    "decimal": lambda value: Decimal(_text(value)),
    "integer": _integer,
    "uuid": _uuid,
    "text": _text,
}


def sql_type(kind: str, *, nullable: bool) -> TypeEngine:
    """The type a restore binds a decoded value with: the same storage the app's own types give."""
    if kind == "json":
        # A JSON column's SQL NULL and JSON null read back alike (None); a nullable column gets
        # SQL NULL, so `IS NULL` finds it, a NOT NULL one the JSON null it must have held.
        return JSON(none_as_null=nullable)
    return {
        "boolean": Boolean(),
        "datetime": DateTime(),
        "date": Date(),
        "time": Time(),
        "bytes": LargeBinary(),
        "float": Float(),
        "decimal": Numeric(),
        "integer": BigInteger(),
        "uuid": Uuid(),
        "text": Text(),
    }[kind]


def encoder(kind: str) -> Callable[[Any], Any]:
    convert = ENCODERS[kind]
    return lambda value: None if value is None else convert(value)


def decoder(kind: str) -> Callable[[Any], Any]:
    convert = DECODERS[kind]
    return lambda value: None if value is None else convert(value)
