"""Report pages and downloads: viewers read them, anonymous visitors sign in first, workbooks hold numbers."""

from __future__ import annotations

import io
import json
import re

from openpyxl import load_workbook
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db


def _charts(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-charts">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_campaign_report_page(known, client, auth):
    auth.login("viewer")
    response = client.get(f"/reports/campaigns/{known['campaign_id']}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-figure="response-rate">67 %<' in html
    assert 'data-figure="median-days">25<' in html
    assert "Greens/EFA" in html and "A Adler" in html
    charts = _charts(html)
    assert charts["months"]["labels"] == ["Oct 2017", "Nov 2017", "Jan 2018", "May 2018"]
    assert charts["groups"] == {"labels": ["EPP", "Greens/EFA", "S&D"], "values": [100.0, 50.0, 50.0]}


def test_chart_data_cannot_break_out_of_its_script(known, client, auth):
    from crm.campaigns.models import Campaign

    db.session.get(Campaign, known["campaign_id"]).name = "</script><script>alert(1)</script>"
    db.session.commit()
    auth.login("viewer")
    html = client.get(f"/reports/campaigns/{known['campaign_id']}").get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_cross_campaign_and_scorecard_pages(known, client, auth):
    auth.login("viewer")
    overview = client.get("/reports/")
    assert overview.status_code == 200 and "Another case" in overview.get_data(as_text=True)
    card = client.get("/reports/scorecard?country=fr")
    assert card.status_code == 200
    html = card.get_data(as_text=True)
    assert "C Chevalier" in html and "A Adler" not in html


def test_anonymous_visitors_are_sent_to_sign_in(known, client):
    for url in ("/reports/", f"/reports/campaigns/{known['campaign_id']}", "/reports/scorecard", "/reports/all.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login"), url


def test_unknown_campaign_is_404(app, client, auth):
    auth.login("viewer")
    assert client.get("/reports/campaigns/999").status_code == 404


def test_campaign_workbook_has_a_sheet_per_table_with_numbers(known, client, auth):
    auth.login("viewer")
    response = client.get(f"/reports/campaigns/{known['campaign_id']}.xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=report-campaign-")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Summary", "By month", "By outreach kind", "By category", "By political group", "By country",
        "By organisation", "Supporters", "Open asks", "Awaiting reply",
    ]  # fmt: skip
    summary = book["Summary"]
    header = [cell.value for cell in summary[1]]
    values = dict(zip(header, [cell.value for cell in summary[2]], strict=True))
    assert values["Recipients"] == 6 and isinstance(values["Recipients"], int)
    assert abs(values["Response rate"] - 4 / 6) < 1e-12
    assert values["Median days to reply"] == 25
    assert summary.freeze_panes == "A2"
    groups = book["By political group"]
    rows = {row[0]: row[1:4] for row in groups.iter_rows(min_row=2, values_only=True)}
    assert rows["EPP"] == (2, 2, 1)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "export")).all()
    assert [(entry.action, entry.changes["campaign_id"][1]) for entry in audit] == [
        ("campaign report", known["campaign_id"])
    ]


def test_scorecard_and_overview_workbooks(known, client, auth):
    auth.login("viewer")
    card = load_workbook(io.BytesIO(client.get("/reports/scorecard.xlsx?country=DE").data))
    rows = list(card["Scorecard"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Name", "Category", "Country", "Political group", "Asked", "Answered")
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [("B Brandt", 2, 1), ("A Adler", 1, 1)]
    overview = load_workbook(io.BytesIO(client.get("/reports/all.xlsx").data))
    assert "By campaign" in overview.sheetnames
