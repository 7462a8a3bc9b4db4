import datetime as dt
from itertools import chain, islice

import pytest

from crm.contacts.sheet_fields import FIELDS
from crm.imports.header import HEAD_ROWS, HeaderGuess, NotAPerson, find_header, labels_of, not_a_person
from crm.imports.read import RawRow, read_sheet
from tests.imports import files


def table(*rows: list, first: int = 1) -> list[RawRow]:
    return [RawRow(number, list(cells)) for number, cells in enumerate(rows, first)]


def test_header_below_a_title_block_with_merged_cells_and_blank_rows(tmp_path):
    with read_sheet(files.messy_xlsx(tmp_path)) as sheet:
        head = list(islice(sheet.rows, HEAD_ROWS))
        guess = find_header(head)
        data = list(chain((row for row in head if row.number > guess.row_number), sheet.rows))

    assert guess.row_number == 4
    assert guess.labels == files.MESSY_HEADER
    assert guess.confidence >= 0.6
    assert [row.number for row in data] == [5, 6, 8, 9, 10, 12]
    assert [not_a_person(row, guess) for row in data] == [None, None, None, None, NotAPerson.TOTALS, NotAPerson.NOTE]


def test_header_of_each_sample_format(tmp_path):
    for build, row_number, first_label in [
        (files.cp1250_semicolon_csv, 1, "Příjmení"),
        (files.utf8_bom_tsv, 1, "Фамилия"),
        (files.ods, 4, "Jméno"),
        (files.xls, 3, "Jméno"),
        (files.formulas_xlsx, 3, ""),  # the table starts at column C
        (files.several_sheets_xlsx, 1, "Name"),
    ]:
        with read_sheet(build(tmp_path)) as sheet:
            guess = find_header(list(islice(sheet.rows, HEAD_ROWS)))
        assert (guess.row_number, guess.labels[0]) == (row_number, first_label), build.__name__


def test_a_header_only_file_has_a_header_and_nothing_else(tmp_path):
    with read_sheet(files.header_only_xlsx(tmp_path)) as sheet:
        head = list(sheet.rows)
    guess = find_header(head)
    assert (guess.row_number, guess.labels) == (1, ["Name", "Email", "Country"])
    assert guess.confidence >= 0.8


def test_rows_of_plain_words_leave_the_header_on_top():
    rows = table(["Name", "Country", "Party"], ["Anna Novák", "Czechia", "Pirates"], ["Jan Dvořák", "Slovakia", "SaS"])
    assert find_header(rows).row_number == 1


def test_a_header_with_an_empty_label_still_beats_full_data_rows():
    rows = table(
        ["Members"],
        [],
        ["Name", "E-mail", None, "Country"],
        ["Anna", "anna@example.org", "x", "CZ"],
        ["Boris", "boris@example.org", "y", "KZ"],
        first=1,
    )
    guess = find_header(rows)
    assert (guess.row_number, guess.labels) == (3, ["Name", "E-mail", "", "Country"])


def test_single_column_of_emails():
    rows = table(["Mailing list 2024"], ["Email"], ["anna@example.org"], ["boris@example.org"])
    assert find_header(rows).labels == ["Email"]


def test_title_row_with_date_line_and_numbered_table():
    rows = table(
        ["List of members", None, None],
        ["Date:", dt.date(2024, 5, 1)],
        ["No.", "Full name", "Born"],
        [1, "Zdechovský, Tomáš", dt.date(1979, 6, 2)],
        [2, "Štětina, Jaromír", dt.date(1952, 9, 18)],
    )
    assert find_header(rows) == HeaderGuess(3, ["No.", "Full name", "Born"], find_header(rows).confidence)


def test_no_header_in_numbers():
    assert find_header(table([1, 2, 3], [4, 5, 6], [7, 8, 9])) is None
    assert find_header([]) is None


def test_labels_are_folded_and_deduplicated():
    row = RawRow(1, [" E-mail\naddress ", "Email", "email", None, "Email", 2024, dt.date(2024, 5, 1)])
    assert labels_of(row) == ["E-mail address", "Email", "email (2)", "", "Email (3)", "2024", "2024-05-01"]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ([], NotAPerson.BLANK),
        ([None, "  ", "\u00a0"], NotAPerson.BLANK),
        (["Total", None, None, 12], NotAPerson.TOTALS),
        (["Итого:", None, 7], NotAPerson.TOTALS),
        (["Gesamt", 3, 4], NotAPerson.TOTALS),
        (["Summe", "12"], NotAPerson.TOTALS),
        (["Total général", None, 1500.5], NotAPerson.TOTALS),
        (["Celkem"], NotAPerson.TOTALS),
        ([None, None, 10, 20], NotAPerson.TOTALS),  # a sum row without a label
        (["Итого:", None, "705 депутатов"], NotAPerson.TOTALS),  # the count with its word
        (["Total", "12 MEPs", None], NotAPerson.TOTALS),
        (["Suma", "Jan", "jan.suma@example.pl"], None),  # a person called Suma
        (["Source: European Parliament, as of 1 May 2024"], NotAPerson.NOTE),
        (["* MEPs who left in 2023 are listed on the second sheet"], NotAPerson.NOTE),
        (["Name", "Email", "Country"], NotAPerson.REPEATED_HEADER),
        (["Anna Nováková"], None),  # a person with nothing but a name is still a person
        (["Zdechovský", "Tomáš", "tomas@example.cz"], None),
        (["Total SA", "contact@total.example", "FR"], None),  # an organisation called Total
        (["Summers", "Lawrence", 1954], None),
    ],
)
def test_rows_that_are_not_people(cells, reason):
    header = HeaderGuess(1, ["Name", "Email", "Country"], 1.0)
    assert not_a_person(RawRow(9, cells), header) is reason


def own_export_rows(count: int) -> list[list]:
    """Rows as this product's people export writes them for staff with only names, a category and roles."""
    labels = [field.label for field in FIELDS if field.key != "full_name"]
    row = dict.fromkeys(labels)
    rows = []
    for number in range(1, count + 1):
        row |= {"ID": str(number), "Given name": "Иван", "Family name": f"Иванов{number}", "Category": "MEP"}
        row |= {"Tags": "Urgent", "Organisation": "European Parliament", "Role": "Member", "Political group": "EPP"}
        rows.append(list(row.values()))
    return [labels, *rows]


def test_this_products_own_export_header_is_known_by_its_labels():
    rows = own_export_rows(12)
    guess = find_header(table(*rows))
    assert (guess.row_number, guess.labels, guess.confidence) == (1, rows[0], 1.0)
    # edited in a spreadsheet: a title above, columns removed, one added
    edited = [[*row[:8], *row[16:], None] for row in rows]
    edited[0][-1] = "Met at"
    guess = find_header(table(["Delegation to Kazakhstan, May 2024"], [], *edited))
    assert (guess.row_number, guess.labels) == (3, edited[0])
