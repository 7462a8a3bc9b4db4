"""The demo loader: the Dzhakishev-case contacts, loaded once through the services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from crm.contacts.models import Organisation, Person, Role
from crm.contacts.search import PeopleFilter, search_people
from crm.demo.loader import load_demo
from crm.demo.people import MEPS
from crm.extensions import db

IN_2017 = date(2017, 10, 1)


def _person(family_name: str) -> Person:
    return db.session.scalar(select(Person).where(Person.family_name == family_name))


def _group_in_2017(person: Person) -> str:
    (group,) = [
        role.organisation.short_name
        for role in person.roles
        if role.organisation.type.code == "political_group"
        and (role.starts_on is None or role.starts_on <= IN_2017)
        and (role.ends_on is None or role.ends_on >= IN_2017)
    ]
    return group


def _row_counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Organisation, Person, Role))


def test_load_demo_adds_the_seventeen_meps(app):
    counts = load_demo()

    assert counts["people added"] == _row_counts()[1]
    meps = db.session.scalars(select(Person).where(Person.category.has(name="MEP"))).all()
    assert len(meps) == len(MEPS) == 17
    assert {person.family_name for person in meps} == {
        "Benifei", "Delvaux-Stehres", "Gomes", "Zdechovský", "Kelam", "Paet", "Panzeri", "Sánchez Caldentey",
        "Scholz", "Šoltes", "Spinelli", "Štětina", "Staes", "Tarand", "Vautmans", "Ward", "Ujazdowski",
    }  # fmt: skip
    assert all(person.source and "Dzhakishev case" in [tag.name for tag in person.tags] for person in meps)


@pytest.mark.parametrize(
    ("family_name", "given_name", "country", "group"),
    [
        ("Zdechovský", "Tomáš", "CZ", "EPP"),
        ("Štětina", "Jaromír", "CZ", "EPP"),
        ("Ward", "Julie", "GB", "S&D"),
        ("Benifei", "Brando", "IT", "S&D"),
        ("Paet", "Urmas", "EE", "ALDE"),
        ("Tarand", "Indrek", "EE", "Greens/EFA"),
        ("Šoltes", "Igor", "SI", "Greens/EFA"),
        ("Sánchez Caldentey", "Lola", "ES", "GUE/NGL"),
        ("Ujazdowski", "Kazimierz Michał", "PL", "ECR"),
    ],
)
def test_meps_have_their_country_and_2017_group(app, family_name, given_name, country, group):
    load_demo()

    person = _person(family_name)
    assert person.given_name == given_name
    assert person.country == country
    assert _group_in_2017(person) == group
    seat = next(role for role in person.roles if role.organisation.name == "European Parliament")
    assert seat.title == "Member of the European Parliament"
    assert seat.ends_on == date(2019, 7, 1)


def test_political_groups_sit_inside_the_european_parliament(app):
    load_demo()

    parliament = db.session.scalar(select(Organisation).where(Organisation.name == "European Parliament"))
    assert {child.short_name for child in parliament.children if child.type.code == "political_group"} == {
        "EPP",
        "S&D",
        "ALDE",
        "Greens/EFA",
        "GUE/NGL",
        "ECR",
    }


def test_dzhakishev_is_a_political_prisoner_with_his_native_name(app):
    load_demo()

    person = _person("Dzhakishev")
    assert "Джакишев" in person.native_name
    assert person.category.name == "Political prisoner"
    assert person.country == "KZ"
    assert "2304/2013" in person.notes
    (kazatomprom,) = person.roles
    assert (kazatomprom.organisation.name, kazatomprom.title) == ("Kazatomprom", "President")
    assert not kazatomprom.is_current


def test_foundation_contacts_have_the_published_emails(app):
    load_demo()

    kozlovska = _person("Kozlovska")
    assert kozlovska.primary_email == "lyudmylakozlovska@odfoundation.eu"
    assert kozlovska.category.name == "Foundation staff"
    assert [(r.organisation.name, r.title) for r in kozlovska.roles] == [("Open Dialog Foundation", "President")]
    assert _person("Savchenko").primary_email == "igor.savchenko@odfoundation.eu"


def test_second_run_adds_nothing(app):
    first = load_demo()
    db.session.commit()
    before = _row_counts()

    second = load_demo()
    db.session.commit()

    assert all(count > 0 for count in first.values())
    assert set(second.values()) == {0}
    assert _row_counts() == before == (first["organisations added"], first["people added"], first["roles added"])


def test_load_demo_does_not_commit(app):
    load_demo()
    db.session.rollback()

    assert _row_counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("query", "family_name"),
    [("zdechovsky", "Zdechovský"), ("Djakishev", "Dzhakishev"), ("Джакишев", "Dzhakishev"), ("Mogerini", "Mogherini")],
)
def test_search_finds_demo_people(app, query, family_name):
    load_demo()

    found = [person.family_name for person in search_people(PeopleFilter(q=query)).items]

    assert found == [family_name]


def test_demo_command_loads_and_reports_counts(app, runner):
    result = runner.invoke(args=["crm", "demo"])

    assert result.exit_code == 0, result.output
    organisations, people, roles = _row_counts()
    assert organisations and people and roles
    assert result.output.startswith(f"{organisations} organisations added, {people} people added, {roles} roles added")

    again = runner.invoke(args=["crm", "demo"])
    assert again.exit_code == 0, again.output
    assert again.output.startswith("0 organisations added, 0 people added, 0 roles added")
    assert {part.split(" ", 1)[0] for part in again.output.strip().split(", ")} == {"0"}


def test_panzeri_chaired_the_subcommittee_on_human_rights(app):
    """The saved-list journey filters the demo by DROI on a day of the 8th term."""
    load_demo()

    droi = db.session.scalar(select(Organisation).where(Organisation.short_name == "DROI"))
    assert (droi.name, droi.type.code, droi.parent.name) == (
        "Subcommittee on Human Rights",
        "committee",
        "European Parliament",
    )
    on_2018 = PeopleFilter(organisation_id=droi.id, on=date(2018, 6, 1))
    assert [person.family_name for person in search_people(on_2018).items] == ["Panzeri"]
    assert search_people(PeopleFilter(organisation_id=droi.id)).items == []  # the term ended in 2019
