"""Header labels as the mapping stage compares them, and the table of labels it knows.

Labels are folded before comparing: case, accents and script (crm.folding.plain_fold, so
"Фамилия" is "familiya"), camelCase ("fullName"), punctuation, "(optional)" and numbering
("1. Name", "Email 2"). The table, data/header_synonyms.yaml, is folded the same way on load.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from crm.contacts.sheet_fields import BY_KEY, FIELDS
from crm.folding import plain_fold

SYNONYMS_PATH = Path(__file__).with_name("data") / "header_synonyms.yaml"

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)")
_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold_label(label: str) -> str:
    """The form labels are compared in: "E-Mail-Adresse (optional)" → "e mail adresse"."""
    return label_forms(label, synonym_table().markers)[0]


def as_plain_words(text: str) -> str:
    """The text as lower-case ASCII words one space apart: "Tél. portable" → "tel portable", "fullName" → "full name"."""
    return _NOT_WORD.sub(" ", plain_fold(_CAMEL.sub(" ", text))).strip()


def label_forms(label: str, markers: frozenset[str]) -> tuple[str, str]:
    """The label folded with its bracketed words, and without them; markers and numbers never count."""

    def kept(match: re.Match) -> str:
        inside = as_plain_words(match.group(1))
        return " " if inside in markers or inside.isdigit() or not inside else f" {match.group(1)} "

    whole = _strip_numbers(as_plain_words(_BRACKETS.sub(kept, label)))
    return whole, _strip_numbers(as_plain_words(_BRACKETS.sub(" ", label)))


def as_written(label: str) -> str:
    """The label with case and punctuation gone but its letters kept: says which language it is."""
    return _strip_numbers(" ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFC", label).casefold()).split()))


def written_forms(label: str) -> tuple[str, str]:
    """as_written with the bracketed words ("Name (Cyrillic)") and without them ("Email (optional)")."""
    return as_written(label), as_written(_BRACKETS.sub(" ", label))


def qualifier_words(label: str, qualifiers: frozenset[str]) -> list[str]:
    """The words of the label, as written, that only qualify it: "Рабочий" in "Рабочий телефон"."""
    words = re.split(r"[\W_]+", _BRACKETS.sub(" ", label))
    return [word for word in words if len(word) > 1 and as_plain_words(word) in qualifiers]


def _strip_numbers(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].isdigit():
        words.pop(0)  # "1. Name"
    while len(words) > 1 and words[-1].isdigit():
        words.pop()  # "Email 2", "Address line 1"
    return " ".join(words)


# --- The synonyms table --------------------------------------------------------------------


@dataclass(frozen=True)
class Synonym:
    key: str | None  # None: a row-number column
    bare: bool = False  # "Name" alone: full, family or given name by what stands beside it
    # Each spelling as written (see as_written) → the languages that use it; "" is this product's export.
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SynonymTable:
    exact: dict[str, Synonym]
    yields: dict[str, str]  # folded label → the field it takes when its own is taken
    languages: dict[str, str]
    markers: frozenset[str]
    qualifiers: frozenset[str]
    second: dict[str, str]
    longest: int  # words in the longest label


class _UniqueKeys(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; in this table that would drop a language's labels unseen."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(key_node, deep=deep) for key_node, _ in node.value]
        if repeated := {str(key) for key in keys if keys.count(key) > 1}:
            raise ValueError(f"{node.start_mark}: {', '.join(sorted(repeated))} appears twice")
        return super().construct_mapping(node, deep=deep)


@cache
def synonym_table() -> SynonymTable:
    return load_synonyms(SYNONYMS_PATH)


def load_synonyms(path: Path) -> SynonymTable:
    """Read and check the table; a label claimed by two fields is an error, not a silent choice."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)  # a SafeLoader
    markers = frozenset(as_plain_words(str(word)) for word in data["markers"])
    exact: dict[str, Synonym] = {}

    def add(label: object, key: str | None, language: str, bare: bool = False) -> None:
        if not isinstance(label, str):
            raise ValueError(f"{path.name}: {label!r} is not text; quote it")
        folded = label_forms(label, markers)[0]
        if not folded:
            raise ValueError(f"{path.name}: {label!r} has no letters or digits to match")
        synonym = exact.setdefault(folded, Synonym(key, bare))
        if synonym.key != key:
            raise ValueError(f"{path.name}: {label!r} is a label for both {synonym.key} and {key}")
        languages = synonym.spellings.setdefault(as_written(label), ())
        if language not in languages:
            synonym.spellings[as_written(label)] = (*languages, language)

    for fld in FIELDS:
        add(fld.label, fld.key, "")
    for key, by_language in data["fields"].items():
        if key not in BY_KEY:
            raise ValueError(f"{path.name}: unknown field {key!r}")
        for language, labels in by_language.items():
            for label in labels:
                add(label, key, language)
    for language, labels in data["bare_name"].items():
        for label in labels:
            add(label, "full_name", language, bare=True)
    for label in data["row_numbers"]:
        add(label, None, "")
    second = dict(data["second"])
    yields = {as_plain_words(label): key for label, key in data["yields"].items()}
    for key in [*second, *second.values(), *yields.values()]:
        if key not in BY_KEY:
            raise ValueError(f"{path.name}: unknown field {key!r}")
    return SynonymTable(
        exact=exact,
        yields=yields,
        languages=dict(data["languages"]),
        markers=markers,
        qualifiers=frozenset(as_plain_words(str(word)) for word in data["qualifiers"]),
        second=second,
        longest=max(len(label.split()) for label in exact),
    )
