"""A report is built again as soon as anything it reads has changed, whoever changed it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from openpyxl import Workbook
from sqlalchemy import event, insert, select, update

from crm.audit.models import AuditEntry
from crm.contacts.models import Organisation, Person, Role
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.outreach.data import ResponseData
from crm.outreach.models import Outreach
from crm.outreach.responses import record_response
from crm.reports import cache
from crm.reports.models import ReportDataVersion
from crm.reports.service import build_report, campaign_report
from tests.factories import category_id

AS_OF = date(2018, 6, 1)


def _report(known):
    return campaign_report(known["campaign_id"], as_of=AS_OF)


def _version() -> int:
    return db.session.scalar(select(ReportDataVersion.value))


def _rows(report, key):
    return {row.label: row.stats for row in next(b for b in report.breakdowns if b.key == key).rows}


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


def test_a_contact_edit_or_a_bulk_insert_changes_the_report(known):
    _report(known)
    person = db.session.get(Person, known["people"]["E"])
    person.category_id = category_id("MEP")
    db.session.commit()

    assert _rows(_report(known), "category")["MEP"].recipients == 5

    parliament = db.session.scalar(select(Organisation.id).where(Organisation.short_name == "EP"))
    observer = {"person_id": known["people"]["E"], "organisation_id": parliament, "title": "Observer"}
    db.session.execute(insert(Role.__table__).values(**observer))  # as an import adds roles
    db.session.commit()

    assert _rows(_report(known), "organisation")["European Parliament"].recipients == 5


def test_a_write_outside_the_session_changes_the_report(known):
    before = _report(known)
    db.session.rollback()  # a request of its own: on SQLite a transaction keeps the snapshot it began with
    with db.engine.begin() as connection:
        connection.execute(update(Person).where(Person.id == known["people"]["A"]).values(country="AT"))
    db.session.rollback()

    assert "Austria" in _rows(_report(known), "country") and _report(known) is not before


def test_rollbacks_and_other_tables_leave_the_version_alone(known):
    version = _version()
    db.session.get(Person, known["people"]["A"]).country = "AT"
    db.session.flush()
    db.session.rollback()
    db.session.add(AuditEntry(entity_type="export", entity_id=1, action="campaign report", changes={}))
    db.session.commit()

    assert _version() == version


def test_the_version_row_comes_back_after_the_table_was_emptied(known):
    db.session.execute(ReportDataVersion.__table__.delete())
    db.session.commit()
    assert _version() is None
    first = _report(known)
    assert _report(known) is not first  # nothing cached without a version

    db.session.get(Person, known["people"]["A"]).country = "AT"
    db.session.commit()
    assert _version() is not None
    assert _report(known) is _report(known)


def test_statements_that_write_report_data():
    assert cache.writes_report_data("INSERT INTO participant (outreach_id) VALUES (?)")
    assert cache.writes_report_data('UPDATE "person" SET country=%(country)s')
    assert cache.writes_report_data("  delete from role where id = 1")
    assert cache.writes_report_data("WITH gone AS (DELETE FROM audit_entry RETURNING id) SELECT 1")
    assert cache.writes_report_data('TRUNCATE "person", "role" RESTART IDENTITY CASCADE')
    assert not cache.writes_report_data("INSERT INTO audit_entry (action) VALUES (?)")
    assert not cache.writes_report_data("SELECT * FROM participant")


def test_the_read_tables_cover_every_table_the_report_reads(known):
    read: set[str] = set()

    def record(_conn, _cursor, statement, *_args):
        read.update(name.lower() for name in re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)', statement, re.I))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        build_report(None, AS_OF, None)
        build_report(known["campaign_id"], AS_OF, 1)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    tables = {table.name for table in db.metadata.sorted_tables}
    assert read & tables <= cache.READ_TABLES
    assert {"participant", "role", "person", "response"} <= read


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


def test_raw_sql_can_say_the_data_changed(known):
    version = _version()
    db.session.rollback()
    with db.engine.begin() as connection:
        cache.data_changed(connection)
    db.session.rollback()

    assert _version() == version + 1


def test_an_import_changes_the_report(known, tmp_path):
    # The import writes new people with one DBAPI executemany per table (crm.imports.bulk).
    before = _version()
    book = Workbook()
    book.active.append(["Family name", "Given name", "Country"])
    book.active.append(["Zdechovský", "Tomáš", "CZ"])
    book.save(tmp_path / "list.xlsx")
    result = run_import(tmp_path / "list.xlsx", ImportOptions(), actor=None)
    assert result.counts["created"] == 1
    assert _version() != before
