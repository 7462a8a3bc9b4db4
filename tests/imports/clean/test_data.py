"""The normalise stage's tables in crm/imports/data and the value tables in crm/data: they load, and no
spelling means two things."""

import pytest

from crm.imports.clean.text import load_data
from crm.values import fold_key, load_table

TABLES = [
    "categories.yaml",
    "committees.yaml",
    "lawful_bases.yaml",
    "months.yaml",
    "names.yaml",
    "political_groups.yaml",
]
VALUE_TABLES = ["countries.yaml", "languages.yaml"]  # crm/data, read by crm.values


def strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    else:
        yield node


@pytest.mark.parametrize("name", [*TABLES, *VALUE_TABLES])
def test_every_word_in_a_table_is_text(name):
    # YAML reads a bare NO, on or yes as a boolean: Norway's code or Italy's "On." would vanish.
    loaded = load_table(name) if name in VALUE_TABLES else load_data(name)
    odd = [item for item in strings(loaded) if not isinstance(item, str | int) or isinstance(item, bool)]
    assert odd == []


@pytest.mark.parametrize(
    "name, section",
    [("countries.yaml", "aliases"), ("languages.yaml", "aliases"), ("lawful_bases.yaml", "aliases")],
)
def test_no_alias_means_two_codes(name, section):
    seen: dict[str, str] = {}
    table = load_table(name) if name in VALUE_TABLES else load_data(name)
    for code, aliases in table[section].items():
        for alias in aliases:
            assert seen.setdefault(fold_key(alias), code) == code, alias


def test_no_category_alias_means_two_categories():
    seen: dict[str, str] = {}
    for code, entry in load_data("categories.yaml")["categories"].items():
        for alias in (entry["name"], *entry["aliases"]):
            assert seen.setdefault(fold_key(alias), code) == code, alias


def test_month_names_mean_one_month():
    seen: dict[str, int] = {}
    for month, names in load_data("months.yaml")["months"].items():
        assert 1 <= month <= 12
        for name in names:
            assert seen.setdefault(fold_key(name), month) == month, name
