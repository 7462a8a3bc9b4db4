"""Cleaning shared by every field: whitespace, invisible characters, placeholders, lists, flags.

Every cleaner in crm.imports.clean has the same shape: it takes the cell value as the
reader gives it (str, int, float, bool, date/datetime/time, None), the field key and a list
to append `Problem`s to, and returns the clean value or None. None of them touches the
database, and each caches what it can: the same country or date is written thousands of
times in one file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from crm.imports.results import Problem
from crm.values import load_yaml, parse_tags

DATA = Path(__file__).parent.parent / "data"


def load_data(name: str) -> Any:
    """A table from crm/imports/data."""
    return load_yaml(DATA / name)


# Characters that copy-paste from web pages, PDFs and Word brings along and nobody means:
# zero-width spaces and joiners, the byte-order mark, soft hyphens, direction marks (common
# around phone numbers copied from right-to-left pages).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
# Values that mean "nothing here"; a cell holding one is treated as empty. "NA" is not one:
# it is Namibia in a country column.
_BLANK_MARKERS = frozenset(
    {"-", "--", "---", "–", "—", "/", "?", "n/a", "n.a.", "#n/a", "none", "null", "nan", "unknown", "#ref!"}
    | {"#value!", "#name?", "#div/0!", "#null!", "#num!"}
)


def tidy(text: str) -> str:
    """One line: invisible characters removed, any run of whitespace (NBSP, tabs, newlines) one space."""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
        # Names typed on a Mac arrive decomposed ("s" + combining caron); match them as one letter.
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def as_text(value: object) -> str | None:
    """The cell as one tidy line of text; None when blank or a placeholder such as "n/a"."""
    if value is None:
        return None
    if isinstance(value, str):
        text = tidy(value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        # Excel stores every number as a float: an id or postcode 1047 arrives as 1047.0.
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = tidy(str(value))
    if not text or (len(text) <= 8 and text.lower() in _BLANK_MARKERS):
        return None
    return text


def clean_text(value: object, field: str, problems: list[Problem]) -> str | None:
    return as_text(value)


def clean_notes(value: object, field: str, problems: list[Problem]) -> str | None:
    """Free text keeps its line breaks; each line is tidied and runs of blank lines shortened."""
    if not isinstance(value, str):
        return as_text(value)
    lines = [tidy(line) for line in value.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not text or (len(text) <= 8 and text.lower() in _BLANK_MARKERS):
        return None
    return text


def clean_id(value: object, field: str, problems: list[Problem]) -> int | None:
    """This product's person id: a positive whole number."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = as_text(value)
        if text is None:
            return None
        text = text.lstrip("#")
        number = int(text) if text.isascii() and text.isdigit() else None
    if number is None or number <= 0:
        problems.append(Problem(field, f"“{as_text(value)}” is not a contact id from this database."))
        return None
    return number


# A list cell: "a, b; c", one per line, or bullet-like "a | b".
_LIST_SEPARATORS = re.compile(r"\s*[,;\n\r|•]\s*")


def split_list(value: object) -> list[str]:
    """The parts of a list cell, each tidied; a list value (two columns mapped to one field) is flattened."""
    if isinstance(value, list | tuple):
        return [part for item in value for part in split_list(item)]
    if isinstance(value, str):
        parts = _LIST_SEPARATORS.split(value.translate(_INVISIBLE) if not value.isascii() else value)
        return [text for part in parts if (text := as_text(part))]
    text = as_text(value)
    return [text] if text else []


def clean_tags(value: object, field: str, problems: list[Problem]) -> list[str]:
    """Tags from a comma (or semicolon, or line) separated list, without repeats; the form's rules."""
    if isinstance(value, str):
        return list(_tags(value))
    return parse_tags(split_list(value))


@lru_cache(maxsize=4096)  # a file repeats the same few tag lists
def _tags(text: str) -> tuple[str, ...]:
    return tuple(parse_tags(split_list(text)))


@cache
def _committee_codes() -> frozenset[str]:
    return frozenset(load_data("committees.yaml")["european_parliament"])


def clean_committees(value: object, field: str, problems: list[Problem]) -> list[str]:
    """Committee names or codes; the European Parliament's codes in capitals ("droi" → "DROI")."""
    codes = _committee_codes()
    committees: list[str] = []
    for part in split_list(value):
        upper = part.upper()
        if upper in codes:
            part = upper
        if part.casefold() not in (seen.casefold() for seen in committees):
            committees.append(part)
    return committees


_TRUE = frozenset(
    [
        "yes",
        "y",
        "true",
        "t",
        "1",
        "x",
        "✓",
        "✔",
        "☑",
        "ja",
        "j",
        "oui",
        "o",
        "si",
        "sí",
        "sì",
        "да",
        "tak",
        "ano",
        "áno",
        "igen",
        "kyllä",
        "da",
    ]
)
_FALSE = frozenset(["no", "n", "false", "f", "0", "✗", "✘", "☐", "nein", "non", "нет", "nie", "ne", "nem", "ei"])


def clean_bool(value: object, field: str, problems: list[Problem]) -> bool | None:
    """Yes/no in the languages we meet, 1/0, x/✓ and Excel's TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = as_text(value)
    if text is None:
        return None
    key = text.lower().rstrip(".")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    problems.append(Problem(field, f"“{text}” is neither yes nor no."))
    return None
