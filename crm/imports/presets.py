"""Presets: a named column map plus what every row of that kind of list shares.

The product ships presets in the top-level `imports/presets/*.yaml` (the European
Parliament's MEP list, PACE members, the generic template, this product's own export); staff
save their own from the wizard into `<instance>/presets/`. Both are plain YAML:

    title: European Parliament — MEP list (XML)
    description: The Parliament's published full list …
    columns:              # header label → field key (crm/contacts/sheet_fields.py); null: ignore the column
      fullName: full_name
      id: external_id
    defaults:             # values for fields the file does not fill
      category: MEP
      organisation: European Parliament
    external_id_scheme: ep     # whose ids the external_id column holds
    refresh_source: ep_meps    # roles imported with this preset carry Role.source = this
    sheet: null                # the sheet to read, when the list always has it
    header_row: null           # the header's row number, when it never moves
    sample: ep_meps.xml        # shipped presets: the sample in imports/samples/

A preset's file name is its name. Labels match after folding, as in `mapping`, and a column
the preset does not know is still guessed by `auto_map`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from flask import current_app, has_app_context

from crm.contacts.sheet_fields import BY_KEY
from crm.errors import Conflict, DomainError, InvalidInput
from crm.imports.header import HeaderGuess, find_header, labels_of
from crm.imports.labels import fold_label
from crm.imports.mapping import Mapping, auto_map
from crm.imports.read import RawRow

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "imports" / "presets"
SAMPLES_DIR = SHIPPED_DIR.parent / "samples"
MIN_MATCH = 0.5  # below this, match_preset suggests nothing

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
_CODE = re.compile(r"[a-z0-9_]{1,40}")
_SETTINGS = ("title", "description", "columns", "defaults", "external_id_scheme", "refresh_source", "sheet")
_KEYS = {*_SETTINGS, "header_row", "sample"}


class PresetError(DomainError):
    """A preset file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, eq=False)
class Preset:
    name: str  # the file name without .yaml: "ep_meps"
    title: str
    description: str = ""
    columns: dict[str, str | None] = field(default_factory=dict)  # header label → field key; None: ignore
    defaults: dict[str, object] = field(default_factory=dict)  # field key → value for rows that leave it empty
    external_id_scheme: str | None = None  # "ep", "pace": whose ids the external_id column holds
    refresh_source: str | None = None  # Role.source for roles imported with this preset: "ep_meps"
    sheet: str | None = None
    header_row: int | None = None  # 1-based, as the spreadsheet shows it
    sample: str | None = None  # a file in imports/samples/
    shipped: bool = False
    _known: dict[str, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", {fold_label(label): key for label, key in self.columns.items()})

    @property
    def sample_path(self) -> Path | None:
        return SAMPLES_DIR / self.sample if self.sample else None

    def map(self, labels: Sequence[str]) -> Mapping:
        """The columns this preset knows, then `auto_map` for the rest."""
        return auto_map(labels, known=self._known, known_why=f"from the preset “{self.title}”")

    def score(self, labels: Iterable[str]) -> float:
        """0-1: how much of the file's header and of the preset's columns meet (a cosine of the two sets)."""
        folded = {fold_label(label) for label in labels if label and label.strip()} - {""}
        wanted = {key or label for label, key in self._known.items()}
        if not folded or not wanted:
            return 0.0
        found = {self._known[label] or label for label in folded if label in self._known}
        return len(found) / math.sqrt(len(folded) * len(wanted))

    def to_yaml(self) -> str:
        data = {"title": self.title, "description": self.description, "columns": dict(self.columns)}
        data["defaults"] = dict(self.defaults)
        for key in ("external_id_scheme", "refresh_source", "sheet", "header_row"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- Loading --------------------------------------------------------------------------------


def list_presets(instance_dir: str | os.PathLike | None = None) -> list[Preset]:
    """Shipped presets, then the staff's own, each by title; a broken staff file is skipped, not fatal."""
    user = []
    folder = _user_dir(instance_dir)
    if folder and folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            try:
                user.append(_load(path, shipped=False))
            except PresetError as error:
                log.warning("skipping preset %s: %s", path, error)
    return [*_shipped(), *sorted(user, key=lambda preset: preset.title.casefold())]


def load_preset(name: str, instance_dir: str | os.PathLike | None = None) -> Preset:
    for preset in _shipped():
        if preset.name == name:
            return preset
    folder = _user_dir(instance_dir)
    if _NAME.fullmatch(name or "") and folder and (folder / f"{name}.yaml").is_file():
        return _load(folder / f"{name}.yaml", shipped=False)
    raise PresetError(f"There is no preset called “{name}”.")


def match_preset(
    labels: Sequence[str], presets: Iterable[Preset] | None = None, *, instance_dir: str | os.PathLike | None = None
) -> tuple[Preset | None, float]:
    """The preset whose columns best fit these header labels, and its score; (None, score) below MIN_MATCH."""
    candidates = list(presets) if presets is not None else list_presets(instance_dir)
    best, best_score = None, 0.0
    for preset in candidates:
        score = preset.score(labels)
        if score > best_score + 1e-9:
            best, best_score = preset, score
    return (best if best_score >= MIN_MATCH else None), round(best_score, 2)


@dataclass(frozen=True)
class Suggestion:
    preset: Preset | None  # None: no preset fits well enough
    header: HeaderGuess | None  # the header row that goes with it
    score: float


def suggest_preset(
    head: Sequence[RawRow], presets: Iterable[Preset] | None = None, *, instance_dir: str | os.PathLike | None = None
) -> Suggestion:
    """The preset and header row that best fit a file's first rows (header.HEAD_ROWS of them).

    A preset with a fixed header_row is tried on that row too: a template whose example rows
    are sparse can fool find_header, but never its own preset.
    """
    candidates = list(presets) if presets is not None else list_presets(instance_dir)
    guessed = find_header(head)
    best = Suggestion(None, guessed, 0.0)
    for preset in candidates:
        header = guessed
        if preset.header_row:
            row = next((row for row in head if row.number == preset.header_row), None)
            header = HeaderGuess(row.number, labels_of(row), 1.0) if row else guessed
        score = preset.score(header.labels) if header else 0.0
        if score > best.score + 1e-9:
            best = Suggestion(preset, header, score)
    if best.score < MIN_MATCH:
        return Suggestion(None, guessed, round(best.score, 2))
    return Suggestion(best.preset, best.header, round(best.score, 2))


@cache
def _shipped() -> tuple[Preset, ...]:
    presets = [_load(path, shipped=True) for path in sorted(SHIPPED_DIR.glob("*.yaml"))]
    return tuple(sorted(presets, key=lambda preset: preset.title.casefold()))


def shipped_names() -> set[str]:
    return {preset.name for preset in _shipped()}


def _load(path: Path, *, shipped: bool) -> Preset:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PresetError(f"{path.name}: not readable YAML ({error}).") from error
    return _parse(path.stem, data, shipped=shipped, where=path.name)


def _parse(name: str, data: object, *, shipped: bool, where: str) -> Preset:
    """Check everything a preset says, so a typo fails when the preset loads, not mid-import."""
    if not isinstance(data, dict):
        raise PresetError(f"{where}: a preset is a YAML mapping.")
    if unknown := set(data) - _KEYS:
        raise PresetError(f"{where}: unknown setting {', '.join(sorted(map(str, unknown)))}.")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise PresetError(f"{where}: `columns` must map header labels to fields.")
    for label, key in columns.items():
        if not isinstance(label, str) or not fold_label(label):
            raise PresetError(f"{where}: {label!r} is not a header label.")
        if key is not None and key not in BY_KEY:
            raise PresetError(f"{where}: column “{label}” maps to {key!r}, which is not a field.")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or (unknown := [key for key in defaults if key not in BY_KEY]):
        raise PresetError(f"{where}: defaults must be field: value pairs; unknown fields {unknown}.")
    for setting in ("external_id_scheme", "refresh_source"):
        value = data.get(setting)
        if value is not None and not (isinstance(value, str) and _CODE.fullmatch(value)):
            raise PresetError(f"{where}: {setting} is a short code of lower-case letters, digits and _.")
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        raise PresetError(f"{where}: header_row is a row number from 1.")
    return Preset(
        name=name,
        title=str(data.get("title") or name),
        description=str(data.get("description") or "").strip(),
        columns=dict(columns),
        defaults=dict(defaults),
        external_id_scheme=data.get("external_id_scheme"),
        refresh_source=data.get("refresh_source"),
        sheet=None if data.get("sheet") is None else str(data["sheet"]),
        header_row=header_row,
        sample=data.get("sample") if shipped else None,
        shipped=shipped,
    )


# --- Saving ---------------------------------------------------------------------------------


def save_preset(
    name: str,
    mapping: Mapping | dict[str, str | None],
    *,
    title: str | None = None,
    description: str = "",
    defaults: dict[str, object] | None = None,
    external_id_scheme: str | None = None,
    refresh_source: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    replace: bool = False,
    instance_dir: str | os.PathLike | None = None,
) -> Preset:
    """Write a staff preset to <instance>/presets/<name>.yaml and return it as loaded back.

    Refuses names that are not plain file names, the names of shipped presets, and an
    existing preset unless `replace`. Everything else is checked as a shipped preset is.
    """
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise InvalidInput(
            "Use 1 to 60 lower-case letters, digits, '-' and '_', starting with a letter or digit.", field="name"
        )
    if name in shipped_names():
        raise Conflict(f"“{name}” is a preset that comes with the product; choose another name.", field="name")
    folder = _user_dir(instance_dir)
    if folder is None:
        raise RuntimeError("save_preset needs an instance folder: pass instance_dir or call it in the app context")
    path = folder / f"{name}.yaml"
    if path.exists() and not replace:
        raise Conflict(f"There is already a preset called “{name}”.", field="name")
    columns = mapping.column_map() if isinstance(mapping, Mapping) else dict(mapping)
    data = {"title": (title or name).strip()[:200], "description": description.strip(), "columns": columns}
    data["defaults"] = dict(defaults or {})
    settings = {"external_id_scheme": external_id_scheme, "refresh_source": refresh_source, "sheet": sheet}
    data |= {key: value for key, value in {**settings, "header_row": header_row}.items() if value is not None}
    try:
        preset = _parse(name, data, shipped=False, where=path.name)
    except PresetError as error:
        raise InvalidInput(str(error)) from error
    folder.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so a reader never sees half a file.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as handle:
        handle.write(preset.to_yaml())
    os.replace(handle.name, path)
    return _load(path, shipped=False)


def delete_preset(name: str, instance_dir: str | os.PathLike | None = None) -> None:
    if name in shipped_names():
        raise Conflict(f"“{name}” comes with the product and cannot be deleted.", field="name")
    folder = _user_dir(instance_dir)
    path = folder / f"{name}.yaml" if folder and _NAME.fullmatch(name or "") else None
    if path is None or not path.is_file():
        raise PresetError(f"There is no preset called “{name}”.")
    path.unlink()


def _user_dir(instance_dir: str | os.PathLike | None) -> Path | None:
    if instance_dir is not None:
        return Path(instance_dir) / "presets"
    if has_app_context():
        return Path(current_app.config["INSTANCE_DIR"]) / "presets"
    return None
