import datetime as dt
import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crm.errors import DomainError
from crm.imports.read import Limits, RawRow, SheetNotFound, UnreadableFile, read_sheet, reader_process
from crm.imports.read.sheet import MB
from tests.imports import files

ROOT = Path(__file__).resolve().parents[3]


def rows_of(path, **options) -> list[tuple[int, list]]:
    with read_sheet(path, **options) as sheet:
        return [(row.number, row.cells) for row in sheet.rows]


# --- Workbooks ------------------------------------------------------------------------------


def test_messy_workbook_keeps_values_and_row_numbers(tmp_path):
    with read_sheet(files.messy_xlsx(tmp_path)) as sheet:
        assert (sheet.name, sheet.sheet_names, sheet.kind) == ("Members", ["Members", "Notes"], "xlsx")
        rows = [(row.number, row.cells) for row in sheet.rows]

    assert rows == [
        (1, [files.MESSY_TITLE]),  # merged A1:F1: the value sits in A1 only
        (2, ["As of 1 May 2024"]),
        (4, files.MESSY_HEADER),  # blank rows 3 and 7 are skipped, numbers keep the gap
        (5, ["Zdechovský", "Tomáš", " tomas.zdechovsky@europarl.europa.eu ", "CZ", dt.date(1979, 6, 2), "EPP"]),
        (6, ["Джакишев", "Мухтар", "mukhtar @example.kz", "KZ", "12.03.1975"]),
        (8, ["Štětina", "Jaromír", "JAROMIR.STETINA@ep.europa.eu", "CZ", "1952-09-18", "EPP"]),
        (9, ["Dzhakishev", "Mukhtar", None, "KZ", 27466]),
        (10, ["Total", None, None, None, None, 4]),
        (12, [files.MESSY_NOTE]),
    ]


def test_whole_numbers_come_back_as_int(tmp_path):
    rows = dict(rows_of(files.messy_xlsx(tmp_path)))
    assert type(rows[9][4]) is int and type(rows[10][5]) is int  # Excel stored 27466.0 and 4.0


def test_default_sheet_is_the_first_visible_one_with_values(tmp_path):
    with read_sheet(files.several_sheets_xlsx(tmp_path)) as sheet:
        assert sheet.sheet_names == ["Cover", "Lookup", "People"]
        assert sheet.name == "People"  # "Cover" is empty, "Lookup" is hidden
        assert [row.cells for row in sheet.rows] == [["Name", "Email"], ["Anna Nováková", "anna@example.org"]]


def test_a_sheet_can_be_chosen_by_name(tmp_path):
    path = files.several_sheets_xlsx(tmp_path)
    assert rows_of(path, sheet="Lookup") == [(1, ["CZ", "Czechia"])]
    assert rows_of(path, sheet="Cover") == []


def test_an_unknown_sheet_names_the_sheets_there_are(tmp_path):
    with pytest.raises(SheetNotFound) as raised:
        read_sheet(files.several_sheets_xlsx(tmp_path), sheet="Contacts")
    assert (
        str(raised.value)
        == 'There is no sheet called "Contacts" in this file; its sheets are: "Cover", "Lookup", "People".'
    )
    assert raised.value.sheet_names == ["Cover", "Lookup", "People"]
    assert isinstance(raised.value, UnreadableFile)


def test_formulas_give_cached_values_and_columns_keep_their_place(tmp_path):
    assert rows_of(files.formulas_xlsx(tmp_path)) == [
        (3, [None, None, "Label", "Value"]),  # the table starts at C3
        (4, [None, None, "Half", 1.5]),
        (5, [None, None, "Double", 3]),  # =D4*2, as Excel cached it
        (6, [None, None, "Name", None, True]),  # a text formula; #DIV/0! is empty
    ]


def test_a_header_only_workbook_has_one_row(tmp_path):
    assert rows_of(files.header_only_xlsx(tmp_path)) == [(1, ["Name", "Email", "Country"])]


def test_a_5_mb_cell_is_read_whole(tmp_path):
    rows = rows_of(files.big_cell_xlsx(tmp_path))
    assert [number for number, _ in rows] == [1, 2, 3]
    assert rows[1][1] == ["Anna", files.big_text(5 * MB)]
    assert rows[2][1] == ["Boris", "short"]


def test_cells_longer_than_the_limit_are_cut(tmp_path):
    rows = rows_of(files.big_cell_xlsx(tmp_path, size=100_000), limits=Limits(max_cell_chars=40_000))
    assert rows[1][1] == ["Anna", files.big_text(100_000)[:40_000]]


def test_ods(tmp_path):
    with read_sheet(files.ods(tmp_path)) as sheet:
        assert (sheet.name, sheet.kind) == ("Kontakty", "ods")
        assert [(row.number, row.cells) for row in sheet.rows] == [
            (1, ["Seznam kontaktů"]),  # spanned over four columns: the others are covered, empty
            (4, ["Jméno", "Born", "Votes", "Notes"]),
            (5, ["Zdechovský", dt.date(1979, 6, 2), 42, "two  spaces\nsecond line"]),
            (6, ["Štětina", None, 2.5]),
        ]  # and the 1,048,570 repeated empty rows below cost nothing


def test_xls(tmp_path):
    with read_sheet(files.xls(tmp_path)) as sheet:
        assert (sheet.name, sheet.kind) == ("Kontakty", "xls")
        assert [(row.number, row.cells) for row in sheet.rows] == [
            (1, ["Seznam kontaktů"]),
            (3, ["Jméno", "Narozen", "Hlasů"]),
            (4, ["Zdechovský", dt.date(1979, 6, 2), 42]),
            (5, ["Štětina", None, 2.5]),
        ]


def test_stopping_early_ends_the_reader_process(tmp_path, monkeypatch):
    started = []

    class RecordingPopen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(reader_process.subprocess, "Popen", RecordingPopen)
    path = files.messy_xlsx(tmp_path)
    sheet = read_sheet(path)
    assert next(sheet.rows).number == 1
    sheet.close()
    with read_sheet(path):  # not a single row read
        pass
    assert len(started) == 2
    assert all(child.returncode is not None for child in started)


# --- Text tables ----------------------------------------------------------------------------


def test_cp1250_with_semicolons(tmp_path):
    with read_sheet(files.cp1250_semicolon_csv(tmp_path)) as sheet:
        assert (sheet.name, sheet.sheet_names, sheet.kind) == ("kontakty", ["kontakty"], "csv")
        assert (sheet.encoding, sheet.delimiter) == ("cp1250", ";")
        rows = [(row.number, row.cells) for row in sheet.rows]
    expected = [[value or None for value in row] for row in files.CP1250_ROWS]
    expected[4] = ["Novák", "Jan; ml.", None, "Ústí nad Labem"]  # the quoted ";" stays in its cell
    assert rows == list(enumerate(expected, 1))


def test_utf8_with_bom_and_tabs(tmp_path):
    with read_sheet(files.utf8_bom_tsv(tmp_path)) as sheet:
        assert (sheet.encoding, sheet.delimiter) == ("utf-8-sig", "\t")
        assert [(row.number, row.cells) for row in sheet.rows] == [
            (1, ["Фамилия", "Имя", "Заметки"]),  # no BOM glued to the first label
            (2, ["Джакишев", "Мухтар", "первая строка\nвторая строка"]),  # row numbers count records, not lines
            (3, ["Торегожина", "Бахытжан"]),
        ]


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        ("utf-8", [["Name", "City"], ["Zdeněk Dvořák", "Ústí"], ["Мухтар", "Алматы"]]),
        ("cp1252", [["Prénom", "Nom"], ["François", "Müller"], ["Søren", "Kierkegaard"], ["Hélène", "Lefèvre"]]),
        ("cp1250", [["Jméno", "Příjmení"], ["Zdeněk", "Novák"], ["Ödön", "Erdős"]]),
        ("cp1251", [["Имя", "Фамилия"], ["Ольга", "Иванова"], ["Іван", "Франко"]]),
        ("utf-16", [["Имя", "Nom"], ["Мухтар", "Hélène"]]),  # Excel's "Unicode text"
    ],
)
def test_encodings_excel_saves_csv_in(tmp_path, encoding, rows):
    path = files.write_csv(tmp_path / "people.csv", rows, encoding=encoding, delimiter=";")
    with read_sheet(path) as sheet:
        assert sheet.encoding == encoding
        assert [row.cells for row in sheet.rows] == rows


def test_a_known_encoding_can_be_given(tmp_path):
    path = files.write_csv(tmp_path / "x.csv", [["Zdeněk"]], encoding="cp1250")
    assert rows_of(path, encoding="cp1252") == [(1, ["Zdenìk"])]


@pytest.mark.parametrize(
    ("text", "delimiter", "first"),
    [
        ("Contacts 2024\r\n\r\nName,Email\r\nAnna,anna@example.org\r\nBoris,b@example.org\r\n", ",", ["Contacts 2024"]),
        ('Name;Note\r\nAnna;"a, b, c"\r\nBoris;"d, e"\r\n', ";", ["Name", "Note"]),
        ("Name|Email\nAnna|anna@example.org\n", "|", ["Name", "Email"]),
        ("email\nanna@example.org\nb@example.org\n", ",", ["email"]),
    ],
)
def test_delimiters(tmp_path, text, delimiter, first):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with read_sheet(path) as sheet:
        assert sheet.delimiter == delimiter
        assert next(sheet.rows).cells == first


def test_excels_sep_hint_sets_the_delimiter_and_is_not_a_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("sep=;\r\nName;Email\r\nAnna;anna@example.org\r\n", encoding="utf-8", newline="")
    assert rows_of(path) == [(1, ["Name", "Email"]), (2, ["Anna", "anna@example.org"])]


def test_text_saved_under_a_spreadsheet_name_is_read_as_text(tmp_path):
    path = files.write_csv(
        tmp_path / "export.xls", [["Name", "Email"], ["Anna", "a@example.org"]], encoding="utf-8", delimiter="\t"
    )
    assert rows_of(path) == [(1, ["Name", "Email"]), (2, ["Anna", "a@example.org"])]


def test_a_header_only_csv_has_one_row(tmp_path):
    path = files.write_csv(tmp_path / "x.csv", [["Name", "Email"]], encoding="utf-8")
    assert rows_of(path) == [(1, ["Name", "Email"])]


def test_a_5_mb_csv_cell_is_read_whole(tmp_path):
    path = files.write_csv(
        tmp_path / "x.csv", [["Name", "Notes"], ["Anna", "y" * (5 * MB)], ["Boris", "ok"]], encoding="utf-8"
    )
    rows = rows_of(path)
    assert rows[1] == (2, ["Anna", "y" * (5 * MB)])
    assert rows[2] == (3, ["Boris", "ok"])


# --- Files that must be refused -------------------------------------------------------------


def read_in_fresh_process(path: Path, **limits) -> dict:
    """Read in a new interpreter, so its peak memory is this read's alone."""
    code = """
import json, resource, sys
from crm.imports.read import Limits, UnreadableFile, read_sheet
try:
    with read_sheet(sys.argv[1], limits=Limits(**json.loads(sys.argv[2]))) as sheet:
        rows = sum(1 for row in sheet.rows)
    message = None
except UnreadableFile as error:
    message = str(error)
# ru_maxrss of RUSAGE_SELF keeps the size of the forking parent (a big test run) across exec on
# Linux; VmHWM belongs to this interpreter's own memory map.
with open("/proc/self/status") as status:
    own_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"message": message, "peak_mb": max(own_kb, children_kb) // 1024}))
"""
    command = [sys.executable, "-c", code, str(path), json.dumps(limits)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(finished.stdout)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory):
    return files.zip_bomb_xlsx(tmp_path_factory.mktemp("bomb"))


@pytest.mark.parametrize(
    ("build", "limits", "message"),
    [
        (files.empty_file, {}, "The file is empty."),
        (files.messy_xlsx, {"max_bytes": 2048}, "The file is 5 KB, more than the 2 KB an import accepts."),
        (files.png_named_xlsx, {}, "This file is not a spreadsheet: it is a PNG image."),
        (files.random_bytes_xlsx, {}, "This file is not a spreadsheet or a text table."),
        (
            files.web_page_xls,
            {},
            "This file is a web page saved under a spreadsheet name; open it in Excel and save it as .xlsx.",
        ),
        (files.word_document, {}, "This file is a Word document, not a spreadsheet."),
        (
            files.encrypted_xlsx,
            {},
            "The file is protected by a password; remove the password in Excel and upload it again.",
        ),
        (
            files.entity_bomb_xlsx,
            {},
            "The file contains an XML document type declaration, which spreadsheets never need "
            "and entity bombs rely on, so it was refused as unsafe.",
        ),
        (files.lying_sizes_xlsx, {}, "The file is damaged or not a real spreadsheet, so it cannot be read."),
        (
            files.sparse_corners_xlsx,
            {"max_memory": 512 * MB},
            "Reading this file needs more than 512 MB of memory, so it was refused as unsafe.",
        ),
        (
            lambda folder: files.many_parts_xlsx(folder, 50),
            {"max_parts": 20},
            "The file has more parts than any real spreadsheet, so it was refused as unsafe.",
        ),
    ],
)
def test_unsafe_or_broken_files_are_refused_in_bounded_memory(tmp_path, build, limits, message):
    outcome = read_in_fresh_process(build(tmp_path), **limits)
    assert outcome["message"] == message
    assert outcome["peak_mb"] < 200


def test_a_zip_bomb_is_refused_by_its_compression_ratio(zip_bomb):
    outcome = read_in_fresh_process(zip_bomb)
    assert re.fullmatch(
        r"Part of the file unpacks to \d+ times its packed size, far more than real spreadsheets, "
        r"so it was refused as a possible zip bomb\.",
        outcome["message"],
    )
    assert outcome["peak_mb"] < 200


def test_a_zip_bomb_is_refused_by_its_unpacked_size(zip_bomb):
    outcome = read_in_fresh_process(zip_bomb, max_unpacked_bytes=64 * MB)
    assert outcome["message"] == (
        "The file would unpack to 256 MB, more than the 64 MB allowed, so it was refused as a possible zip bomb."
    )


def test_a_damaged_workbook_is_refused(tmp_path):
    path = files.messy_xlsx(tmp_path)
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(
        UnreadableFile, match=r"^The file is damaged or not a real spreadsheet, so it cannot be read\.$"
    ):
        read_sheet(path)


def test_binary_after_a_text_start_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"Name,Email\r\n" * 2000 + b"\0\1\2")
    with pytest.raises(UnreadableFile, match="not a spreadsheet or a text table"):
        read_sheet(path)


@pytest.mark.parametrize(
    ("exit_code", "message"),
    [
        (-signal.SIGXCPU, "Reading this file took more than 60 seconds, so it was stopped."),
        (-signal.SIGKILL, "Reading this file took more than 60 seconds, so it was stopped."),
        (-signal.SIGABRT, "Reading this file needs more than 1024 MB of memory, so it was refused as unsafe."),
    ],
)
def test_how_the_reader_process_ended_is_told(exit_code, message):
    class Ended:
        def wait(self):
            return exit_code

    error = reader_process._child_died(Ended(), Limits())
    assert isinstance(error, UnreadableFile) and str(error) == message


def test_unreadable_file_is_a_domain_error():
    assert issubclass(UnreadableFile, DomainError)
    assert RawRow(3, ["a"]) == RawRow(3, ["a"])
