"""A report is built again as soon as anything it reads has changed, whoever changed it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from openpyxl import Workbook
from sqlalchemy import select, update

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
from crm.reports import cache
from crm.reports.service import campaign_report
from tests.factories import category_id

AS_OF = date(2018, 6, 1)


def _report(known):
    return campaign_report(known["campaign_id"], as_of=AS_OF)


def _version() -> int:
    return db.session.scalar(select(ReportDataVersion.value))


def _rows(report, key):
    return {row.label: row.stats for row in next(b for b in report.breakdowns if b.key == key).rows}


def _move_a_to_austria(known) -> None:
    person = db.session.get(Person, known["people"]["A"])
    data = person_data_of(person)
    data.country = "AT"
    update_person(person, data, actor=None, expected_version=person.version)


def test_an_unchanged_report_is_not_built_again(known):
    first = _report(known)

    assert _report(known) is first
    assert campaign_report(known["campaign_id"], as_of=AS_OF, supporters_limit=1) is not first


def test_the_report_changes_right_after_a_reply_is_recorded(known):
    before = _report(known)
    outreach = db.session.scalars(select(Outreach).where(Outreach.subject == "Email to D and E")).one()

    record_response(outreach, ResponseData(date(2017, 11, 21), person_id=known["people"]["E"]), actor=None)
    uncommitted = _report(known)  # the same transaction sees its own reply at once
    db.session.commit()
    committed = _report(known)

    assert (before.totals.replied, uncommitted.totals.replied, committed.totals.replied) == (4, 5, 5)
    assert committed is not before and committed.totals.responses == 5


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
    assert _report(known) is before  # nothing watches SQL: it has not said so

    with db.engine.begin() as connection:
        bump(connection)
    db.session.rollback()

    assert "Austria" in _rows(_report(known), "country")


def test_rollbacks_and_other_tables_leave_the_version_alone(known):
    version = _version()
    _move_a_to_austria(known)
    db.session.rollback()
    record("export", 1, "campaign report", {}, actor=None)
    db.session.commit()

    assert _version() == version


def test_the_version_row_comes_back_after_the_table_was_emptied(known):
    db.session.execute(ReportDataVersion.__table__.delete())
    db.session.commit()
    assert _version() is None
    first = _report(known)
    assert _report(known) is not first  # nothing cached without a version

    _move_a_to_austria(known)
    db.session.commit()
    assert _version() is not None
    assert _report(known) is _report(known)


def test_a_report_from_an_older_snapshot_does_not_replace_a_newer_one():
    def kept(version: int, report: str) -> cache.Kept:
        return cache.Kept(version, None, report, datetime.now(UTC), 0.1)

    reports = cache.ReportCache(size=2)
    reports.put("a", kept(5, "new"))
    reports.put("a", kept(4, "old"))
    assert reports.get("a", 5) == "new"
    reports.put("b", kept(1, "b"))
    reports.put("c", kept(1, "c"))

    assert reports.get("a", 5) is None  # the oldest used entry made way
    assert (reports.get("b", 1), reports.get("c", 1), reports.get("c", 2)) == ("b", "c", None)


def test_an_import_changes_the_report(known, tmp_path):
    before = _version()
    book = Workbook()
    book.active.append(["Family name", "Given name", "Country"])
    book.active.append(["Zdechovský", "Tomáš", "CZ"])
    book.save(tmp_path / "list.xlsx")
    result = run_import(tmp_path / "list.xlsx", ImportOptions(), actor=None)
    assert result.counts["created"] == 1
    assert _version() == before + 1
