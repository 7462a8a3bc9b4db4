"""Journey: a viewer opens the demo campaign's report, sees its figures and charts, and downloads it."""

from __future__ import annotations

from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.demo.loader import load_demo
from crm.extensions import db
from crm.reports.service import campaign_report


def test_viewer_opens_and_downloads_the_demo_campaign_report(app, page, sign_in, script_errors, tmp_path, artifacts):
    load_demo()
    db.session.commit()
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == "Free Mukhtar Dzhakishev"))
    expected = campaign_report(campaign.id).totals
    sign_in("viewer")

    page.goto(f"/campaigns/{campaign.id}")
    page.get_by_role("link", name="Report", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report: Free Mukhtar Dzhakishev")
    expect(page.locator('[data-figure="recipients"]')).to_have_text(str(expected.recipients))
    expect(page.locator('[data-figure="replied"]')).to_have_text(str(expected.replied))
    # Chart.js drew into the canvas: it sizes it and tags it with its own attribute.
    months = page.locator("canvas#chart-months")
    expect(months).to_be_visible()
    page.wait_for_function("() => !!Chart.getChart(document.getElementById('chart-months'))")
    assert months.bounding_box()["height"] > 100
    page.screenshot(path=artifacts / "report-demo-campaign.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .xlsx").click()
    path = tmp_path / "report.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(path)
    summary = dict(zip([c.value for c in book["Summary"][1]], [c.value for c in book["Summary"][2]], strict=True))
    assert summary["Campaign"] == "Free Mukhtar Dzhakishev"
    assert summary["Recipients"] == expected.recipients and summary["Replied"] == expected.replied
    assert "By political group" in book.sheetnames
    assert script_errors == []
