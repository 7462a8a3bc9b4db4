"""Values picked from a known list: political groups, person categories, GDPR lawful bases.

Each list and its other spellings live in data/*.yaml, so adding "Patriots for Europe" or a
category's German name is a data change. Lookups ignore case, accents, spaces and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from crm.folding import plain_fold
from crm.imports.clean.text import as_text, load_data
from crm.imports.results import ERROR, WARNING, Problem
from crm.values import fold_key


@dataclass(frozen=True)
class PoliticalGroup:
    short: str  # what we store: "S&D"
    name: str  # the group's own name, for creating its organisation
    assembly: str  # "european_parliament" or "parliamentary_assembly" (PACE)


# "EPP Group", "Group of the EPP", "Groupe S&D", "Fraktion der EVP" name the group itself.
_GROUP_WORDS = re.compile(
    r"^(?:the )?(?:group of the |group |groupe (?:du |des |de la |de l )?|fraktion (?:der )?|grupo (?:del? )?"
    r"|gruppo (?:del? |dei )?|grupa )|(?: group| groupe| fraktion| grupa)$"
)
_GROUP_PARTS = re.compile(r"\s*(?:[()]|\s[-–—:]\s)\s*")


def _group_key(text: str) -> str:
    return fold_key(_GROUP_WORDS.sub("", plain_fold(text)))


@cache
def political_groups() -> dict[str, PoliticalGroup]:
    """Every group we know, by its short form."""
    groups = {}
    for assembly, entries in load_data("political_groups.yaml").items():
        for short, entry in entries.items():
            groups[short] = PoliticalGroup(short, entry["name"], assembly)
    return groups


@cache
def _group_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for entries in load_data("political_groups.yaml").values():
        for short, entry in entries.items():
            for alias in (entry["name"], *entry["aliases"]):
                index.setdefault(_group_key(alias), short)
                index.setdefault(fold_key(alias), short)
    # A group's own short form always means that group.
    for entries in load_data("political_groups.yaml").values():
        index.update((fold_key(short), short) for short in entries)
    return index


@lru_cache(maxsize=1024)
def political_group(text: str) -> str | None:
    """The short form of a group written any way we know ("S & D", "Verts/ALE", "PPE"), else None."""
    index = _group_index()
    short = index.get(fold_key(text)) or index.get(_group_key(text))
    if short is None and _GROUP_PARTS.search(text):  # "Renew Europe (RE)", "EPP - Christian Democrats"
        for part in _GROUP_PARTS.split(text):
            if part and (short := index.get(_group_key(part))):
                break
    return short


def clean_political_group(value: object, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    short = political_group(text)
    if short is None:
        problems.append(Problem(field, f"“{text}” is not a political group we know; it is kept as written.", WARNING))
        return text
    return short


# --- Person categories ----------------------------------------------------------------------


@cache
def default_categories() -> tuple[tuple[str, str], ...]:
    """(name, code) of the built-in categories, as a fresh database has them."""
    return tuple((entry["name"], code) for code, entry in load_data("categories.yaml")["categories"].items())


def category_index(categories: tuple[tuple[str, str | None], ...]) -> dict[str, str]:
    """Loose key → category name, for `clean_category`. `categories` holds (name, code) of the
    categories in the database, code None for those admins added."""
    aliases = load_data("categories.yaml")["categories"]
    index: dict[str, str] = {}
    for name, code in categories:
        if code in aliases:
            index.update((fold_key(alias), name) for alias in aliases[code]["aliases"])
    # A category's own name wins over another one's alias.
    index.update((fold_key(name), name) for name, _ in categories)
    return index


def clean_category(value: object, index: dict[str, str], field: str, problems: list[Problem]) -> str | None:
    """The name of the existing category the cell means; `index` comes from `category_index`."""
    text = as_text(value)
    if text is None:
        return None
    name = index.get(fold_key(text))
    if name is None:
        problems.append(Problem(field, f"“{text}” is not one of the categories in this database.", WARNING))
        return text
    return name


# --- GDPR lawful basis ----------------------------------------------------------------------

_ARTICLE_WORDS = re.compile(r"\b(?:art|article|artikel|artykul|clanek|gdpr|dsgvo|rgpd|rodo|gdpr s|uk gdpr)\b")


def _basis_key(text: str) -> str:
    return fold_key(_ARTICLE_WORDS.sub("", plain_fold(text)))


@cache
def _basis_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, aliases in load_data("lawful_bases.yaml")["aliases"].items():
        index[_basis_key(code.replace("_", " "))] = code
        index.update((_basis_key(alias), code) for alias in aliases)
    return index


def clean_lawful_basis(value: object, field: str, problems: list[Problem]) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    code = _basis_index().get(_basis_key(text))
    if code is None:
        problems.append(
            Problem(field, f"“{text}” is not a GDPR lawful basis, such as consent or legitimate interests.", ERROR)
        )
    return code
