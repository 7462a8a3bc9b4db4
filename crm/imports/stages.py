"""Stages 2-4 for the pipeline and the wizard: header → mapping (preset or automatic) → clean values."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crm.contacts.sheet_fields import BY_KEY, NAME_KEYS
from crm.errors import InvalidInput
from crm.extensions import db
from crm.imports import header as headers
from crm.imports import mapping as column_mapping
from crm.imports import presets
from crm.imports.clean.dates import guess_date_order
from crm.imports.clean.row import NAME_COLUMNS, Hints, normalise_row
from crm.imports.read import RawRow, UnreadableFile, read_sheet
from crm.imports.results import EXCEL_CELL_LIMIT, Problem
from crm.spreadsheets.safe import restore
from crm.taxonomy.models import Category

SAMPLES = 3


class CannotImport(UnreadableFile):
    """The file was read but holds nothing importable as it is (no header, no name column)."""


@dataclass
class Plan:
    header: headers.HeaderGuess
    mapping: dict[int, str]  # column index → field key
    preset_name: str | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    role_source: str = ""  # roles from an official list carry its name; a refresh ends the missing ones
    external_scheme: str = ""
    refresh: bool = False
    hints: Any = None  # per-file hints for normalising (e.g. day-first dates)

    def __post_init__(self) -> None:
        self.columns = sorted(self.mapping.items())
        self._labels = {
            key: self.header.labels[index] for index, key in self.columns if index < len(self.header.labels)
        }

    def label_of(self, key: str) -> str:
        return self._labels.get(key) or (BY_KEY[key].label if key in BY_KEY else key)


def plan(head: list[RawRow], options) -> Plan:
    preset = presets.load_preset(options.preset) if options.preset else None
    guess = headers.find_header(head)
    if preset is not None and preset.header_row:
        fixed = next((row for row in head if row.number == preset.header_row), None)
        guess = headers.HeaderGuess(fixed.number, headers.labels_of(fixed), 1.0) if fixed else guess
    if guess is None:
        raise CannotImport("No header row was found in the first rows: the sheet needs a row of column names.")
    if options.mapping is not None:
        mapping = dict(options.mapping)
    elif preset is not None:
        mapping = preset.map(guess.labels).fields
    else:
        mapping = column_mapping.auto_map(guess.labels).fields
    mapping = {index: key for index, key in mapping.items() if key}
    if not any(key in NAME_KEYS for key in mapping.values()):
        raise CannotImport("No column holds a name: map a column to Family name, Full name or Name in native script.")
    defaults = dict(preset.defaults) if preset else {}
    defaults.update({key: value for key, value in options.defaults.items() if value})
    data_rows = [row for row in head if row.number > guess.row_number]
    return Plan(
        header=guess,
        mapping=mapping,
        preset_name=preset.name if preset else None,
        defaults=defaults,
        role_source=preset.refresh_source or "" if preset else "",
        external_scheme=preset.external_id_scheme or "" if preset else "",
        refresh=bool(preset and preset.refresh_source),
        hints=_hints(data_rows, mapping),
    )


def _hints(rows: list[RawRow], mapping: dict[int, str]) -> Hints:
    """What the first rows tell about the whole file: how its dates are written."""
    date_columns = [index for index, key in mapping.items() if key in ("role_start", "role_end")]
    dates = [row.cells[index] for row in rows for index in date_columns if index < len(row.cells)]
    known = tuple(db.session.execute(select(Category.name, Category.code)).tuples())
    return Hints(date_order=guess_date_order(dates), categories=known)


def clean(raw: RawRow, plan: Plan) -> tuple[dict[str, Any], list[Problem], list[Problem]]:
    """The row's values by field, normalised; errors reject the row, warnings are shown."""
    cells = raw.cells
    errors: list[Problem] = []
    values: dict[str, Any] = {}
    for index, key in plan.columns:
        value = cells[index] if index < len(cells) else None
        if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
            errors.append(
                Problem(
                    plan.header.labels[index],
                    f"The cell holds {len(value):,} characters; a cell may hold at most {EXCEL_CELL_LIMIT:,}.",
                )
            )
            continue
        if value is None or value == "":
            continue
        if isinstance(value, str) and value[:1] == "'" and key not in NAME_COLUMNS:
            # Our own export guards "=…", "+…" with an apostrophe. Names restore their own, as a
            # name that starts like a formula is refused unless it came guarded (clean.names).
            value = restore(value)
        if key in values:  # two columns for one field: normalise takes the list
            earlier = values[key]
            values[key] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
        else:
            values[key] = value
    if errors:
        return values, errors, []
    for key, value in plan.defaults.items():
        if key == "tags" and key in values:  # tags for every row come on top of the row's own
            values[key] = [values[key], value]
        else:
            values.setdefault(key, value)
    row = normalise_row(values, plan.hints)
    found_errors = [problem.in_column(plan.label_of(problem.column)) for problem in row.errors]
    warnings = [problem.in_column(plan.label_of(problem.column)) for problem in row.warnings]
    return row.values, found_errors, warnings


# -- the wizard's view of a file --------------------------------------------------------------


@dataclass
class Inspection:
    labels: list[str]
    header_row: int
    confidence: float
    samples: list[list[str]]  # per column, the first few values as text
    mapping: dict[int, str]
    why: dict[int, str]  # per column, why it maps (or not)
    preset_name: str | None
    suggested: presets.Preset | None


def sheet_names(path: Path) -> list[str]:
    with read_sheet(path) as sheet:
        return sheet.sheet_names or [sheet.name]


def inspect(path: Path, sheet_name: str | None, *, preset: str | None = None) -> Inspection:
    with read_sheet(path, sheet_name) as sheet:
        head = []
        for row in sheet.rows:
            head.append(row)
            if len(head) >= headers.HEAD_ROWS:
                break
    guess = headers.find_header(head)
    if guess is None:
        raise CannotImport("No header row was found in the first rows: the sheet needs a row of column names.")
    below = [row for row in head if row.number > guess.row_number and not headers.not_a_person(row, guess)]
    samples = [
        [str(row.cells[index]) for row in below if index < len(row.cells) and row.cells[index] not in (None, "")][
            :SAMPLES
        ]
        for index in range(len(guess.labels))
    ]
    # A preset brings defaults and may end the roles of people missing from its list, so it is
    # only suggested from the headers; the person chooses it.
    chosen = presets.load_preset(preset) if preset else None
    suggested = None if chosen else presets.match_preset(guess.labels)[0]
    auto = column_mapping.auto_map(guess.labels)
    mapping = chosen.map(guess.labels) if chosen else auto
    return Inspection(
        labels=guess.labels,
        header_row=guess.row_number,
        confidence=guess.confidence,
        samples=samples,
        mapping={index: key for index, key in mapping.fields.items() if key},
        why={column.index: column.why for column in mapping.columns},
        preset_name=chosen.name if chosen else None,
        suggested=suggested,
    )


def preset_choices() -> list[tuple[str, str]]:
    return [(preset.name, preset.title) for preset in presets.list_presets()]


@dataclass(frozen=True)
class MappingChoices:
    """What the person chose on the mapping page."""

    mapping: dict[int, str]  # column index → field key; columns not imported are left out
    labels: list[str]  # the header labels, "" for a column without one
    preset: str | None = None
    on_duplicate: str = "fill"
    category: str = ""  # for rows without one
    tags: str = ""  # for every row
    source: str = ""
    save_as: str | None = None  # save the mapping as a preset of this name


def save_choices(run, choices: MappingChoices) -> None:
    """Keep the choices on the run; raises InvalidInput when no column holds a name."""
    mapping = choices.mapping
    if not any(key in NAME_KEYS for key in mapping.values()):
        raise InvalidInput("Map at least one column to Family name, Full name or Name in native script.", "columns")
    run.mapping = {str(index): key for index, key in mapping.items()}
    run.preset = choices.preset or None
    run.on_duplicate = choices.on_duplicate
    run.defaults = {
        key: value
        for key, value in (("category", choices.category), ("tags", choices.tags), ("source", choices.source))
        if value
    }
    if choices.save_as:
        # Columns without a header cannot be recognised by name next time: left out.
        columns = {label: mapping.get(index) for index, label in enumerate(choices.labels) if label}
        presets.save_preset(choices.save_as, columns, defaults=run.defaults)
