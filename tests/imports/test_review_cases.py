"""Edge cases of deciding, refreshing and undoing: a person's choice in the preview, refused rows in an
official list, one person named twice, ids that cannot be, and people a campaign is about."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crm.contacts.models import ExternalId, Person
from crm.extensions import db
from crm.imports.pipeline import ImportOptions, run_import
from crm.imports.runs import get_run
from crm.imports.undo import UndoRefused, undo_import
from tests.factories import make_campaign, make_person
from tests.imports.test_pipeline import workbook
from tests.imports.test_refresh import PAET, ZDECHOVSKY, current, ep_list, person


def count_people() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def test_a_likely_match_is_skipped_unless_the_preview_says_fill(app, tmp_path):
    existing = make_person("Behrendt", "Marc", country="US")
    path = workbook(tmp_path, [["Behrendt", "Marc", "marc@freedomhouse.org", "US", None, None, None]])
    skipped = run_import(path, ImportOptions(dry_run=True), actor=None)
    assert skipped.rows[0].status == "skipped" and skipped.rows[0].candidates[0].person_id == existing.id

    chosen = run_import(path, ImportOptions(overrides={2: "fill"}), actor=None)
    assert (chosen.rows[0].status, chosen.rows[0].id) == ("updated", existing.id)
    db.session.expire_all()
    assert db.session.get(Person, existing.id).primary_email == "marc@freedomhouse.org"
    assert count_people() == 1


def test_a_refresh_with_a_refused_row_ends_no_roles(app, tmp_path):
    run_import(ep_list(tmp_path, ZDECHOVSKY, PAET), ImportOptions(preset="ep_meps"), actor=None)
    broken = dict(PAET, country="Atlantis")  # Paet is still on the list, but his row is refused
    result = run_import(ep_list(tmp_path, broken, name="after.xml"), ImportOptions(preset="ep_meps"), actor=None)
    assert result.counts["rejected"] == 1 and result.ended_roles == 0
    assert "not ended" in result.message
    assert "European Parliament" in current(person("129073")) and "European Parliament" in current(person("124713"))


def test_one_person_named_twice_is_undone_to_the_state_before_the_file(app, tmp_path):
    existing = make_person("Tumenova", "", emails=("tumenova@amansaulik.kz",))
    rows = [
        ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, None, None],
        ["Tumenova", "Bakhyt", "tumenova@amansaulik.kz", "KZ", None, "Aman-Saulik", "ngo"],
    ]
    result = run_import(workbook(tmp_path, rows), ImportOptions(on_duplicate="update"), actor=None)
    assert [row.status for row in result.rows] == ["updated", "updated"]
    undo_import(get_run(result.run_id), actor=None)
    db.session.commit()
    restored = db.session.get(Person, existing.id)
    assert (restored.given_name, restored.country, restored.tags) == ("", None, [])


@pytest.mark.parametrize("value", ["99999999999", "0"])
def test_an_id_that_cannot_be_a_person_rejects_its_row(app, tmp_path, value):
    header = ["ID", "Family name", "Given name"]
    path = workbook(tmp_path, [[value, "Behrendt", "Marc"]], header=header)
    result = run_import(path, ImportOptions(preset="crm_export"), actor=None)
    assert result.rows[0].status == "rejected" and "id" in result.rows[0].errors[0].message


def test_create_anyway_never_takes_someone_elses_external_id(app, tmp_path):
    run_import(ep_list(tmp_path, PAET), ImportOptions(preset="ep_meps"), actor=None)
    again = run_import(
        ep_list(tmp_path, PAET, name="again.xml"), ImportOptions(preset="ep_meps", on_duplicate="create"), actor=None
    )
    assert again.counts["created"] == 1 and "belongs to someone else" in again.rows[0].warnings[0].message
    assert db.session.scalar(select(func.count()).select_from(ExternalId)) == 1


def test_undo_keeps_a_person_a_campaign_is_about(app, tmp_path):
    result = run_import(
        workbook(tmp_path, [["Dzhakishev", "Mukhtar", None, "KZ", None, None, None]]), ImportOptions(), actor=None
    )
    subject = db.session.scalars(select(Person)).one()
    make_campaign(subject_person_id=subject.id)
    with pytest.raises(UndoRefused) as refused:
        undo_import(get_run(result.run_id), actor=None)
    db.session.rollback()
    assert "campaign" in refused.value.conflicts.people[subject.id]
