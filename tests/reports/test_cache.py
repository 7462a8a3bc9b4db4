"""A built report is kept in the database for every worker, and built again as soon as anything it
reads has changed, whoever changed it."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from crm import create_app
from crm.audit.service import record
from crm.contacts.data import RoleData
from crm.contacts.models import Organisation, Person
from crm.contacts.people import update_person
from crm.contacts.roles import add_role
from crm.data_version import ReportDataVersion, bump
from crm.extensions import db
from crm.imports.person_values import person_data_of
from crm.imports.pipeline import ImportOptions, run_import
from crm.outreach.data import ResponseData
from crm.outreach.models import Outreach
from crm.outreach.responses import record_response
from crm.reports import built_reports
from crm.reports.cache import cached, report_kind
from crm.reports.models import BuiltReport
from crm.reports.service import campaign_report
from tests.factories import category_id
from tests.settings import app_config

AS_OF = date(2018, 6, 1)


def _report(known):
    return campaign_report(known["campaign_id"], as_of=AS_OF)


def _version() -> int:
    return db.session.scalar(select(ReportDataVersion.value))


def _kept() -> dict[str, BuiltReport]:
    db.session.expire_all()
    return {row.key: row for row in db.session.scalars(select(BuiltReport))}


def _rows(report, key):
    return {row.label: row.stats for row in next(b for b in report.breakdowns if b.key == key).rows}


def counting(name: str):
    """A kind of report that counts its builds: `build(n, day=...)` returns "n at build k"."""
    builds: list[tuple] = []

    def build(*arguments, day=None) -> str:
        builds.append(arguments)
        return f"{arguments} at build {len(builds)}"

    return report_kind(name, str, build), builds


def test_an_unchanged_report_is_not_built_again(known):
    first = _report(known)
    counted_at = {key: row.counted_at for key, row in _kept().items()}

    assert _report(known) == first
    assert {key: row.counted_at for key, row in _kept().items()} == counted_at  # served as kept
    assert campaign_report(known["campaign_id"], as_of=AS_OF, supporters_limit=1) != first
    assert len(_kept()) == 2


def test_a_kept_report_serves_every_worker(app, database_dir):
    kind, builds = counting("shared")
    assert cached(kind, 1) == "(1,) at build 1"
    db.session.rollback()

    other_worker = create_app(app_config(database_dir))
    with other_worker.app_context():
        served_there = cached(kind, 1)
        db.session.remove()
        db.engine.dispose()

    assert served_there == "(1,) at build 1" and len(builds) == 1


def test_the_report_changes_right_after_a_reply_is_recorded(known):
    before = _report(known)
    outreach = db.session.scalars(select(Outreach).where(Outreach.subject == "Email to D and E")).one()

    record_response(outreach, ResponseData(date(2017, 11, 21), person_id=known["people"]["E"]), actor=None)
    uncommitted = _report(known)  # the same transaction sees its own reply at once, and keeps nothing
    assert {row.data_version for row in _kept().values()} == {_version()}
    db.session.commit()
    committed = _report(known)

    assert (before.totals.replied, uncommitted.totals.replied, committed.totals.replied) == (4, 5, 5)
    assert committed.totals.responses == 5


def test_contact_edits_change_the_report(known):
    _report(known)
    person = db.session.get(Person, known["people"]["E"])
    data = person_data_of(person)
    data.category_id = category_id("MEP")
    update_person(person, data, actor=None, expected_version=person.version)
    db.session.commit()

    assert _rows(_report(known), "category")["MEP"].recipients == 5

    parliament = db.session.scalar(select(Organisation.id).where(Organisation.short_name == "EP"))
    add_role(db.session.get(Person, known["people"]["E"]), RoleData(parliament, "Observer"), actor=None)
    db.session.commit()

    assert _rows(_report(known), "organisation")["European Parliament"].recipients == 5


def test_a_write_outside_the_session_is_seen_once_it_says_so(known):
    before = _report(known)
    db.session.rollback()  # a request of its own: on SQLite a transaction keeps the snapshot it began with
    with db.engine.begin() as connection:
        connection.execute(update(Person).where(Person.id == known["people"]["A"]).values(country="AT"))
    db.session.rollback()
    assert _report(known) == before  # nothing watches SQL: it has not said so

    with db.engine.begin() as connection:
        bump(connection)
    db.session.rollback()

    assert "Austria" in _rows(_report(known), "country")


def test_other_tables_and_rollbacks_leave_the_version_and_the_kept_report_alone(known):
    _report(known)
    version = _version()
    person = db.session.get(Person, known["people"]["A"])
    data = person_data_of(person)
    data.country = "AT"
    update_person(person, data, actor=None, expected_version=person.version)
    db.session.rollback()
    record("export", 1, "campaign report", {}, actor=None)
    db.session.commit()

    assert _version() == version
    assert {row.data_version for row in _kept().values()} == {version}


def test_nothing_is_kept_while_the_version_row_is_missing(known):
    db.session.execute(ReportDataVersion.__table__.delete())
    db.session.commit()
    _report(known)
    assert _kept() == {}

    person = db.session.get(Person, known["people"]["A"])
    data = person_data_of(person)
    data.country = "AT"
    update_person(person, data, actor=None, expected_version=person.version)
    db.session.commit()  # the version row comes back
    _report(known)

    assert [row.data_version for row in _kept().values()] == [_version()]


def test_only_the_newest_reports_are_kept(app, monkeypatch):
    monkeypatch.setattr(built_reports, "KEPT_REPORTS", 2)
    kind, builds = counting("bounded")
    for number in (1, 2, 3):
        cached(kind, number)
    cached(kind, 3)
    cached(kind, 1)  # made way for the newer ones: built again

    assert builds == [(1,), (2,), (3,), (1,)]
    assert set(_kept()) == {kind.key((3,)), kind.key((1,))}


def test_a_session_that_holds_sqlites_write_lock_is_served_what_is_kept_but_keeps_nothing(app):
    kind, builds = counting("locked")
    cached(kind, 1)
    record("export", 1, "campaign report", {}, actor=None)
    db.session.flush()  # on SQLite this transaction now holds the write lock a second writer would wait for

    kept = cached(kind, 1)
    fresh = cached(kind, 2)
    db.session.commit()
    cached(kind, 2)

    sqlite = db.engine.dialect.name == "sqlite"
    assert kept == "(1,) at build 1" and fresh == "(2,) at build 2"
    assert len(builds) == (3 if sqlite else 2)
    assert db.session.scalar(select(func.count()).select_from(BuiltReport)) == 2


def test_an_import_changes_the_report(known, tmp_path):
    before = _version()
    book = Workbook()
    book.active.append(["Family name", "Given name", "Country"])
    book.active.append(["Zdechovský", "Tomáš", "CZ"])
    book.save(tmp_path / "list.xlsx")
    result = run_import(tmp_path / "list.xlsx", ImportOptions(), actor=None)
    assert result.counts["created"] == 1
    assert _version() == before + 1


def test_a_key_too_long_for_its_column_is_refused(app):
    kind, _builds = counting("long")
    with pytest.raises(ValueError, match="too long"):
        cached(kind, "x" * 200)
