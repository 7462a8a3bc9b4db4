"""The trigram index of person.search_text (migration 0026): the search gives what a plain scan gives,
and the index follows every write to person, whichever path makes it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from crm.contacts.data import EmailData, PersonData
from crm.contacts.models import Person
from crm.contacts.people import update_person
from crm.contacts.search import PeopleFilter, lookup_people, people_query, search_people, text_condition
from crm.contacts.search_index import has_index
from crm.duplicates.merge import merge_people
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import undo_import
from crm.privacy.erasure import erase_person
from tests.factories import make_organisation, make_person, make_role
from tests.imports.test_pipeline import workbook

QUERIES = [
    "zdechovsky",
    "ZDECHOVSKÝ",  # case and diacritics
    "Джакишев",  # Cyrillic, folded to dzhakishev
    "Dschakischew",  # another transliteration: matched as it sounds (djakishev)
    "jan novak",  # two words
    "ja",  # short: no trigram, LIKE alone
    "ja novak",  # a short word and a long one
    "x",  # one letter, which sounds as "ks"
    "axel",  # sounds as "aksel": both variants looked up
    "n_d",  # "_" is a letter here, not LIKE's any-one-character
    "nxd",
    "50%",  # "%" is folded away: "50"
    "%",  # nothing left to search for: everyone
    "_",
    "@odfoundation",
    "s&d",
    "greens/efa",
    "qwxzv",  # nobody
]


@pytest.fixture
def people(app):
    sd = make_organisation("Progressive Alliance of Socialists and Democrats", short_name="S&D")
    greens = make_organisation("Greens/European Free Alliance", short_name="Greens/EFA")
    make_person("Zdechovský", "Tomáš", country="CZ")
    make_person("Dzhakishev", "Mukhtar", native_name="Мухтар Джакишев", country="KZ")
    make_person("Djakishev", "Mukhtar", country="KZ")
    make_person("Novák", "Jan", emails=("jan.novak@seznam.cz",))
    make_person("Nováková", "Jana")
    make_person("Janowski", "Jan")
    make_person("Doe", "John", emails=("john_doe@example.org",))
    make_person("Doe", "Jon", emails=("johnxdoe@example.org",))
    make_person("Becker", "Axel", country="DE")
    make_person("Kozlovska", "Lyudmyla", emails=("lyudmyla@odfoundation.eu",))
    make_person("Klein", "Ivo", notes="Met at 50% of the hearing")
    ward = make_person("Ward", "Julie")
    make_role(ward, sd)
    make_role(make_person("Lagodinsky", "Sergey"), greens)
    archived = make_person("Novák", "Petr")
    archived.archived = True
    db.session.commit()


def scanned(query: str, archived: bool | None = False) -> list[int]:
    """Who a plain scan finds: the LIKE of every word over every row, in the list's order."""
    statement = select(Person.id).order_by(Person.sort_key, Person.id)
    condition = text_condition(Person.search_text, query)
    if condition is not None:
        statement = statement.where(condition)
    if archived is not None:
        statement = statement.where(Person.archived.is_(archived))
    return list(db.session.scalars(statement))


def searched(query: str, **filters) -> tuple[list[int], int]:
    page = search_people(PeopleFilter(q=query, **filters), per_page=5)
    everyone = search_people(PeopleFilter(q=query, **filters), per_page=1000)
    assert [person.id for person in page.items] == [person.id for person in everyone.items][:5]
    assert page.total == everyone.total
    return [person.id for person in everyone.items], everyone.total


def index_agrees() -> None:
    """Every person's text indexed as it is stored, no more (SQLite; PostgreSQL keeps its index itself)."""
    if has_index():
        # With rank 1, FTS5 also compares the index with the external content table: an error if not in step.
        db.session.execute(text("INSERT INTO person_search (person_search, rank) VALUES ('integrity-check', 1)"))
    for query in QUERIES:
        assert searched(query)[0] == scanned(query), query


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_scan_finds(people, query):
    found, total = searched(query)
    assert found == scanned(query) and total == len(found)
    assert searched(query, archived="all")[0] == scanned(query, archived=None)
    typed = text_condition(Person.search_text, query) is not None  # the type-ahead offers nobody for nothing
    assert [person.id for person in lookup_people(query)] == (scanned(query)[:10] if typed else [])


def test_what_the_queries_find(people):
    def names(query):
        return {db.session.get(Person, i).display_name for i in scanned(query)}

    assert names("Dschakischew") == names("Джакишев") == {"Mukhtar Dzhakishev", "Mukhtar Djakishev"}
    assert names("n_d") == {"John Doe"}  # not johnxdoe
    assert names("ja novak") == {"Jan Novák", "Jana Nováková"}
    assert names("qwxzv") == set()
    assert len(scanned("%")) == len(scanned("")) == 13  # every active person


def test_long_words_are_looked_up_in_the_index_and_short_ones_are_not(people):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner uses its index for the LIKE itself")
    assert has_index()

    def lookups(query):
        return str(people_query(PeopleFilter(q=query)).compile()).count("GLOB")

    assert (lookups("novak"), lookups("ja"), lookups("ja novak"), lookups("jan novak")) == (1, 0, 1, 2)
    assert lookups("zdechovsky") == 2  # as typed, or as it sounds: "zdechovski"
    assert lookups("x") == 0  # "ks": too short for a trigram
    plan = db.session.execute(text("EXPLAIN QUERY PLAN " + _sql(PeopleFilter(q="zdechovsky")))).all()
    assert any("person_search VIRTUAL TABLE INDEX" in row[-1] for row in plan), plan


def test_postgresql_plans_the_search_with_the_trigram_index(people):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's index is an FTS5 table")
    index = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_person_search_text_trgm'"
    assert "gin_trgm_ops" in db.session.scalar(text(index))
    # A table of fifteen people is read whole whatever the index; forbidding that shows the index serves the LIKE.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(text("EXPLAIN " + _sql(PeopleFilter(q="zdechovsky")))).scalars().all()
    db.session.rollback()
    assert any("ix_person_search_text_trgm" in line for line in plan), plan


def _sql(filters: PeopleFilter) -> str:
    statement = people_query(filters).with_only_columns(Person.id)
    return str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))


def test_the_index_follows_the_services(people, staff):
    jan = db.session.scalars(select(Person).where(Person.given_name == "Jan", Person.family_name == "Novák")).one()
    update_person(
        jan,
        PersonData(family_name="Svoboda", given_name="Jan", emails=[EmailData("jan.svoboda@seznam.cz")]),
        actor=None,
        expected_version=jan.version,
    )
    db.session.commit()
    assert scanned("svoboda") == [jan.id] and scanned("jan.novak") == []
    index_agrees()

    keep, other = (
        db.session.scalars(select(Person).where(Person.family_name == name)).one()
        for name in ("Dzhakishev", "Djakishev")
    )
    merge_people(keep, other, {}, actor=staff["editor"])
    db.session.commit()
    index_agrees()

    doe = db.session.scalars(select(Person).where(Person.emails.any(address="john_doe@example.org"))).one()
    erase_person(doe.id, "asked to be forgotten", actor=staff["admin"])
    db.session.commit()
    assert scanned("n_d") == []
    index_agrees()


def test_the_index_follows_an_import_and_its_undo(people, tmp_path):
    path = workbook(tmp_path, [["Štětina", "Jaromír", "jaromir.stetina@ep.europa.eu", "CZ", "", "", ""]])
    result = run_import(path, ImportOptions(), actor=None)
    assert result.counts["created"] == 1
    assert len(scanned("stetina")) == 1
    index_agrees()

    undo_import(get_run(result.run_id), actor=None)
    db.session.commit()
    assert scanned("stetina") == []
    index_agrees()


def test_the_index_follows_core_statements(people):
    """Bulk paths write person rows without the ORM; the triggers see those writes too."""
    db.session.execute(update(Person).where(Person.family_name == "Ward").values(search_text=" julie wardova "))
    db.session.execute(Person.__table__.delete().where(Person.family_name == "Becker"))
    db.session.execute(Person.__table__.insert().values(family_name="Mogherini", search_text=" federica mogherini "))
    db.session.commit()
    assert len(scanned("wardova")) == len(scanned("mogherini")) == 1 and scanned("axel") == []
    index_agrees()
