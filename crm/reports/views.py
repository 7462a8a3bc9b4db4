"""Report screens and their .xlsx downloads; every signed-in user may read them.

Endpoints take no query arguments they need (the route audit builds URLs from fixed records):
the scorecard's filters are optional query arguments.
"""

from __future__ import annotations

import io

from flask import render_template, request, send_file
from flask_login import current_user

from crm.campaigns.models import Campaign
from crm.contacts.saved_lists import all_lists
from crm.exports.service import record_export
from crm.extensions import db
from crm.reports.blueprint import bp
from crm.reports.charts import report_charts
from crm.reports.figures import BUCKET_LABELS, EFFECT_LABELS, EFFECTS
from crm.reports.scorecard import ScorecardFilter, scorecard
from crm.reports.service import campaign_report, campaign_report_page
from crm.reports.tables import report_tables, scorecard_tables
from crm.spreadsheets import workbook
from crm.taxonomy.service import categories
from crm.timeutil import today

# The page lists this many supporters and scorecard lines; the workbook has them all.
PAGE_LIMIT = 300


def _report_page(campaign_id: int | None):
    served = campaign_report_page(campaign_id, supporters_limit=PAGE_LIMIT)
    report = served.report
    return render_template(
        "reports/campaign_report.html",
        report=report,
        served=served,
        charts=report_charts(report),
        limit=PAGE_LIMIT,
        bucket_labels=BUCKET_LABELS,
        effects=EFFECTS,
        effect_labels=EFFECT_LABELS,
    )


def _workbook(tables, kind: str, name: str, *, filters=None, campaign_id: int | None = None):
    data = workbook.workbook_bytes(tables)
    rows = sum(table.written for table in tables)
    record_export(
        kind,
        "xlsx",
        actor=current_user._get_current_object(),
        filters=filters,
        campaign_id=campaign_id,
        rows=rows,
        via="web",
    )
    db.session.commit()
    response = send_file(
        io.BytesIO(data),
        mimetype=workbook.MIMETYPE,
        as_attachment=True,
        download_name=f"{name}-{today().isoformat()}.xlsx",
    )
    response.headers["Cache-Control"] = "no-store"  # names of people: no caches on the way
    return response


@bp.route("/")
def overview():
    return _report_page(None)


@bp.route("/all.xlsx")
def overview_xlsx():
    return _workbook(report_tables(campaign_report(None)), "campaign report", "report-all-campaigns")


@bp.route("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    return _report_page(campaign_id)


@bp.route("/campaigns/<int:campaign_id>.xlsx")
def campaign_xlsx(campaign_id: int):
    report = campaign_report(campaign_id)
    return _workbook(
        report_tables(report), "campaign report", f"report-campaign-{campaign_id}", campaign_id=campaign_id
    )


@bp.route("/scorecard")
def scorecard_page():
    filters = ScorecardFilter.from_args(request.args)
    campaigns = db.session.execute(db.select(Campaign.id, Campaign.name).order_by(Campaign.name)).all()
    return render_template(
        "reports/scorecard.html",
        card=scorecard(filters),
        filters=filters,
        categories=categories(),
        campaigns=campaigns,
        saved_lists=all_lists(),
        limit=PAGE_LIMIT,
    )


@bp.route("/scorecard.xlsx")
def scorecard_xlsx():
    filters = ScorecardFilter.from_args(request.args)
    return _workbook(
        scorecard_tables(scorecard(filters)), "scorecard", "scorecard", filters=filters, campaign_id=filters.campaign_id
    )
