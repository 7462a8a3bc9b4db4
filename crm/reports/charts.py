"""What the charts draw, as plain JSON-ready values; static/reports.js only reads this."""

from __future__ import annotations

from crm.display import format_month
from crm.reports.figures import EFFECT_LABELS, EFFECTS, CampaignReport

# The chart of rates by political group leaves out groups too small to say anything.
MIN_RECIPIENTS_FOR_RATE = 1


def report_charts(report: CampaignReport) -> dict:
    groups = next((b for b in report.breakdowns if b.key == "group"), None)
    group_rows = [row for row in (groups.rows if groups else []) if row.stats.recipients >= MIN_RECIPIENTS_FOR_RATE]
    return {
        "months": {
            "labels": [format_month(row.month) for row in report.months],
            "series": [
                {"label": kind, "values": [row.by_kind.get(kind, 0) for row in report.months]} for kind in report.kinds
            ],
            "replies": [row.replies for row in report.months],
        },
        "outcomes": {
            "labels": [EFFECT_LABELS[effect] for effect in EFFECTS],
            "values": [report.totals.outcomes[effect] for effect in EFFECTS],
        },
        "delays": {
            "labels": list(report.totals.buckets),
            "values": list(report.totals.buckets.values()),
        },
        "groups": {
            "labels": [row.label for row in group_rows],
            "values": [round(100 * row.stats.response_rate, 1) for row in group_rows],
        },
    }
