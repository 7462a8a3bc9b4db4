"""`crm mail log FILE [--json]` and `crm mail fetch`: their output and exit codes."""

from __future__ import annotations

import json

from sqlalchemy import select

from crm.extensions import db
from crm.outreach.models import Participant
from tests.factories import make_outreach, make_person
from tests.mailbox.conftest import make_email


def _log(runner, path, *extra):
    return runner.invoke(args=["crm", "mail", "log", str(path), *extra])


def test_log_json_for_a_reply_then_a_duplicate(app, runner, tmp_path):
    mukhtar = make_person(emails=("mukhtar@example.org",))
    outreach = make_outreach("Parole hearing", to=[mukhtar])
    db.session.scalar(select(Participant)).message_id = "<ask@crm.example.org>"
    db.session.commit()
    path = tmp_path / "reply.eml"
    path.write_bytes(make_email(in_reply_to="<ask@crm.example.org>"))
    first = _log(runner, path, "--json")
    assert first.exit_code == 0, first.output
    filed = json.loads(first.stdout)
    assert set(filed) == {"status", "outreach_id", "response_id", "people"}
    assert filed["status"] == "reply" and filed["outreach_id"] == outreach.id and filed["people"] == [mukhtar.id]
    assert isinstance(filed["response_id"], int)
    again = _log(runner, path, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["status"] == "duplicate"


def test_log_json_for_triage_and_outreach(app, runner, staff, tmp_path):
    make_person(emails=("mukhtar@example.org",))
    unknown, ours = tmp_path / "unknown.eml", tmp_path / "ours.eml"
    unknown.write_bytes(make_email(sender="stranger@example.net", message_id="<u@x>"))
    ours.write_bytes(make_email(sender="editor@example.org", to="mukhtar@example.org", message_id="<o@x>"))
    triaged = json.loads(_log(runner, unknown, "--json").stdout)
    assert triaged == {"status": "triage", "outreach_id": None, "response_id": None, "people": []}
    logged = json.loads(_log(runner, ours, "--json").stdout)
    assert logged["status"] == "outreach" and logged["response_id"] is None


def test_log_without_json_says_what_happened(app, runner, tmp_path):
    path = tmp_path / "unknown.eml"
    path.write_bytes(make_email(sender="stranger@example.net"))
    answer = _log(runner, path)
    assert answer.exit_code == 0 and "triage list" in answer.output


def test_a_file_that_is_not_an_email_exits_2_with_one_line(app, runner, tmp_path):
    for name, content in (("scan.pdf", b"%PDF-1.4 x"), ("reply.msg", b"not outlook"), ("empty.eml", b"")):
        path = tmp_path / name
        path.write_bytes(content)
        answer = _log(runner, path, "--json")
        assert answer.exit_code == 2, (name, answer.output)
        assert answer.stdout == "" and len(answer.stderr.strip().splitlines()) == 1
        assert "Traceback" not in answer.stderr


def test_fetch_without_a_mailbox_says_so(app, runner):
    app.config["IMAP_URL"] = ""
    answer = runner.invoke(args=["crm", "mail", "fetch"])
    assert answer.exit_code == 1 and "CRM_IMAP_URL" in answer.stderr
