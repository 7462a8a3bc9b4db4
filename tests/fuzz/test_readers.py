"""read_sheet on any bytes under any name: rows of cell values, or UnreadableFile in one line.

Seeds are real files as the reader tests build them (.xlsx, .ods, .xls, .csv, .tsv, .xml);
the mutations flip, insert and delete bytes and cut the file short, or do the same to one
part inside a workbook's zip, so calamine and the XML reader meet broken content behind a
sound container. The reader process's CPU limit is lowered, so even a file that made a
parser spin ends as a refusal within seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm.imports.header import labels_of, not_a_person
from crm.imports.mapping import apply_mapping, auto_map
from crm.imports.presets import SAMPLES_DIR, list_presets, suggest_preset
from crm.imports.read import Limits, RawRow, UnreadableFile, read_sheet
from crm.imports.read.sheet import MB
from tests.fuzz import FUZZ
from tests.imports import files

LIMITS = Limits(max_memory=512 * MB, max_seconds=5)
CELL_TYPES = (str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta)
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".xml")

# First bytes that send a file down each of sniff's roads: zip, OLE2, XML, a BOM, plain text.
PREFIXES = (
    b"",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<?xml version='1.0'?>",
    b"<meps><mep>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"Name;Email\r\n",
    b"sep=\t\n",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    made = tmp_path_factory.mktemp("seeds")
    return {
        ".xlsx": files.messy_xlsx(made).read_bytes(),
        ".ods": files.ods(made).read_bytes(),
        ".xls": files.xls(made).read_bytes(),
        ".csv": files.cp1250_semicolon_csv(made).read_bytes(),
        ".tsv": files.utf8_bom_tsv(made).read_bytes(),
        ".xml": (SAMPLES_DIR / "ep_meps.xml").read_bytes(),
    }


def outcome(path: Path) -> int | str:
    """How many rows the file gives, or the refusal; any other exception fails the test."""
    try:
        with read_sheet(path, limits=LIMITS) as sheet:
            count = 0
            for row in sheet.rows:
                assert type(row) is RawRow and row.number > 0
                assert row.cells and row.cells[-1] is not None
                assert all(cell is None or isinstance(cell, CELL_TYPES) for cell in row.cells)
                count += 1
            return count
    except UnreadableFile as refusal:
        message = str(refusal)
        assert message and "\n" not in message and "\r" not in message
        return message


def write(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"upload{suffix}"
    path.write_bytes(data)
    return path


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few bytes flipped, inserted or deleted, or cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        match draw(st.sampled_from(("flip", "insert", "delete", "truncate"))):
            case "flip" if data:
                data[at] ^= draw(st.integers(1, 255))
            case "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=64))
            case "delete":
                del data[at : at + draw(st.integers(1, 64))]
            case "truncate":
                del data[at:]
    return bytes(data)


@st.composite
def mutated_part(draw: st.DrawFn, seed: bytes) -> bytes:
    """The workbook re-packed with one of its parts mutated: a sound zip around broken XML."""
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(mutated(parts[name]))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return packed.getvalue()


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(FUZZ, max_examples=25)
@given(data=st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(PREFIXES), st.binary(max_size=2048)))
@example(data=b"<a>" * 40 + b"</a>" * 40)
@example(data=b"PK\x05\x06" + bytes(18))
def test_any_bytes_give_rows_or_a_one_line_refusal(folder, suffix, data):
    outcome(write(folder, suffix, data))


# (seed, the names it is uploaded under, examples): a workbook under a text name is still read
# as a workbook, and text or XML under a workbook name as what it is.
MUTATIONS = [
    (".xlsx", (".xlsx", ".csv"), 30),
    (".ods", (".ods",), 20),
    (".xls", (".xls",), 30),
    (".csv", (".csv", ".xlsx"), 60),
    (".tsv", (".tsv",), 40),
    (".xml", (".xml", ".xlsx"), 40),
]


@pytest.mark.parametrize(("kind", "suffixes", "examples"), MUTATIONS)
def test_mutated_real_files_give_rows_or_a_one_line_refusal(folder, seeds, kind, suffixes, examples):
    @settings(FUZZ, max_examples=examples)
    @given(data=st.data())
    def check(data):
        suffix = data.draw(st.sampled_from(suffixes), label="suffix")
        outcome(write(folder, suffix, data.draw(mutated(seeds[kind]), label="file")))

    check()


@pytest.mark.parametrize(("kind", "examples"), [(".xlsx", 40), (".ods", 30)])
def test_workbooks_with_a_broken_part_give_rows_or_a_one_line_refusal(folder, seeds, kind, examples):
    @settings(FUZZ, max_examples=examples)
    @given(data=st.data())
    def check(data):
        outcome(write(folder, kind, data.draw(mutated_part(seeds[kind]), label="file")))

    check()


# --- What a file's first rows go through next: header, preset, mapping -------------------------

CELL = st.one_of(
    st.none(), st.text(max_size=40), st.sampled_from(["Name", "E-mail", "Country", "Tel.", "Total", "ID", "n/a"])
)
CELL = st.one_of(CELL, st.integers(), st.floats(), st.booleans(), st.dates(), st.datetimes())
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=12).map(
    lambda rows: [RawRow(number, cells) for number, cells in enumerate(rows, 1) if cells[-1] is not None]
)


@settings(FUZZ, max_examples=150)
@given(head=ROWS)
def test_any_first_rows_get_a_header_guess_and_a_mapping(head):
    suggestion = suggest_preset(head, list_presets())
    header = suggestion.header
    labels = header.labels if header else labels_of(head[0]) if head else []
    mapping = suggestion.preset.map(labels) if suggestion.preset else auto_map(labels)
    for row in head:
        not_a_person(row, header)
        apply_mapping(row.cells, mapping)
