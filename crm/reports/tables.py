"""The reports as Tables, one per sheet: the same figures the page shows, numbers kept as numbers.

Rates are fractions (0.5 = 50 %) so that a spreadsheet can format and sum them; days are whole
numbers except a median between two middle values.
"""

from __future__ import annotations

from crm.reports.figures import BUCKET_LABELS, EFFECT_LABELS, EFFECTS, CampaignReport, ReplyStats, Scorecard
from crm.spreadsheets.table import DATE, NUMBER, Column, Table

STATS_COLUMNS = (
    Column("Recipients", NUMBER),
    Column("Replied", NUMBER),
    Column("Response rate", NUMBER),
    Column("Median days to reply", NUMBER),
    *(
        Column(f"Replied in {label} days" if label[0].isdigit() or label[0] == ">" else label, NUMBER)
        for label in BUCKET_LABELS
    ),
    Column("Responses", NUMBER),
    *(Column(EFFECT_LABELS[effect], NUMBER) for effect in EFFECTS),
)


def stats_cells(stats: ReplyStats) -> tuple:
    return (
        stats.recipients,
        stats.replied,
        stats.response_rate,
        stats.median_days,
        *(stats.buckets[label] for label in BUCKET_LABELS),
        stats.responses,
        *(stats.outcomes[effect] for effect in EFFECTS),
    )


TARGET_COLUMNS = (
    Column("Targets", NUMBER),
    Column("Targets asked", NUMBER),
    Column("Targets replied", NUMBER),
    Column("Target reply rate", NUMBER),
    Column("Supporters", NUMBER),
    Column("Supporters named by staff", NUMBER),
)


def target_cells(report: CampaignReport) -> tuple:
    targets = report.targets
    return (
        targets.targets,
        targets.asked,
        targets.replied,
        targets.reply_rate,
        report.supporters_total,
        report.named_supporters,
    )


def report_tables(report: CampaignReport) -> list[Table]:
    tables = [
        Table(
            "Summary",
            (Column("Campaign", max_width=60), Column("As of", DATE), *STATS_COLUMNS, *TARGET_COLUMNS),
            [(report.title, report.as_of, *stats_cells(report.totals), *target_cells(report))],
        ),
        Table(
            "By month",
            (
                Column("Month"),
                *(Column(kind, NUMBER) for kind in report.kinds),
                Column("Outreach", NUMBER),
                Column("Replies", NUMBER),
            ),
            [
                (row.month, *(row.by_kind.get(kind, 0) for kind in report.kinds), row.outreach, row.replies)
                for row in report.months
            ],
        ),
    ]
    for breakdown in report.breakdowns:
        tables.append(
            Table(
                f"By {breakdown.title.lower()}",
                (Column(breakdown.title, max_width=60), *STATS_COLUMNS),
                [(row.label, *stats_cells(row.stats)) for row in breakdown.rows],
            )
        )
    tables += [
        Table(
            "Supporters",
            (
                Column("Name"),
                Column("Category"),
                Column("Country"),
                Column("Signed", NUMBER),
                Column("Wrote", NUMBER),
                Column("Acted", NUMBER),
                Column("Committed", NUMBER),
                Column("Named by staff", NUMBER),
            ),
            [
                (s.name, s.category, s.country, s.signed, s.wrote, s.acted, s.committed, s.named)
                for s in report.supporters
            ],
        ),
        Table(
            "Open asks",
            (Column("Campaign"), Column("Ask", max_width=60), Column("Of whom")),
            [(ask.campaign, ask.title, ask.of_whom) for ask in report.open_asks],
        ),
        Table(
            "Awaiting reply",
            (
                Column("Outreach", max_width=60),
                Column("Kind"),
                Column("Sent on", DATE),
                Column("Reply due", DATE),
                Column("Recipient"),
            ),
            [(line.subject, line.kind, line.sent_on, line.due_on, line.party) for line in report.awaiting],
        ),
    ]
    return tables


def scorecard_tables(card: Scorecard) -> list[Table]:
    columns = (
        Column("Name"),
        Column("Category"),
        Column("Country"),
        Column("Political group"),
        Column("Asked", NUMBER),
        Column("Answered", NUMBER),
        Column("Response rate", NUMBER),
        Column("Acted", NUMBER),
        Column("Committed", NUMBER),
        Column("Median days to reply", NUMBER),
    )
    rows = [
        (
            r.name,
            r.category,
            r.country,
            r.group,
            r.asked,
            r.answered,
            r.response_rate,
            r.acted,
            r.committed,
            r.median_days,
        )
        for r in card.rows
    ]
    return [Table("Scorecard", columns, rows)]
