"""Stage 4 of the import: one row's raw cells, by field key → clean values and problems.

    hints = Hints(country="BE", date_order=guess_date_order(column_values), categories=...)
    row = normalise_row({"full_name": "DZHAKISHEV Mukhtar", "email": "mailto:M@x.kz"}, hints)
    row.values   # {"given_name": "Mukhtar", "family_name": "Dzhakishev", "email": ["m@x.kz"]}
    row.problems # [Problem(field key, message, severity, choices)]

`values` holds only what the row says: a blank cell (or "n/a", "-") gives no key, so an
update leaves that field alone. Many-valued fields (`Field.many`) are lists. A full name is
split into honorific, given_name, patronymic and family_name (and native_name when it is not
in Latin letters); "full_name" itself is not returned.

Severity "error": the value cannot be used and is left out of `values`; whether the row is
still imported is the validate stage's call. "warning": the value was used but guessed or
changed (an ambiguous date, a phone number kept as written), worth a look in the preview.

Nothing here touches the database or the request: the caller passes what it knows of both in
`Hints`. A value can also be a list of cells, when several columns map to one field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from crm.imports.clean.choices import (
    category_index,
    clean_category,
    clean_lawful_basis,
    clean_political_group,
    default_categories,
)
from crm.imports.clean.countries import clean_country, clean_languages, clean_postcode
from crm.imports.clean.dates import clean_date
from crm.imports.clean.emails import clean_emails
from crm.imports.clean.names import clean_person_name
from crm.imports.clean.phones import clean_phones
from crm.imports.clean.text import as_text, clean_committees, clean_id, clean_notes, clean_tags, clean_text
from crm.imports.results import ERROR, WARNING, Problem


@dataclass(frozen=True)
class Hints:
    """What the caller knows about the whole file. Make one per file: it caches lookups."""

    # ISO 3166 alpha-2 country for phone numbers written without a country code, in rows
    # that have no country of their own (a list of one national delegation).
    country: str | None = None
    # DAY_FIRST or MONTH_FIRST for dates such as 03/04/2017: see clean.dates.guess_date_order. None reads
    # them day-first and warns.
    date_order: str | None = None
    # (name, code) of the person categories in the database, code None for those admins
    # added; None means the built-in ones, as a fresh database has them.
    categories: tuple[tuple[str, str | None], ...] | None = None

    @cached_property
    def category_index(self) -> dict[str, str]:
        return category_index(default_categories() if self.categories is None else self.categories)

    @cached_property
    def memo(self) -> dict:
        """(field key, text cell) → (clean value, problems), for MEMO_KEYS."""
        return {}


@dataclass(slots=True)
class NormalisedRow:
    values: dict[str, object]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]


NAME_COLUMNS = frozenset({"full_name", "given_name", "family_name", "patronymic", "honorific"})
_NAME_OUTPUT = (("honorific", 0), ("given_name", 1), ("patronymic", 2), ("family_name", 3))
MANY = frozenset({"email", "email_other", "phone", "mobile", "languages", "tags", "committees"})

# Cleaners that need the cell only.
PLAIN: dict[str, Callable[[object, str, list[Problem]], object]] = {
    "id": clean_id,
    "external_id": clean_text,
    "native_name": clean_text,
    "email": clean_emails,
    "email_other": clean_emails,
    "street": clean_text,
    "city": clean_text,
    "languages": clean_languages,
    "tags": clean_tags,
    "notes": clean_notes,
    "source": clean_text,
    "lawful_basis": clean_lawful_basis,
    "organisation": clean_text,
    "role_title": clean_text,
    "political_group": clean_political_group,
    "national_party": clean_text,
    "delegation": clean_text,
    "committees": clean_committees,
}
# Cleaners that need the row's country or the file's hints; see _clean_in_context.
IN_CONTEXT = frozenset({"phone", "mobile", "postcode", "role_start", "role_end", "category"})
# Columns whose values repeat down a file: each distinct value is cleaned once per file (per
# Hints). Not postcode: its result depends on the row's country.
MEMO_KEYS = frozenset(
    {"country", "languages", "category", "tags", "source", "lawful_basis", "organisation", "role_title"}
    | {"role_start", "role_end", "political_group", "national_party", "delegation", "committees", "city"}
)
MEMO_SIZE = 50_000  # distinct values kept per file before starting afresh


def normalise_row(values: dict[str, object], hints: Hints) -> NormalisedRow:
    """Clean one row; `values` maps field keys (crm.contacts.sheet_fields) to the cells under them."""
    problems: list[Problem] = []
    out: dict[str, object] = {}
    memo = hints.memo
    if len(memo) > MEMO_SIZE:
        memo.clear()
    country = None
    if (raw := values.get("country")) is not None:
        raw = _first(raw)
        if raw.__class__ is str:
            country = _memoised(memo, "country", raw, problems, None, hints)
        else:
            country = clean_country(raw, "country", problems)
        if country:
            out["country"] = country
    region = country or hints.country
    names: dict[str, object] | None = None
    for key, value in values.items():
        if value is None or key == "country":
            continue
        if isinstance(value, list | tuple) and key not in MANY:
            value = _first(value)  # two columns mapped to a one-value field: the first filled one counts
        if key in MEMO_KEYS and value.__class__ is str:
            clean = _memoised(memo, key, value, problems, region, hints)
        elif (cleaner := PLAIN.get(key)) is not None:
            clean = cleaner(value, key, problems)
        elif key in IN_CONTEXT:
            clean = _clean_in_context(key, value, problems, region, hints)
        elif key in NAME_COLUMNS:
            if names is None:
                names = {}
            names[key] = value
            continue
        else:
            raise KeyError(f"{key!r} is not an import field; see crm.contacts.sheet_fields")
        if clean is not None and clean != []:
            out[key] = clean
    if names:
        _names(names, out, problems)
    if "email_other" in out and "email" in out:
        others = [address for address in out["email_other"] if address not in out["email"]]
        if others:
            out["email_other"] = others
        else:
            del out["email_other"]
    return NormalisedRow(out, problems)


def _memoised(memo: dict, key: str, value: str, problems: list[Problem], region: str | None, hints: Hints) -> object:
    """Clean a text that repeats down its column (a country, a group, a date) once per file."""
    hit = memo.get((key, value))
    if hit is None:
        before = len(problems)
        if key == "country":
            clean = clean_country(value, key, problems)
        elif key in IN_CONTEXT:
            clean = _clean_in_context(key, value, problems, region, hints)
        else:
            clean = PLAIN[key](value, key, problems)
        # Lists are stored as tuples and copied out, so no row shares another's list.
        memo[key, value] = (tuple(clean) if isinstance(clean, list) else clean), tuple(problems[before:])
        return clean
    clean, found = hit
    if found:
        problems.extend(found)
    return list(clean) if isinstance(clean, tuple) else clean


def _clean_in_context(key: str, value: object, problems: list[Problem], region: str | None, hints: Hints) -> object:
    if key == "phone" or key == "mobile":
        return clean_phones(value, region, key, problems)
    if key == "role_start" or key == "role_end":
        return clean_date(value, key, problems, order=hints.date_order, end=key == "role_end")
    if key == "category":
        return clean_category(value, hints.category_index, key, problems)
    return clean_postcode(value, region, key, problems)


def _names(columns: dict[str, object], out: dict[str, object], problems: list[Problem]) -> None:
    parts = clean_person_name(columns, problems)
    for key, index in _NAME_OUTPUT:
        if text := parts[index]:
            out[key] = text
    if parts.native and "native_name" not in out:
        out["native_name"] = parts.native


def _first(value: object) -> object:
    if isinstance(value, list | tuple):
        return next((item for item in value if as_text(item) is not None), None)
    return value
