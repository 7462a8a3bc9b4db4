"""The shared value rules (crm.values): one home each, and the forms accept what the import accepts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crm.contacts.data import AddressData, PersonData
from crm.contacts.people import create_person, get_person
from crm.extensions import db
from crm.imports.clean.countries import clean_country
from crm.values import normalise_country

CRM = Path(__file__).resolve().parent.parent / "crm"


def test_a_person_accepts_deutschland_as_the_import_does(app, staff):
    problems = []
    assert clean_country("Deutschland", "country", problems) == "DE" and problems == []

    person = create_person(
        PersonData(
            family_name="Schmidt",
            country="Deutschland",
            addresses=[AddressData("Platz der Republik 1", "11011", "Berlin", "Deutschland")],
        ),
        actor=staff["editor"],
    )
    db.session.commit()
    person = get_person(person.id)
    assert person.country == "DE"
    assert person.addresses[0].country == "DE"


@pytest.mark.parametrize(
    "raw", ["Allemagne", "Германия", "DEU", "Kosovo", "XK", "Holland", "Russia (Russian Federation)"]
)
def test_the_form_rule_and_the_import_agree(raw):
    problems = []
    assert normalise_country(raw) == clean_country(raw, "country", problems)


def _defined_functions() -> dict[str, list[str]]:
    homes: dict[str, list[str]] = {}
    for path in CRM.rglob("*.py"):
        if "versions" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                homes.setdefault(node.name, []).append(str(path.relative_to(CRM.parent)))
    return homes


def test_each_value_rule_has_one_home():
    rules = [
        "normalise_email",
        "normalise_phone",
        "phone_digits",
        "normalise_url",
        "normalise_country",
        "country_code",
        "country_name",
        "normalise_languages",
        "language_code",
        "language_names",
        "parse_tags",
        "fold_key",
    ]
    homes = _defined_functions()
    assert {rule: homes.get(rule) for rule in rules} == {rule: ["crm/values.py"] for rule in rules}


def test_the_url_rule_is_written_once():
    # The check a link starts with http:// or https:// was once written in four services.
    written = [
        str(path.relative_to(CRM.parent))
        for path in CRM.rglob("*.py")
        if '"http://", "https://"' in path.read_text(encoding="utf-8")
    ]
    assert written == ["crm/values.py"]
