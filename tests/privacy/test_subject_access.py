"""Subject access: one person's everything, as a workbook, JSON and a zip with the files."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from crm.audit.service import history
from crm.campaigns.members import add_members
from crm.errors import NotFound
from crm.privacy.subject_access import gather
from crm.privacy.subject_access_files import json_bytes, xlsx_bytes, zip_bytes


def test_everything_about_the_person_and_nobody_else(subject):
    add_members(subject.campaign, [subject.person.id], "target", actor=None, note="Asked by his family")
    add_members(subject.campaign, [subject.bystander.id], "target", actor=None)
    access = gather(subject.person.id).as_json()
    person = {row["field"]: row["value"] for row in access["person"]}
    assert person["Family name"] == "Dzhakishev" and person["Name in native script"] == "Мухтар Джакишев"
    assert person["Country"] == "Kazakhstan" and person["Tags"] == "energy, prisoner"
    assert access["contact_points"] == [
        {"kind": "email", "label": "", "value": "mukhtar@example.org", "primary": "yes"}
    ]
    assert [(r["organisation"], r["starts_on"]) for r in access["roles"]] == [("Kazatomprom", "1998-01-01")]
    assert [(c["campaign"], c["role"], c["note"]) for c in access["campaigns"]] == [
        (subject.campaign.name, "target", "Asked by his family")
    ]
    assert [(o["subject"], o["role"], o["reply_state"]) for o in access["outreach"]] == [
        ("Letter about Mukhtar Dzhakishev", "To / recipient", "Replied")
    ]
    assert [(r["summary"], r["action_taken"]) for r in access["replies"]] == [
        ("I was tortured", "Wrote to the minister")
    ]
    assert [a["filename"] for a in access["attachments"]] == ["reply.pdf"]
    assert {h["action"] for h in access["history"]} == {"create", "add role"}
    assert "aruzhan" not in json.dumps(access)


def test_an_unknown_person_is_not_found(app):
    with pytest.raises(NotFound):
        gather(999)


def test_the_workbook_has_a_sheet_per_section_and_no_formula(subject):
    book = load_workbook(io.BytesIO(xlsx_bytes(gather(subject.person.id))))
    assert book.sheetnames == [
        "Person",
        "Contact points",
        "Roles",
        "Campaigns",
        "Outreach",
        "Replies",
        "Attachments",
        "History",
    ]
    notes = next(row[1] for row in book["Person"].iter_rows(values_only=True) if row[0] == "Notes")
    assert notes == '\'=HYPERLINK("http://evil")'
    assert book["Replies"]["G2"].value == "I was tortured"


def test_the_zip_holds_both_files_and_the_attachments(subject):
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(gather(subject.person.id))))
    names = archive.namelist()
    assert {"README.txt", "subject-access.xlsx", "subject-access.json"} <= set(names)
    assert archive.read(f"attachments/{subject.attachment.id}-reply.pdf") == b"%PDF-1.4 his letter"
    assert json.loads(archive.read("subject-access.json"))["person_id"] == subject.person.id
    assert json.loads(json_bytes(gather(subject.person.id)))["replies"][0]["received_on"] == "2017-11-20"


def test_admins_download_it_from_the_person_page(subject, client, auth, staff):
    auth.login("admin")
    page = client.get(f"/contacts/people/{subject.person.id}").get_data(as_text=True)
    url = f"/privacy/people/{subject.person.id}/subject-access.zip"
    assert url in page and f"/privacy/people/{subject.person.id}/erase" in page
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "subject-access.xlsx" in zipfile.ZipFile(io.BytesIO(answer.get_data())).namelist()
    [entry] = [e for e in history("person", subject.person.id) if e.action == "subject access"]
    assert entry.actor_id == staff["admin"].id and entry.changes["via"] == [None, "web"]
    assert client.get("/privacy/people/999/subject-access.zip").status_code == 404


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_get_403(subject, client, auth, role):
    auth.login(role)
    page = client.get(f"/contacts/people/{subject.person.id}").get_data(as_text=True)
    assert "subject-access" not in page and "/erase" not in page
    assert client.get(f"/privacy/people/{subject.person.id}/subject-access.zip").status_code == 403


@pytest.mark.parametrize("suffix", ["xlsx", "json", "zip"])
def test_the_command_writes_the_format_its_file_is_named(subject, runner, tmp_path, suffix):
    target = tmp_path / f"mukhtar.{suffix}"
    result = runner.invoke(args=["crm", "subject-access", str(subject.person.id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o077 == 0
    data = target.read_bytes()
    if suffix == "json":
        assert json.loads(data)["contact_points"][0]["value"] == "mukhtar@example.org"
    elif suffix == "xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames[0] == "Person"
    else:
        assert "subject-access.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_the_command_refuses_an_unknown_person_or_file_type(subject, runner, tmp_path):
    result = runner.invoke(args=["crm", "subject-access", "999", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1 and "no person with id 999" in result.output
    result = runner.invoke(args=["crm", "subject-access", str(subject.person.id), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and ".xlsx" in result.output
    assert not (tmp_path / "x.json").exists()
