"""Record lists in XML, such as the European Parliament's MEP list, read as a sheet.

    <meps><mep><fullName>…</fullName><country>…</country>…<id>…</id></mep>…</meps>

becomes a first row of the field names (fullName, country, …, id) and one row per <mep>, so
header detection, mapping and presets treat it like any spreadsheet. The record element is
the shallowest one that repeats and holds fields with text; its child elements and
attributes are the columns, in the order they first appear.

The file comes from people we do not control, so:
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from crm.imports.read.sheet import Limits, RawRow, Sheet, UnreadableFile, only_sheet_name

_UNSAFE = (
    "The file contains an XML document type declaration, which lists of records never need and entity "
    "bombs rely on, so it was refused as unsafe."
)
_NOT_RECORDS = "This XML file does not hold a list of records (such as the <mep> entries of the MEP list)."
_MAX_COLUMNS = 500  # real record lists have a dozen fields
_MAX_SHAPES = 10_000  # distinct element paths; a list of records has a handful
_EXCEL_2003 = "urn:schemas-microsoft-com:office:spreadsheet"


def read_xml(path: Path, wanted: str | None = None, limits: Limits | None = None) -> Sheet:
    """Called by read_sheet once the first bytes look like XML; refuses with UnreadableFile."""
    limits = limits or Limits()
    name = only_sheet_name(path.stem, wanted)
    record_path, columns = _survey(path)
    return Sheet(name, [name], "xml", _rows(path, record_path, columns, limits))


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


def _survey(path: Path) -> tuple[tuple[str, ...], list[str]]:
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
                    raise UnreadableFile(_NOT_RECORDS)
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
        raise UnreadableFile(_NOT_RECORDS)
    record_path, shape = min(candidates, key=lambda item: (item[1].count < 2, len(item[0]), -item[1].count))
    return record_path, list(shape.columns)


def _rows(path: Path, record_path: tuple[str, ...], columns: list[str], limits: Limits) -> Iterator[RawRow]:
    yield RawRow(1, list(columns))
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
                if value := _text_of(element, limits.max_cell_chars):
                    values.setdefault(tags[-1], []).append(value)
            elif tuple(tags) == record_path:
                number += 1
                for name, value in element.attrib.items():
                    values.setdefault(_local(name), []).append(value.strip()[: limits.max_cell_chars])
                cells = [None] * len(columns)
                for name, found in values.items():
                    if name in position and any(found):
                        cells[position[name]] = "; ".join(value for value in found if value)
                values = {}
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    yield RawRow(number, cells)
            stack.pop()
            tags.pop()
            if not inside_field:  # a field's own children are read with it, at its end
                if stack:
                    stack[-1].remove(element)
                element.clear()


def _events(raw: BinaryIO) -> Iterator[tuple[str, ElementTree.Element]]:
    try:
        yield from iterparse(raw, events=("start", "end"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise UnreadableFile(_UNSAFE) from error
    except ElementTree.ParseError as error:
        line = error.position[0]
        raise UnreadableFile(f"The XML in this file is broken at line {line}, so it cannot be read.") from error


def _check_root(root: ElementTree.Element) -> None:
    if root.tag.startswith("{" + _EXCEL_2003 + "}"):
        raise UnreadableFile("This is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx.")
    if _local(root.tag).lower() in {"html", "head", "body"}:
        raise UnreadableFile(
            "This file is a web page saved under a spreadsheet name; open it in Excel and save it as .xlsx."
        )


def _text_of(element: ElementTree.Element, longest: int) -> str:
    """A field's text; a field with parts of its own (<committees><c>AFET</c>…) gives them joined."""
    if len(element):
        parts = [text.strip() for text in element.itertext() if text.strip()]
        return "; ".join(parts)[:longest]
    return (element.text or "").strip()[:longest]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # "{namespace}mep" → "mep"
