"""The blank people import template: our own headers, a note on each, and dropdown lists.

The dropdowns read their values from a hidden "Lists" sheet (a list typed into the
validation itself is limited to 255 characters, far too few for 249 countries). They
warn rather than refuse: the importer also takes ISO codes, other spellings and new
political groups, and a template that forbids what the importer accepts would be a lie.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name

from crm.contacts.models import LAWFUL_BASES
from crm.contacts.search import political_groups
from crm.contacts.values import country_choices
from crm.exports.safe import neutralise
from crm.extensions import db
from crm.imports.fields import FIELDS
from crm.taxonomy.models import Category

# The European Parliament's groups of the 2024–2029 term, for a database that has none yet.
STANDARD_POLITICAL_GROUPS = ("EPP", "S&D", "PfE", "ECR", "Renew", "Greens/EFA", "The Left", "ESN", "NI")
LAST_ROW = 1_048_575  # the whole column, as Excel counts from 0
DATE_KEYS = {"role_start", "role_end"}


def dropdown_lists() -> dict[str, list[str]]:
    """Field key -> the values its dropdown offers."""
    categories = list(db.session.scalars(select(Category.name).order_by(Category.position, Category.name)))
    groups = [name for _, name in political_groups()] or list(STANDARD_POLITICAL_GROUPS)
    return {
        "category": categories,
        "country": [name for _, name in country_choices()],
        "political_group": groups,
        "lawful_basis": list(LAWFUL_BASES),
    }


def write_template(target: str | Path | BinaryIO) -> None:
    workbook = Workbook(str(target) if isinstance(target, Path) else target, {"strings_to_formulas": False})
    people = workbook.add_worksheet("People")
    notes = workbook.add_worksheet("Notes")
    lists = workbook.add_worksheet("Lists")
    header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#F2F2F2"})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})

    for index, field in enumerate(FIELDS):
        people.write_string(0, index, field.label, header)
        people.write_comment(0, index, field.help, {"x_scale": 2, "y_scale": 1.2})
        people.set_column(index, index, max(len(field.label) + 4, 14), dates if field.key in DATE_KEYS else None)
    people.freeze_panes(1, 0)
    people.autofilter(0, 0, 0, len(FIELDS) - 1)

    notes.write_row(0, 0, ("Column", "What to put in it"), header)
    for row, field in enumerate(FIELDS, start=1):
        notes.write_string(row, 0, field.label)
        notes.write_string(row, 1, field.help, wrapped)
    notes.set_column(0, 0, 24)
    notes.set_column(1, 1, 90)
    notes.freeze_panes(1, 0)

    columns = {field.key: index for index, field in enumerate(FIELDS)}
    for list_index, (key, values) in enumerate(dropdown_lists().items()):
        if key not in columns or not values:
            continue
        letter = xl_col_to_name(list_index)
        lists.write_string(0, list_index, next(f.label for f in FIELDS if f.key == key), header)
        for row, value in enumerate(values, start=1):
            lists.write_string(row, list_index, neutralise(value))
        column = columns[key]
        people.data_validation(
            1,
            column,
            LAST_ROW,
            column,
            {
                "validate": "list",
                "source": f"=Lists!${letter}$2:${letter}${len(values) + 1}",
                "error_type": "warning",
                "error_title": "Not in the list",
                "error_message": "Not one of the known values. Keep it anyway if it is right: the importer checks it.",
                "input_title": next(f.label for f in FIELDS if f.key == key)[:32],
                "input_message": "Pick from the list, or type.",
            },
        )
    lists.hide()
    people.activate()
    workbook.close()
