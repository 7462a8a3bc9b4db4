"""The blank people import template: our own headers, a note on each, and dropdown lists.

The dropdowns read their values from a hidden "Lists" sheet (a list typed into the
validation itself is limited to 255 characters, far too few for 249 countries). They
warn rather than refuse: the importer also takes ISO codes, other spellings and new
political groups, and a template that forbids what the importer accepts would be a lie.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from crm.contacts.models import LAWFUL_BASES
from crm.contacts.search import political_groups
from crm.contacts.sheet_fields import FIELDS
from crm.extensions import db
from crm.spreadsheets.formats import DATE_FORMAT, column_letter, excel_width, style_header
from crm.spreadsheets.workbook import text_cell
from crm.taxonomy.models import Category
from crm.values import country_choices

# The European Parliament's groups of the 2024–2029 term, for a database that has none yet.
STANDARD_POLITICAL_GROUPS = ("EPP", "S&D", "PfE", "ECR", "Renew", "Greens/EFA", "The Left", "ESN", "NI")
LAST_ROW = 1_048_576  # the whole column
DATE_KEYS = {"role_start", "role_end"}
NOTE_SIZE = {"width": 256, "height": 89}  # pixels: twice a note's usual width, so the help is readable


def dropdown_lists() -> dict[str, list[str]]:
    """Field key -> the values its dropdown offers."""
    categories = list(db.session.scalars(select(Category.name).order_by(Category.position, Category.name)))
    groups = [name for _, name in political_groups()] or list(STANDARD_POLITICAL_GROUPS)
    return {
        "category": categories,
        "country": [name for _, name in country_choices()],
        "political_group": groups,
        "lawful_basis": list(LAWFUL_BASES.values()),  # words, which the importer takes as it takes codes
    }


def write_template(target: str | Path | BinaryIO) -> None:
    book = Workbook()
    people = book.active
    people.title = "People"
    people.sheet_view.tabSelected = True  # the tab Excel shows first
    notes = book.create_sheet("Notes")
    lists = book.create_sheet("Lists")

    for index, field in enumerate(FIELDS):
        _header(people, index, field.label).comment = Comment(field.help, "", **NOTE_SIZE)
        letter = column_letter(index)
        people.column_dimensions[letter].width = excel_width(max(len(field.label) + 4, 14))
        if field.key in DATE_KEYS:  # what is typed below the header is a date
            people.column_dimensions[letter].number_format = DATE_FORMAT
    people.freeze_panes = "A2"
    people.auto_filter.ref = f"A1:{column_letter(len(FIELDS) - 1)}1"

    _header(notes, 0, "Column")
    _header(notes, 1, "What to put in it")
    for row, field in enumerate(FIELDS, start=2):
        notes.cell(row, 1, text_cell(field.label))
        notes.cell(row, 2, text_cell(field.help)).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = excel_width(24)
    notes.column_dimensions["B"].width = excel_width(90)
    notes.freeze_panes = "A2"

    labels = {field.key: field.label for field in FIELDS}
    columns = {field.key: column_letter(index) for index, field in enumerate(FIELDS)}
    for list_index, (key, values) in enumerate(dropdown_lists().items()):
        if key not in columns or not values:
            continue
        letter = column_letter(list_index)
        _header(lists, list_index, labels[key])
        for row, value in enumerate(values, start=2):
            lists.cell(row, list_index + 1, text_cell(value))
        validation = DataValidation(
            type="list",
            formula1=f"Lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="warning",
            errorTitle="Not in the list",
            error="Not one of the known values. Keep it anyway if it is right: the importer checks it.",
            promptTitle=labels[key][:32],
            prompt="Pick from the list, or type.",
        )
        validation.add(f"{columns[key]}2:{columns[key]}{LAST_ROW}")
        people.add_data_validation(validation)
    lists.sheet_state = "hidden"
    book.save(target)


def _header(sheet, index: int, label: str):
    return style_header(sheet.cell(1, index + 1, text_cell(label)))
