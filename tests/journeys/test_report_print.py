"""The print view of a report fits A4 portrait: wide tables wrap, charts shrink, nothing is cut off.

Measured the way Chromium prints: print styles on, the page as wide as A4's printable width (210 mm
less the 10 mm margins of reports.css's @page, 718 px at 96 dpi). Each report is also printed to a PDF
(test-artifacts/) for a person to look at."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from crm.campaigns.models import Campaign
from crm.demo.loader import load_demo
from crm.extensions import db
from tests.factories import make_outreach, make_person

A4_PRINTABLE = 718  # px: (210 mm - 2 × 10 mm) / 25.4 × 96
A4_POINTS = (595, 842)  # the PDF's page, portrait
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")

# Elements whose right edge passes the printable width, or tables whose content is wider than their box.
OVERFLOW = """width => {
  const wide = [];
  for (const element of document.querySelectorAll('main *')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1) wide.push(`${element.tagName.toLowerCase()}#${element.id}.${element.className} ends at ${Math.round(box.right)}`);
  }
  for (const table of document.querySelectorAll('main table')) {
    const box = table.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) wide.push(`table#${table.id} is ${box.scrollWidth} px in ${box.clientWidth}`);
  }
  return wide;
}"""


@pytest.fixture
def demo_report(app):
    load_demo()
    # Outreach of many kinds makes the month table as wide as it gets: a column per kind.
    mukhtar = make_person("Dzhakishev-Longname-Without-Breaks", "Mukhtar")
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == "Free Mukhtar Dzhakishev"))
    for kind in ("letter", "email", "meeting", "call", "written_question", "joint_letter", "public_statement"):
        make_outreach(f"A {kind}", kind=kind, to=[mukhtar], campaign_id=campaign.id)
    db.session.commit()
    return campaign


@pytest.mark.parametrize("path", ["/reports/campaigns/{id}", "/reports/", "/reports/scorecard"])
def test_a_report_prints_on_a4_portrait_with_nothing_cut_off(page, sign_in, demo_report, artifacts, path):
    sign_in("viewer")
    url = path.format(id=demo_report.id)
    page.set_viewport_size({"width": A4_PRINTABLE, "height": 1000})
    page.emulate_media(media="print")
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("canvas").count():
        page.wait_for_function("() => [...document.querySelectorAll('canvas')].every(c => Chart.getChart(c))")

    wide = page.evaluate(OVERFLOW, A4_PRINTABLE)
    assert not wide, f"{len(wide)} elements pass the printable width of A4:\n" + "\n".join(wide[:25])
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_PRINTABLE, "the page scrolls sideways"
    assert page.locator("nav.navbar").is_hidden() and page.locator("main .btn").evaluate_all(
        "buttons => buttons.every(b => !b.offsetParent)"
    ), "buttons and the menu are not printed"

    name = "print-" + (url.strip("/").replace("/", "-") or "reports")
    pdf = artifacts / f"{name}.pdf"
    page.pdf(path=pdf, prefer_css_page_size=True)
    boxes = MEDIA_BOX.findall(pdf.read_bytes())  # one per page, as Chromium writes them
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {A4_POINTS}
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)  # the print layout, for a person to look at
