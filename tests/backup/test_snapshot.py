"""A backup taken while others write holds the database as it was at one moment."""

from __future__ import annotations

from sqlalchemy import insert, update

from crm.backup.archive import check_archive
from crm.backup.schema import known_revisions
from crm.backup.take import take_backup
from crm.contacts.models import Person
from crm.extensions import db
from crm.taxonomy.models import Tag
from tests.backup.conftest import every_row
from tests.factories import make_person


def test_rows_committed_by_another_connection_during_a_backup_are_not_in_it(app, tmp_path):
    person = make_person("Dzhakishev", "Mukhtar")
    before = every_row()
    db.session.commit()
    written = []

    def write_meanwhile(table: str, _rows: int) -> None:
        # The first table is in the archive; person and tag are still to be read.
        if not written:
            with db.engine.begin() as other:
                other.execute(update(Person).where(Person.id == person.id).values(family_name="Changed meanwhile"))
                other.execute(insert(Tag).values(name="Added meanwhile", key="added meanwhile"))
            written.append(table)

    summary = take_backup(tmp_path / "crm-backup.zip", progress=write_meanwhile)

    after = every_row()
    assert written and after["person"] != before["person"] and len(after["tag"]) == len(before["tag"]) + 1
    archive = check_archive(tmp_path / "crm-backup.zip", known_revisions())
    try:
        archived = {entry.name: [tuple(row) for row in archive.rows(entry)] for entry in archive.manifest.tables}
    finally:
        archive.close()
    assert archived == before
    assert summary.tables == {name: len(rows) for name, rows in before.items()}
