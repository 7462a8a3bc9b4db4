"""Record lists in XML, such as the European Parliament's MEP list, read as a sheet inside the
reader process.

    <meps><mep><fullName>…</fullName><country>…</country>…<id>…</id></mep>…</meps>

becomes a first row of the field names (fullName, country, …, id) and one row per <mep>, so
header detection, mapping and presets treat it like any spreadsheet. The record element is
the shallowest one that repeats and holds fields with text; its child elements and
attributes are the columns, in the order they first appear.

The file comes from people we do not control, so:
- it is parsed only in the reader process, under its memory and CPU limits (reader_process
  loads this file by its path and calls `work`; hence no import from crm here);
- nesting deeper than MAX_DEPTH is refused at the first element that goes deeper, in the
  first pass, while nothing deeper has been kept: record lists are 2 to 4 levels deep, and
  each pass keeps the path of open elements, which 40,000 nested elements would make cost
  gigabytes;
- defusedxml refuses any document type declaration: entity bombs (billion laughs) and
  external entities (file:// or http:// fetched by the parser) both need one, and record lists
  never do;
- the file is read twice as a stream, never held whole: once to find the record element and
  every column (so a record that adds a field late still gets its column, and a broken file
  is refused before any row is imported), once to yield rows. Each element is dropped from
  the tree as soon as it has been read, so memory holds one record at a time.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

MAX_DEPTH = 32
_TOO_DEEP = (
    f"The XML in this file is nested more than {MAX_DEPTH} levels deep, far more than any list of records, "
    "so it was refused as unsafe."
)
_UNSAFE = (
    "The file contains an XML document type declaration, which lists of records never need and entity "
    "bombs rely on, so it was refused as unsafe."
)
_NOT_RECORDS = "This XML file does not hold a list of records (such as the <mep> entries of the MEP list)."
_MAX_COLUMNS = 500  # real record lists have a dozen fields
_MAX_SHAPES = 10_000  # distinct element paths; a list of records has a handful
_EXCEL_2003 = "urn:schemas-microsoft-com:office:spreadsheet"


class Refused(Exception):
    """The file cannot be read as a list of records; the message is one sentence for the person."""


def work(path: str, sheet_name: str, longest: int, batch_size: int, send: Callable[..., None]) -> None:
    """The reader process's entry point: the survey's refusal, or the sheet and its rows as frames."""
    try:
        record_path, columns = survey(Path(path))
    except Refused as refusal:
        return send("refused", str(refusal))
    send("sheet", sheet_name, [sheet_name])
    batch: list[tuple[int, list]] = []
    try:
        for row in rows(Path(path), record_path, columns, longest):
            batch.append(row)
            if len(batch) == batch_size:
                send("rows", batch)
                batch = []
    except Refused as refusal:  # the file changed between the passes
        send("rows", batch)
        return send("refused", str(refusal))
    send("rows", batch)
    send("end")


@dataclass
class _Shape:
    """What the elements at one path (meps/mep) hold, across the whole file."""

    count: int = 0
    columns: dict[str, None] = field(default_factory=dict)  # child tags, then attributes, in order
    has_text: bool = False


@dataclass
class _Open:
    """An element whose end tag has not come yet."""

    element: ElementTree.Element
    children: dict[str, None] = field(default_factory=dict)
    has_text: bool = False


def survey(path: Path) -> tuple[tuple[str, ...], list[str]]:
    """The path of the record element and the columns, from one streaming pass; or a refusal."""
    shapes: dict[tuple[str, ...], _Shape] = {}
    stack: list[_Open] = []
    tags: list[str] = []
    with path.open("rb") as raw:
        for event, element in _events(raw):
            if event == "start":
                if not stack:
                    _check_root(element)
                stack.append(_Open(element))
                tags.append(_local(element.tag))
                continue
            current = stack.pop()
            text = bool((element.text or "").strip())
            if current.children or element.attrib:  # <mep><id>1</id>…</mep> or <mep id="1" …/>
                shape = shapes.setdefault(tuple(tags), _Shape())
                shape.count += 1
                shape.columns.update(current.children)
                shape.columns.update(dict.fromkeys(_local(name) for name in element.attrib))
                shape.has_text |= current.has_text or any(value.strip() for value in element.attrib.values())
                if len(shape.columns) > _MAX_COLUMNS or len(shapes) > _MAX_SHAPES:
                    raise Refused(_NOT_RECORDS)
            tags.pop()
            if stack:
                parent = stack[-1]
                parent.children[_local(element.tag)] = None
                parent.has_text |= text or current.has_text
                parent.element.remove(element)
            element.clear()
    # Records are below the root; among those, the shallowest that repeat, then the most frequent.
    candidates = [(path, shape) for path, shape in shapes.items() if len(path) >= 2 and shape.has_text]
    if not candidates:
        raise Refused(_NOT_RECORDS)
    record_path, shape = min(candidates, key=lambda item: (item[1].count < 2, len(item[0]), -item[1].count))
    return record_path, list(shape.columns)


def rows(path: Path, record_path: tuple[str, ...], columns: list[str], longest: int) -> Iterator[tuple[int, list]]:
    """(number, cells): the column names as row 1, then one row per record that has a value."""
    yield 1, list(columns)
    position = {name: index for index, name in enumerate(columns)}
    depth = len(record_path)
    number = 1
    stack: list[ElementTree.Element] = []
    tags: list[str] = []
    values: dict[str, list[str]] = {}
    with path.open("rb") as raw:
        for event, element in _events(raw):
            if event == "start":
                stack.append(element)
                tags.append(_local(element.tag))
                continue
            inside_field = len(tags) > depth + 1
            if len(tags) == depth + 1 and tuple(tags[:-1]) == record_path:
                if value := _text_of(element, longest):
                    values.setdefault(tags[-1], []).append(value)
            elif tuple(tags) == record_path:
                number += 1
                for name, value in element.attrib.items():
                    values.setdefault(_local(name), []).append(value.strip()[:longest])
                cells = [None] * len(columns)
                for name, found in values.items():
                    if name in position and any(found):
                        cells[position[name]] = "; ".join(value for value in found if value)
                values = {}
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    yield number, cells
            stack.pop()
            tags.pop()
            if not inside_field:  # a field's own children are read with it, at its end
                if stack:
                    stack[-1].remove(element)
                element.clear()


def _events(raw: BinaryIO) -> Iterator[tuple[str, ElementTree.Element]]:
    depth = 0
    try:
        for event, element in iterparse(raw, events=("start", "end"), forbid_dtd=True):
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                raise Refused(_TOO_DEEP)
            yield event, element
    except DefusedXmlException as error:
        raise Refused(_UNSAFE) from error
    except ElementTree.ParseError as error:
        line = error.position[0]
        raise Refused(f"The XML in this file is broken at line {line}, so it cannot be read.") from error


def _check_root(root: ElementTree.Element) -> None:
    if root.tag.startswith("{" + _EXCEL_2003 + "}"):
        raise Refused("This is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx.")
    if _local(root.tag).lower() in {"html", "head", "body"}:
        raise Refused("This file is a web page saved under a spreadsheet name; open it in Excel and save it as .xlsx.")


def _text_of(element: ElementTree.Element, longest: int) -> str:
    """A field's text; a field with parts of its own (<committees><c>AFET</c>…) gives them joined."""
    if len(element):
        parts = [text.strip() for text in element.itertext() if text.strip()]
        return "; ".join(parts)[:longest]
    return (element.text or "").strip()[:longest]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # "{namespace}mep" → "mep"
