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
    assert set(report) == {"run_id", "batch_id", "created", "updated", "skipped", "rejected", "rows", "ignored_columns"}
    assert (report["created"], report["rejected"]) == (1, 1)
    assert isinstance(report["run_id"], int)
    assert report["batch_id"] == report["run_id"]  # the older name, which scripts read, stays
    created, rejected = report["rows"]
    assert created["row"] == 2 and created["status"] == "created" and isinstance(created["id"], int)
    assert created["errors"] == created["warnings"] == []
    assert rejected == {
        "row": 3,
        "status": "rejected",
        "id": None,
        "errors": [{"column": "E-mail", "message": rejected["errors"][0]["message"]}],
        "warnings": [],
    }
    assert count_people() == 1


def test_exit_0_when_every_row_is_imported_and_a_summary_without_json(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(workbook(tmp_path, ROWS[:1]))])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.stdout


def test_dry_run_writes_nothing(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(workbook(tmp_path, ROWS)), "--dry-run", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["run_id"] is None and report["batch_id"] is None
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
    undone = runner.invoke(args=["crm", "undo-import", str(first["run_id"])])
    assert undone.exit_code == 0, undone.output
    assert "1 people removed" in undone.stdout
    assert count_people() == 0
    twice = runner.invoke(args=["crm", "undo-import", str(first["batch_id"])])  # the older name still works
    assert twice.exit_code == 1 and "already undone" in twice.stderr


def test_a_header_only_file_says_there_was_nothing_to_import(runner, tmp_path):
    result = runner.invoke(args=["crm", "import", str(files.header_only_xlsx(tmp_path))])
    assert result.exit_code == 0
    assert "nothing to import" in result.stdout and count_people() == 0


def test_ignored_columns_are_named_in_the_summary_and_the_json(runner, tmp_path):
    header = ["Last name", "Shoe size", "First name", "Date of birth", ""]
    path = workbook(tmp_path, [["Behrendt", 44, "Marc", "1970-01-01", "x"]], header=header)
    text = runner.invoke(args=["crm", "import", str(path), "--dry-run"])
    assert text.exit_code == 0, text.output
    assert "Ignored columns: Shoe size, Date of birth." in text.stdout
    report = json.loads(runner.invoke(args=["crm", "import", str(path), "--dry-run", "--json"]).stdout)
    assert report["ignored_columns"] == ["Shoe size", "Date of birth"]


def test_an_unknown_category_is_a_warning_and_the_row_is_imported_without_it(runner, tmp_path):
    header = ["Last name", "First name", "Category"]
    path = workbook(tmp_path, [["Behrendt", "Marc", "Astronaut"], ["Tumenova", "Bakhyt", "MEP"]], header=header)
    report = json.loads(runner.invoke(args=["crm", "import", str(path), "--json"]).stdout)
    assert (report["created"], report["rejected"]) == (2, 0)
    warned, plain = report["rows"]
    assert warned["status"] == "created" and plain["warnings"] == []
    [warning] = warned["warnings"]
    assert warning["column"] == "Category"
    assert warning["message"].startswith("“Astronaut” is not a category here")
    assert "imported without a category" in warning["message"]
    db.session.expire_all()
    behrendt = db.session.scalars(select(Person).where(Person.family_name == "Behrendt")).one()
    assert behrendt.category_id is None

    text = runner.invoke(args=["crm", "import", str(path), "--dry-run", "--on-duplicate", "create"])
    assert text.exit_code == 0, text.output
    assert "  row 2 created, warning [Category]: “Astronaut” is not a category here" in text.stdout


def test_undo_import_names_its_argument_the_run_id(runner):
    help_text = runner.invoke(args=["crm", "undo-import", "--help"]).stdout
    assert "RUN_ID" in help_text and "BATCH" not in help_text.upper()
