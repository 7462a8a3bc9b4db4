"""Downloads: who may, what comes out, the audit entry, the template."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.contacts.sheet_fields import FIELDS
from crm.extensions import db
from crm.timeutil import today
from tests.exports.conftest import read_csv, read_xlsx


def test_anonymous_visitors_are_sent_to_login(client, sample):
    for url in ("/export/people.xlsx", "/export/people.csv", "/export/outreach.csv", "/export/template.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login"), url


def test_a_viewer_downloads_the_list_with_its_filters(client, auth, sample):
    auth.login("viewer")
    response = client.get("/export/people.xlsx?country=KZ&page=3")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f'attachment; filename="people-{today().isoformat()}.xlsx"'
    assert response.headers["Cache-Control"] == "no-store"
    _, _, rows = read_xlsx(response.get_data())
    assert [row["Family name"].value for row in rows] == ["Dzhakishev"]


def test_csv_download_and_its_audit_entry(client, auth, sample, staff):
    auth.login("viewer")
    response = client.get("/export/people.csv?q=zdechovsky")
    assert response.mimetype == "text/csv"
    _, rows = read_csv(response.get_data())
    assert [row["Family name"] for row in rows] == ["Zdechovský"]
    response.close()
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "export"))
    assert (entry.action, entry.actor_id) == ("people", staff["viewer"].id)
    assert entry.changes["rows"] == [None, 1]
    assert entry.changes["filters"] == [None, {"q": "zdechovsky"}]
    assert entry.changes["via"] == [None, "web"]
    assert "complete" not in entry.changes


def test_every_list_downloads_in_both_formats(client, auth, sample):
    auth.login("editor")
    expected = {"people": 9, "organisations": 9, "outreach": 6, "responses": 5}
    for kind, count in expected.items():
        _, rows = read_csv(client.get(f"/export/{kind}.csv").get_data())
        assert len(rows) == count, kind
        _, _, rows = read_xlsx(client.get(f"/export/{kind}.xlsx").get_data())
        assert len(rows) == count, kind


def test_campaign_and_list_filters_in_the_query_string(client, auth, sample):
    auth.login("viewer")
    campaign_id, other_id = sample["campaign"].id, sample["other_campaign"].id
    _, rows = read_csv(client.get(f"/export/outreach.csv?campaign_id={other_id}").get_data())
    assert [row["Subject"] for row in rows] == ["Email to B"]
    _, rows = read_csv(client.get(f"/export/outreach.csv?campaign_id={campaign_id}&q=prosecutor").get_data())
    assert [row["Subject"] for row in rows] == ["Letter to the Prosecutor General"]
    assert read_csv(client.get(f"/export/outreach.csv?campaign_id={other_id}&q=prosecutor").get_data())[1] == []
    _, rows = read_csv(client.get(f"/export/people.csv?campaign_id={campaign_id}&sort=-name").get_data())
    assert [row["Family name"] for row in rows] == [
        "Zdechovský", "Fijalkowski", "Ewa", "Dzhakishev", "Dupont", "Chevalier", "Brandt", "Adler"
    ]  # fmt: skip
    _, rows = read_csv(client.get("/export/organisations.csv?q=kazatom").get_data())
    assert [row["Name"] for row in rows] == ["Kazatomprom"]
    assert client.get("/export/people.csv?campaign_id=999").status_code == 404


def test_an_abandoned_download_is_audited_as_incomplete(client, auth, sample):
    auth.login("viewer")
    response = client.get("/export/people.csv", buffered=False)
    next(response.response)  # the header only, then the browser goes away
    response.close()
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "export"))
    assert entry.changes["complete"] == [None, False]


def test_the_urls_the_list_pages_link_to(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("exports.people_xlsx", q="x", country="CZ") == "/export/people.xlsx?q=x&country=CZ"
        assert url_for("exports.people_csv") == "/export/people.csv"
        assert url_for("exports.organisations_xlsx") == "/export/organisations.xlsx"
        assert url_for("exports.outreach_csv", status="sent") == "/export/outreach.csv?status=sent"
        assert url_for("exports.responses_csv", campaign_id=3) == "/export/responses.csv?campaign_id=3"
        assert url_for("exports.template") == "/export/template.xlsx"


def test_import_template(client, auth, sample):
    auth.login("viewer")
    response = client.get("/export/template.xlsx")
    assert response.status_code == 200
    assert "people-import-template.xlsx" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["People", "Notes", "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    people = workbook["People"]
    assert [cell.value for cell in people[1]] == [field.label for field in FIELDS]
    assert people.freeze_panes == "A2"
    assert people["A1"].comment.text == FIELDS[0].help
    notes = {row[0].value: row[1].value for row in workbook["Notes"].iter_rows(min_row=2)}
    assert notes == {field.label: field.help for field in FIELDS}

    validations = {str(v.sqref): v for v in people.data_validations.dataValidation}
    column = {field.key: openpyxl.utils.get_column_letter(index + 1) for index, field in enumerate(FIELDS)}
    lists = workbook["Lists"]

    def offered(key: str) -> list[str]:
        validation = validations[f"{column[key]}2:{column[key]}1048576"]
        assert validation.type == "list"
        sheet_range = validation.formula1.split("!")[1].replace("$", "")
        return [cell.value for (cell,) in lists[sheet_range]]

    assert "MEP" in offered("category") and "Political prisoner" in offered("category")
    countries = offered("country")
    assert len(countries) == 249 and "Kazakhstan" in countries
    assert offered("political_group") == ["EPP", "Greens/EFA", "S&D"]  # the groups in the database
    assert offered("lawful_basis")[:2] == ["Consent", "Legitimate interests"]


def test_the_people_list_offers_its_own_search_for_export(client, auth):
    auth.login("viewer")
    page = client.get("/contacts/people?q=zdechovsky&country=CZ&page=2").get_data(as_text=True)
    link = re.search(r'href="(/export/people\.xlsx\?[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "q=zdechovsky" in link and "country=CZ" in link and "page=" not in link
    assert client.get(link).status_code == 200
