"""Demo data, an import and attachments: backed up, restored into the other kind of database,
every row and every file the same."""

from __future__ import annotations

import io
import json

from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import select

from crm import MIGRATIONS_DIR
from crm.backup.schema import database_revision, head_revision
from crm.contacts.models import Person
from crm.contacts.search import PeopleFilter, search_people
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.imports.models import ImportRun
from crm.outreach.models import Attachment
from crm.taxonomy.service import get_or_create_tags
from tests.backup.conftest import every_file, every_row, restore_with
from tests.conftest import AuthActions
from tests.factories import kind_id

IMPORTED = [
    ["Orlova", "Irina", "irina.orlova@example.org", "KZ", "Freedom House"],
    ["Sadykova", "Aigerim", "sadykova@example.kz", "KZ", None],
    ["Bekov", "Daniyar", "not an email", "KZ", "Aman-Saulik"],  # rejected: a problem row, kept with its cells
]


def _import_through_the_wizard(client, tmp_path) -> None:
    book = Workbook()
    book.active.append(["Last name", "First name", "E-mail", "Country", "Organisation"])
    for row in IMPORTED:
        book.active.append(row)
    path = tmp_path / "partners.xlsx"
    book.save(path)
    data = {"file": (io.BytesIO(path.read_bytes()), "partners.xlsx")}
    assert client.post("/imports/", data=data, content_type="multipart/form-data").status_code == 302
    run = db.session.scalars(select(ImportRun)).one()
    form = {
        f"columns-{i}": key for i, key in enumerate(["family_name", "given_name", "email", "country", "organisation"])
    }
    form.update(on_duplicate="fill", preset="", category="NGO staff", tags="partners", source="Partner list")
    form["save_as"] = "partner-list"  # a saved preset: a data file of its own
    assert client.post(f"/imports/{run.id}/mapping", data=form).status_code == 302
    assert client.get(f"/imports/{run.id}/preview").status_code == 200
    response = client.post(f"/imports/{run.id}/preview", data={})
    db.session.refresh(run)
    assert response.status_code == 302 and run.status == "done", (
        run.status,
        run.message,
        response.get_data(as_text=True)[-3000:],
    )


def _log_outreach_with_attachments(client) -> None:
    person = db.session.scalars(select(Person).where(Person.family_name == "Orlova")).one()
    data = {
        "kind_id": kind_id("letter"),
        "sent_on": "2017-10-11",
        "subject": "Release Mukhtar Dzhakishev",
        "status": "sent",
        "participants-0-party": f"p:{person.id}",
        "participants-0-party_label": "someone",
        "participants-0-role": "to",
        "attachments": [
            (io.BytesIO(b"%PDF-1.4 the letter \x00\xff"), "Letter to MEPs.pdf"),
            (io.BytesIO("Привет, Мухтар".encode()), "note.txt"),
        ],
    }
    assert client.post("/outreach/new", data=data, content_type="multipart/form-data").status_code == 302


def _source_data(client, auth, tmp_path) -> None:
    load_demo()
    db.session.commit()
    auth.login("editor")
    _import_through_the_wizard(client, tmp_path)
    _log_outreach_with_attachments(client)


def test_everything_moves_to_the_other_kind_of_database(app, client, auth, runner, tmp_path, other_database, app_on):
    _source_data(client, auth, tmp_path)
    rows, files = every_row(), every_file()
    assert len(rows["person"]) > 26 and rows["import_run"] and len(rows["attachment"]) == 2 and rows["sign_in"]
    assert {name.split("/")[0] for name in files} == {"attachments", "imports", "presets"}

    archive = tmp_path / "crm-backup.zip"
    backed_up = runner.invoke(args=["crm", "backup", str(archive), "--json"])
    assert backed_up.exit_code == 0, backed_up.output
    summary = json.loads(backed_up.stdout)
    assert summary["tables"]["person"] == len(rows["person"]) and summary["files"] == len(files)
    assert archive.stat().st_mode & 0o777 == 0o600

    target = app_on(other_database)
    with target.app_context():
        upgrade(directory=MIGRATIONS_DIR)  # the README's way: `flask --app wsgi db upgrade`, then restore
    restored = restore_with(target, archive, "--json")
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["tables"] == summary["tables"]

    with target.app_context():
        assert every_row() == rows
        assert every_file() == files
        # The search finds the imported people there too (on SQLite, its index made again from the people).
        assert [person.family_name for person in search_people(PeopleFilter(q="orlova")).items] == ["Orlova"]
        # The ids go on from the restored ones.
        [(tag_id, _name)] = get_or_create_tags(["after the move"]).values()
        assert tag_id > max(row[0] for row in rows["tag"])
        db.session.rollback()


def test_a_database_with_no_tables_gets_its_schema_from_the_restore(
    app, client, auth, runner, tmp_path, other_database, app_on
):
    _source_data(client, auth, tmp_path)
    rows, files = every_row(), every_file()
    archive = tmp_path / "crm-backup.zip"
    assert runner.invoke(args=["crm", "backup", str(archive)]).exit_code == 0

    target = app_on(other_database)
    restored = restore_with(target, archive)
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(
        f"Restored {sum(map(len, rows.values()))} rows in {len(rows)} tables and {len(files)} files"
    )
    with target.app_context():
        assert database_revision(db.session.connection()) == head_revision()
        assert every_row() == rows
        assert every_file() == files
        attachment = db.session.scalars(select(Attachment).order_by(Attachment.id)).first()
    signed_in = target.test_client()
    assert AuthActions(signed_in).login("editor").status_code == 302
    assert signed_in.get(f"/outreach/attachments/{attachment.id}").data == b"%PDF-1.4 the letter \x00\xff"
