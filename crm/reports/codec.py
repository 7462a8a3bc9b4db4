"""Reports to JSON and back, so a built report can be kept in the database and read by any worker.

The reports are our own dataclasses of plain values, so their field types say how to read each
value back: no pickle, whose loading runs whatever the stored bytes name. Dicts are written as
[key, value] pairs, because JSON object keys are strings and a report has dicts keyed by None
(outcomes "not classified") or by ints.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

_PLAIN = (str, int, float, bool, type(None))


def dumps(value: Any) -> str:
    return json.dumps(_to_json(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str, kind: Any) -> Any:
    """The value `dumps` wrote, as `kind` (a dataclass, or a type such as list[int])."""
    return _reader(kind)(json.loads(text))


def _to_json(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: _to_json(getattr(value, name)) for name in names}
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, dict):
        return [[_to_json(key), _to_json(item)] for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    raise TypeError(f"A report cannot hold a {type(value).__name__}: {value!r}")


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    return tuple(field.name for field in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None


def _same(data: Any) -> Any:
    return data


@cache
def _reader(kind: Any) -> Callable[[Any], Any]:
    """A function that turns the JSON of a `kind` back into one; made once per type, as a page
    reads back hundreds of rows of the same few types."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [argument for argument in arguments if argument is not type(None)]  # X | None only
        read = _reader(inner)
        return _same if read is _same else lambda data: None if data is None else read(data)
    if origin is list:
        read = _reader(arguments[0])
        return _same if read is _same else lambda data: [read(item) for item in data]
    if origin is tuple:
        if arguments[-1] is Ellipsis:
            read = _reader(arguments[0])
            return lambda data: tuple(read(item) for item in data)
        reads = [_reader(argument) for argument in arguments]
        return lambda data: tuple(read(item) for read, item in zip(reads, data, strict=True))
    if origin is dict:
        read_key, read_value = _reader(arguments[0]), _reader(arguments[1])
        if read_key is _same and read_value is _same:
            return dict
        return lambda data: {read_key(key): read_value(item) for key, item in data}
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is float:
        return float  # JSON wrote 2.0 as 2.0, but a report made by hand may hold an int
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = [(field.name, _reader(hints[field.name])) for field in dataclasses.fields(kind) if field.init]
        return lambda data: kind(**{name: read(data[name]) for name, read in fields})
    if kind in _PLAIN or kind is Any:
        return _same
    raise TypeError(f"A report cannot hold a {kind!r}")
