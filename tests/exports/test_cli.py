"""`flask crm export` and `export-template`: output, exit codes, the audit entry."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from tests.exports.conftest import read_csv, read_xlsx


def test_export_writes_the_file_and_says_how_many(app, runner, sample, tmp_path):
    path = tmp_path / "people.xlsx"
    result = runner.invoke(args=["crm", "export", "people", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Exported 9 people to {path}\n"
    _, _, rows = read_xlsx(path.read_bytes())
    assert len(rows) == 9


def test_format_comes_from_the_option_else_the_extension_else_xlsx(app, runner, sample, tmp_path):
    csv_path, plain, forced = tmp_path / "list.csv", tmp_path / "list", tmp_path / "list.dat"
    assert runner.invoke(args=["crm", "export", "outreach", "-o", str(csv_path)]).exit_code == 0
    assert runner.invoke(args=["crm", "export", "outreach", "-o", str(plain)]).exit_code == 0
    result = runner.invoke(args=["crm", "export", "outreach", "-o", str(forced), "--format", "csv"])
    assert result.exit_code == 0 and result.output.startswith("Exported 6 outreach entries")
    assert len(read_csv(csv_path.read_bytes())[1]) == 6
    assert read_xlsx(plain.read_bytes())[0].title == "Outreach"
    assert len(read_csv(forced.read_bytes())[1]) == 6


def test_campaign_option(app, runner, sample, tmp_path):
    path = tmp_path / "responses.csv"
    campaign_id = str(sample["campaign"].id)
    result = runner.invoke(args=["crm", "export", "responses", "-o", str(path), "--campaign", campaign_id])
    assert result.exit_code == 0 and result.output.startswith("Exported 5 responses")
    result = runner.invoke(args=["crm", "export", "people", "-o", str(path), "--campaign", campaign_id])
    assert result.output.startswith("Exported 8 people")


def test_unknown_campaign_exits_1_and_writes_nothing(app, runner, sample, tmp_path):
    path = tmp_path / "out.xlsx"
    result = runner.invoke(args=["crm", "export", "outreach", "-o", str(path), "--campaign", "999"])
    assert result.exit_code == 1
    assert "There is no campaign with id 999." in result.output
    assert not path.exists()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "export")) is None


def test_usage_errors_exit_2(app, runner, tmp_path):
    out = str(tmp_path / "x.xlsx")
    for args in (
        ["crm", "export", "contacts", "-o", out],
        ["crm", "export", "people"],
        ["crm", "export", "people", "-o", out, "--format", "ods"],
        ["crm", "export", "people", "-o", out, "--campaign", "abc"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        assert "Usage:" in result.output


def test_unwritable_destination_exits_1(app, runner, tmp_path):
    result = runner.invoke(args=["crm", "export", "people", "-o", str(tmp_path / "missing" / "x.csv")])
    assert result.exit_code == 1
    assert "Cannot write" in result.output


def test_every_export_is_audited(app, runner, sample, tmp_path):
    runner.invoke(args=["crm", "export", "people", "-o", str(tmp_path / "p.csv")])
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "export"))
    assert (entry.action, entry.actor_id, entry.entity_id) == ("people", None, 0)
    assert entry.changes["format"] == [None, "csv"]
    assert entry.changes["rows"] == [None, 9]
    assert entry.changes["filters"] == [None, {}]
    assert entry.changes["via"][1].startswith("command line (")


def test_export_template_command(app, runner, tmp_path):
    path = tmp_path / "template.xlsx"
    result = runner.invoke(args=["crm", "export-template", "-o", str(path)])
    assert result.exit_code == 0 and "template" in result.output
    assert openpyxl.load_workbook(path).sheetnames == ["People", "Notes", "Lists"]


def test_archived_records_are_left_out_unless_asked_for(app, runner, sample, tmp_path):
    from crm.contacts.people import set_archived

    set_archived(sample["bare"], True, actor=None)
    db.session.commit()
    path = str(tmp_path / "p.csv")
    assert runner.invoke(args=["crm", "export", "people", "-o", path]).output.startswith("Exported 8 people")
    result = runner.invoke(args=["crm", "export", "people", "-o", path, "--archived", "all"])
    assert result.output.startswith("Exported 9 people")


def test_list_option_exports_a_saved_lists_people(app, runner, sample, tmp_path):
    from crm.contacts.people import set_archived
    from crm.contacts.saved_lists import create_list
    from crm.contacts.search import PeopleFilter

    frozen = create_list(
        "Friends of the foundation", "frozen", PeopleFilter(organisation_id=sample["odf"].id), actor=None
    )
    live = create_list("Prisoners", "live", PeopleFilter(q="dzhakishev"), actor=None)
    db.session.commit()
    path = tmp_path / "list.csv"
    for chosen in ("friends of the FOUNDATION", str(frozen.id)):
        result = runner.invoke(args=["crm", "export", "people", "-o", str(path), "--list", chosen])
        assert result.exit_code == 0, result.output
        assert result.output == f"Exported 1 people to {path}\n"
        _, rows = read_csv(path.read_bytes())
        assert [row["Family name"] for row in rows] == ["Dzhakishev"]
    result = runner.invoke(args=["crm", "export", "people", "-o", str(path), "--list", "Prisoners"])
    assert result.exit_code == 0 and result.output.startswith("Exported 1 people")

    set_archived(sample["prisoner"], True, actor=None)
    db.session.commit()
    result = runner.invoke(args=["crm", "export", "people", "-o", str(path), "--list", "Prisoners"])
    assert result.output.startswith("Exported 0 people")  # as the list shows them: archived people left out
    result = runner.invoke(
        args=["crm", "export", "people", "-o", str(path), "--list", "Prisoners", "--archived", "all"]
    )
    assert result.output.startswith("Exported 1 people")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "export")).all()[-1]
    assert entry.changes["filters"][1] == {"archived": "all", "list_id": live.id}


def test_an_unknown_list_exits_1_and_a_list_of_anything_but_people_2(app, runner, sample, tmp_path):
    path = tmp_path / "out.xlsx"
    result = runner.invoke(args=["crm", "export", "people", "-o", str(path), "--list", "Nobody"])
    assert result.exit_code == 1 and "There is no saved list “Nobody”." in result.output
    assert not path.exists()
    result = runner.invoke(args=["crm", "export", "organisations", "-o", str(path), "--list", "Nobody"])
    assert result.exit_code == 2 and "--list is for people" in result.output
