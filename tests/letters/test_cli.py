"""`flask crm letters`: exit codes, output, --json, --log."""

from __future__ import annotations

import json
import zipfile

from crm.extensions import db
from crm.outreach.models import Outreach
from tests.letters.helpers import spreadsheet_bytes


def _run(runner, *args):
    return runner.invoke(args=["crm", "letters", *map(str, args)])


def test_letters_for_the_campaigns_people(runner, demo, tmp_path):
    output = tmp_path / "out" / "letters.zip"
    result = _run(runner, "sample", "--campaign", demo.id, "-o", output, "--date", "2026-12-07", "--json")
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert outcome["letters"] >= 17 and outcome["outreach_id"] is None and outcome["zip"] == str(output)
    assert any(entry["why"] == "no postal address" for entry in outcome["left_out"])
    with zipfile.ZipFile(output) as archive:
        assert len([n for n in archive.namelist() if n[:3].isdigit()]) == outcome["letters"]


def test_filters_combine_and_log(runner, demo, tmp_path):
    runner.app.config["LETTERS_SOFFICE"] = "/nonexistent/soffice"  # says why there is no PDF, wherever it runs
    output = tmp_path / "letters.zip"
    result = _run(
        runner,
        "sample",
        "--campaign",
        demo.id,
        "--people",
        "category=mep",
        "--people",
        "country=EE",
        "-o",
        output,
        "--log",
    )
    assert result.exit_code == 0, result.output
    assert "3 letters" in result.output  # Kelam, Paet, Tarand
    assert "PDF needs LibreOffice" in result.output
    outreach = db.session.scalars(db.select(Outreach).where(Outreach.subject == "sample_letter.docx")).one()
    assert f"Logged as outreach #{outreach.id}." in result.output and outreach.recipient_count == 3


def test_refusals_are_one_line_with_their_exit_code(runner, demo, tmp_path):
    output = tmp_path / "letters.zip"
    unknown = _run(runner, "No such template", "--campaign", demo.id, "-o", output)
    assert unknown.exit_code == 1 and "no letter template called" in unknown.output
    campaign = _run(runner, "sample", "--campaign", 99999, "-o", output)
    assert campaign.exit_code == 1 and "no campaign with id 99999" in campaign.output
    bad_filter = _run(runner, "sample", "--campaign", demo.id, "--people", "colour=red", "-o", output)
    assert bad_filter.exit_code == 1 and "not a people-list filter" in bad_filter.output
    not_docx = tmp_path / "renamed.docx"
    not_docx.write_bytes(spreadsheet_bytes())
    refused = _run(runner, not_docx, "--campaign", demo.id, "-o", output)
    assert refused.exit_code == 2 and "a spreadsheet" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert not output.exists()
