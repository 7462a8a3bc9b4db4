"""The trigram index of person.search_text (migration 0028): the search gives what a plain scan gives,
and the index follows every write to person, whichever path makes it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from crm import create_app
from crm.contacts.data import EmailData, PersonData
from crm.contacts.models import Person
from crm.contacts.people import update_person
from crm.contacts.search import PeopleFilter, lookup_people, people_query, search_people, text_condition
from crm.contacts.search_index import has_index
from crm.duplicates import suggestions
from crm.duplicates.merge import merge_people
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import undo_import
from crm.privacy.erasure import erase_person
from tests.factories import make_organisation, make_person, make_role
from tests.imports.test_pipeline import workbook
from tests.settings import app_config

MIGRATIONS = Path(__file__).resolve().parents[2] / "crm" / "migrations"

ROOT = Path(__file__).resolve().parent.parent.parent

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

    def looked_up(query):
        """What the search asks the index for, if anything."""
        statement = people_query(PeopleFilter(q=query)).compile()
        return next((value for value in statement.params.values() if '"' in str(value)), None)

    assert looked_up("novak") == looked_up("ja novak") == '("novak")'  # "ja": no trigram, the LIKE alone
    assert looked_up("jan novak") == '("jan") AND ("novak")'
    assert looked_up("zdechovsky") == '("zdechovski" OR "zdechovsky")'  # as it sounds, or as typed
    assert looked_up("x") is looked_up("ja") is None  # "x" sounds as "ks": too short as well
    plan = _explain(PeopleFilter(q="zdechovsky"))
    assert any("person_search VIRTUAL TABLE INDEX" in row[-1] for row in plan), plan


def test_postgresql_plans_the_search_with_the_trigram_index(people):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's index is an FTS5 table")
    for name in ("ix_person_search_text_trgm", "ix_person_sort_key_trgm"):  # the second for "Did you mean"
        index = f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'"
        assert "gin_trgm_ops" in db.session.scalar(text(index))
    # A table of fifteen people is read whole whatever the index; forbidding that (and walking another index
    # row by row) shows the trigram index serves the LIKE.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    db.session.execute(text("SET LOCAL enable_indexscan = off"))
    plan = [row[0] for row in _explain(PeopleFilter(q="zdechovsky"))]
    db.session.rollback()
    assert any("Bitmap Index Scan on ix_person_search_text_trgm" in line for line in plan), plan


@pytest.mark.parametrize("query", ["zdechovksy", "Dzakishev", "jan novka", "Novakova", "qwxzv", "dzhak"])
def test_did_you_mean_compares_the_people_a_scan_would(people, query, monkeypatch):
    candidates = db.session.execute(suggestions.candidates_statement(query)).all()
    guesses = suggestions.suggest_people(query)
    monkeypatch.setattr(suggestions, "holding_any", lambda words, at_most: None)  # the scan of the key index
    scanned = db.session.execute(suggestions.candidates_statement(query)).all()
    assert sorted(candidates) == sorted(scanned)  # fewer than MAX_CANDIDATES: all of them, in any order
    assert suggestions.suggest_people(query) == guesses


def _explain(filters: PeopleFilter) -> list:
    statement = people_query(filters).with_only_columns(Person.id).compile(db.engine)
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    names = statement.positiontup or []
    parameters = tuple(statement.params[name] for name in names) if statement.positional else statement.params
    return db.session.connection().exec_driver_sql(prefix + str(statement), parameters).all()


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


@pytest.fixture
def database_without_pg_trgm():
    """A scratch PostgreSQL database and a role that owns its tables but may not create extensions in it."""
    url = os.environ.get("CRM_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("a PostgreSQL extension")
    base = make_url(url)
    name = f"{base.database}_no_trgm"  # the role is named alike: per test database, so parallel runs do not collide
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))  # owned by the administrator, not by the role
    scratch = create_engine(base.set(database=name), isolation_level="AUTOCOMMIT")
    with scratch.connect() as connection:
        connection.execute(text(f'GRANT CREATE ON SCHEMA public TO "{name}"'))
    scratch.dispose()
    yield base.set(database=name, username=name, password=None).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    admin.dispose()


def test_a_role_that_may_not_create_pg_trgm_migrates_without_the_index(database_without_pg_trgm, tmp_path):
    env = {**os.environ, "CRM_DATABASE_URL": database_without_pg_trgm, "CRM_SECRET_KEY": "x"}
    env["CRM_INSTANCE_DIR"] = str(tmp_path)
    upgrade = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert upgrade.returncode == 0, upgrade.stderr
    assert "the people search index was not created" in upgrade.stdout
    assert "permission denied" in upgrade.stdout
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=database_without_pg_trgm))
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        indexes = db.session.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm'"))
        assert (head, indexes) == (ScriptDirectory(str(MIGRATIONS)).get_current_head(), 0)  # upgraded to the end
        zdechovsky = make_person("Zdechovský", "Tomáš")
        make_person("Dzhakishev", "Mukhtar")
        assert [person.id for person in search_people(PeopleFilter(q="zdechovsky")).items] == [zdechovsky.id]
        db.session.remove()
        db.engine.dispose()
