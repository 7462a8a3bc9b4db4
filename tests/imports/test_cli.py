"""`flask crm import` / `undo-import`: exit codes and the --json shape are a contract."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from crm.contacts.models import Person
from crm.extensions import db
from tests.imports import files
from tests.imports.test_pipeline import workbook

ROWS = [
    ["Behrendt", "Marc", "marc.behrendt@freedomhouse.org", "US", None, "Freedom House", None],
    ["Tumenova", "Bakhyt", "not an email", "KZ", None, "Aman-Saulik", None],
]


def count_people() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_json_rows_and_exit_1_when_rows_are_rejected(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(workbook(tmp_path, ROWS)), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"batch_id", "created", "updated", "skipped", "rejected", "rows"}
    assert (report["created"], report["rejected"]) == (1, 1)
    assert isinstance(report["batch_id"], int)
    created, rejected = report["rows"]
    assert created["row"] == 2 and created["status"] == "created" and isinstance(created["id"], int)
    assert created["errors"] == []
    assert rejected == {
        "row": 3,
        "status": "rejected",
        "id": None,
        "errors": [{"column": "E-mail", "message": rejected["errors"][0]["message"]}],
    }
    assert count_people() == 1


def test_exit_0_when_every_row_is_imported_and_a_summary_without_json(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(workbook(tmp_path, ROWS[:1]))])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.stdout


def test_dry_run_writes_nothing(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(workbook(tmp_path, ROWS)), "--dry-run", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["batch_id"] is None
    assert count_people() == 0


def test_exit_2_with_one_line_for_an_unsafe_file(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(files.zip_bomb_xlsx(tmp_path))])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    missing = runner.invoke(args=["crm", "import", str(tmp_path / "nowhere.xlsx")])
    assert missing.exit_code == 2
    assert count_people() == 0


def test_on_duplicate_and_undo_import(runner, tmp_path):
    path = workbook(tmp_path, ROWS[:1])
    first = json.loads(runner.invoke(args=["crm", "import", str(path), "--json"]).stdout)
    again = json.loads(runner.invoke(args=["crm", "import", str(path), "--json", "--on-duplicate", "skip"]).stdout)
    assert (again["created"], again["skipped"]) == (0, 1)
    assert again["rows"][0]["id"] == first["rows"][0]["id"]
    undone = runner.invoke(args=["crm", "undo-import", str(first["batch_id"])])
    assert undone.exit_code == 0, undone.output
    assert "1 people removed" in undone.stdout
    assert count_people() == 0
    twice = runner.invoke(args=["crm", "undo-import", str(first["batch_id"])])
    assert twice.exit_code == 1 and "already undone" in twice.stderr


def test_a_header_only_file_says_there_was_nothing_to_import(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(files.header_only_xlsx(tmp_path))])
    assert result.exit_code == 0
    assert "nothing to import" in result.stdout and count_people() == 0
