"""The audit viewer: filters, newest first, readable changes, exports with the formula guard, admins only."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import select

from crm.audit import service as audit
from crm.audit.models import AuditEntry
from crm.audit.viewer import AuditFilter, audit_page, audit_table, describe_changes
from crm.extensions import db
from tests.factories import make_person


def _entry(entity_type, entity_id, action, changes, *, actor=None, at=None):
    entry = audit.record(entity_type, entity_id, action, changes, actor=actor)
    if at is not None:
        entry.at = at
    db.session.commit()
    return entry


def test_filters_by_staff_member_record_action_and_date(app, staff):
    admin, editor = staff["admin"], staff["editor"]
    _entry("person", 7, "update", {"notes": ["a", "b"]}, actor=editor, at=datetime(2024, 3, 1, 12))
    _entry("person", 8, "update", {"notes": ["c", "d"]}, actor=admin, at=datetime(2024, 3, 2, 23, 59))
    _entry("campaign", 7, "close", {"status": ["sent", "closed"]}, at=datetime(2024, 3, 5))

    def ids(**args):
        return [(e.entity_type, e.entity_id) for e in audit_page(AuditFilter.from_args(args)).items]

    assert ids(actor_id=str(editor.id)) == [("person", 7)]
    assert ids(actor_id="0", entity_type="campaign") == [("campaign", 7)]  # "0": no staff member
    assert ids(entity_type="person", entity_id="8") == [("person", 8)]
    assert ids(action="close") == [("campaign", 7)]
    # Dates are whole days, both ends included; newest first.
    assert ids(date_from="2024-03-02", date_to="2024-03-05") == [("campaign", 7), ("person", 8)]
    assert ids(date_to="2024-03-01", entity_type="person") == [("person", 7)]
    # Days where the reader is (Europe/Brussels here): 23:59 UTC on 2 March is 00:59 on 3 March there.
    assert ids(date_from="2024-03-03", date_to="2024-03-03") == [("person", 8)]
    # Junk in the query string is no filter rather than an error.
    assert len(ids(entity_id="x", date_from="yesterday", actor_id="99999999999999")) >= 3


def test_pages_newest_first(app):
    for number in range(5):
        _entry("person", number, "update", {"notes": [str(number), "x"]})
    first = audit_page(AuditFilter(entity_type="person"), page=1, per_page=2)
    last = audit_page(AuditFilter(entity_type="person"), page=99, per_page=2)
    assert first.total == 5 and first.pages == 3
    assert [e.entity_id for e in first.items] == [4, 3]
    assert last.page == 3 and [e.entity_id for e in last.items] == [0]


def test_changes_read_as_words():
    assert describe_changes("update", {"notes": ["old", "new"], "tags": [["a"], ["a", "b"]]}) == (
        "notes: old → new\ntags: a → a, b"
    )
    assert describe_changes("create", {"given_name": [None, "Ada"], "archived": [None, False]}) == (
        "archived: no\ngiven_name: Ada"
    )


def test_the_export_reads_the_whole_filtered_log_in_chunks(app):
    for number in range(7):
        _entry("person", number, "update", {"notes": ["", "=HYPERLINK()"]})
    _entry("campaign", 1, "update", {"name": ["a", "b"]})
    rows = list(audit_table(AuditFilter(entity_type="person"), chunk=3))
    assert [row[4] for row in rows] == [6, 5, 4, 3, 2, 1, 0]
    assert rows[0][2] == "system" and rows[0][7] == "notes: — → =HYPERLINK()"


def test_admins_read_and_export_the_log(app, client, auth, staff):
    make_person("Dzhakishev", "Mukhtar", notes="=cmd|' /C calc'!A0")
    auth.login("admin")
    page = client.get("/admin/audit?entity_type=person")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Dzhakishev" in text and "/contacts/people/" in text
    assert "Audit log" in client.get("/").get_data(as_text=True)  # in the Admin menu

    answer = client.get("/admin/audit.xlsx?entity_type=person")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    assert [cell.value for cell in sheet[1]][:3] == ["Entry", "At (UTC)", "Staff member"]
    changes = sheet.cell(2, 8).value
    assert "Dzhakishev" in changes and sheet.cell(2, 4).value == "person"
    assert "Family name: Dzhakishev" in changes and "Lawful basis: Legitimate interests" in changes  # in words

    answer = client.get("/admin/audit.csv?action=create")
    rows = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "Entry" and rows[1][3] == "person"
    # The export is itself in the log, with who asked for it.
    exports = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "audit log")).all()
    assert [e.changes["format"][1] for e in exports] == ["xlsx", "csv"]
    assert {e.actor_id for e in exports} == {staff["admin"].id}


def test_formula_cells_are_neutralised_in_both_formats(app, client, auth):
    _entry("person", 1, "=cmd", {"=x": ["+1", "@SUM(A1)"]})
    auth.login("admin")
    sheet = load_workbook(io.BytesIO(client.get("/admin/audit.xlsx?entity_type=person").get_data())).active
    assert sheet.cell(2, 6).value == "'=cmd" and sheet.cell(2, 8).value.startswith("'=x")
    rows = list(
        csv.reader(io.StringIO(client.get("/admin/audit.csv?entity_type=person").get_data().decode("utf-8-sig")))
    )
    assert rows[1][5] == "'=cmd"


def test_editors_and_viewers_are_refused(app, client, auth):
    for role in ("editor", "viewer"):
        auth.login(role)
        for url in ("/admin/audit", "/admin/audit.xlsx", "/admin/audit.csv"):
            assert client.get(url).status_code == 403, (role, url)
        assert "Audit log" not in client.get("/").get_data(as_text=True)
        auth.logout()
