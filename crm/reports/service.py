"""campaign_report(campaign_id): the figures of one campaign, or of all of them (None).

Plain functions over the statements in `queries`; they read only. See `figures` for what each
number means.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.campaigns.models import Ask, Campaign
from crm.errors import NotFound
from crm.extensions import db
from crm.outreach.campaign_targets import target_counts
from crm.outreach.models import Participant
from crm.outreach.queues import awaiting_replies
from crm.reports import queries
from crm.reports.breakdowns import ORGANISATIONS, Tally, held_ids
from crm.reports.cache import Served, cached, report_kind, served
from crm.reports.figures import (
    AwaitingLine,
    Breakdown,
    CampaignReport,
    MonthRow,
    OpenAsk,
    ReplyStats,
)
from crm.reports.supporters import supporters
from crm.sql.rows import rows_of
from crm.taxonomy.models import Category, OutreachKind
from crm.timeutil import today
from crm.values import country_name

CAMPAIGN_DIMENSIONS = ("kind", "category", "group", "country", "organisation")
AWAITING_LIMIT = 50


def figures(campaign_id: int | None, dimensions: tuple[str, ...]) -> tuple[ReplyStats, list[Breakdown]]:
    """The totals and the breakdowns by `dimensions`, from four statements (see `breakdowns`)."""
    recipients = rows_of(queries.recipient_counts(campaign_id)).all()
    answers = rows_of(queries.response_counts(campaign_id)).all()
    recipient_roles = rows_of(queries.recipient_roles(campaign_id)).all()
    response_roles = rows_of(queries.response_roles(campaign_id)).all()
    organisation_ids = {row[3] for row in (*recipients, *answers) if row[3] is not None}
    for row in (*recipient_roles, *response_roles):
        organisation_ids |= held_ids(row[0])
    organisations = {row[0]: row[1:] for row in rows_of(queries.organisations(sorted(organisation_ids)))}
    groups = {organisation_id for organisation_id, (*_names, is_group) in organisations.items() if is_group}
    tally = Tally()
    tally.add_recipients(recipients)
    tally.add_responses(answers)
    tally.add_recipient_roles(recipient_roles, groups)
    tally.add_response_roles(response_roles, groups)
    labels = _labels(organisations)
    breakdowns = [
        tally.breakdown(dimension, queries.DIMENSIONS[dimension], labels[dimension]) for dimension in dimensions
    ]
    return tally.stats("total", None), breakdowns


def _labels(organisations: dict[int, tuple]) -> dict:
    """Per dimension, key -> row label."""
    kinds = dict(rows_of(select(OutreachKind.id, OutreachKind.name)).all())
    categories = dict(rows_of(select(Category.id, Category.name)).all())
    campaigns = dict(rows_of(select(Campaign.id, Campaign.name)).all())

    def group(key):
        if key is None:
            return "No group"
        name, short_name, _is_group = organisations[key]
        return short_name or name

    return {
        "kind": kinds.__getitem__,
        "category": lambda key: "Organisations" if key == ORGANISATIONS else categories.get(key, "No category"),
        "group": group,
        "country": lambda key: country_name(key) or "Unknown",
        "organisation": lambda key: organisations[key][0] if key is not None else "No organisation",
        "campaign": lambda key: campaigns.get(key, "No campaign"),
    }


def months(campaign_id: int | None) -> tuple[list[str], list[MonthRow]]:
    by_month: dict[str, MonthRow] = {}
    kind_totals: dict[str, int] = {}
    for month, kind, count in rows_of(queries.outreach_by_month(campaign_id)):
        row = by_month.setdefault(month, MonthRow(month, {}, 0))
        row.by_kind[kind] = count
        kind_totals[kind] = kind_totals.get(kind, 0) + count
    for month, count in rows_of(queries.replies_by_month(campaign_id)):
        by_month.setdefault(month, MonthRow(month, {}, 0)).replies = count
    kinds = sorted(kind_totals, key=lambda kind: (-kind_totals[kind], kind))
    return kinds, [by_month[month] for month in sorted(by_month)]


def open_asks(campaign_id: int | None) -> list[OpenAsk]:
    statement = (
        select(Ask.campaign_id, Campaign.name, Ask.title, Ask.of_whom)
        .join(Campaign, Ask.campaign_id == Campaign.id)
        .where(Ask.status == "open")
        .order_by(Campaign.name, Ask.position, Ask.id)
    )
    if campaign_id is not None:
        statement = statement.where(Ask.campaign_id == campaign_id)
    return [OpenAsk(*row) for row in rows_of(statement)]


def campaign_report(
    campaign_id: int | None, *, as_of: date | None = None, supporters_limit: int | None = None
) -> CampaignReport:
    """Every figure of the report; with campaign_id None, across all outreach (the cross-campaign view).
    The supporters are the first `supporters_limit` by name (all with None); their number is all of them.

    Built again only when report data has changed since the last time (see `cache`)."""
    return cached(CAMPAIGN_REPORT, campaign_id, supporters_limit, day=as_of or today())


def campaign_report_page(campaign_id: int | None, *, supporters_limit: int) -> Served[CampaignReport]:
    """The report for its page, which may show the figures as they were, yesterday's included, while
    new ones are counted (see `cache.served`)."""
    return served(CAMPAIGN_REPORT, campaign_id, supporters_limit, day=today())


def build_report(campaign_id: int | None, as_of: date, supporters_limit: int | None) -> CampaignReport:
    if campaign_id is None:
        title, dimensions = "All campaigns", (*CAMPAIGN_DIMENSIONS, "campaign")
    else:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"There is no campaign with id {campaign_id}.")
        title, dimensions = campaign.name, CAMPAIGN_DIMENSIONS
    totals, breakdowns = figures(campaign_id, dimensions)
    kinds, month_rows = months(campaign_id)
    supporter_rows, supporters_total, named_supporters = supporters(campaign_id, limit=supporters_limit)
    queue = awaiting_replies(limit=AWAITING_LIMIT, campaign_id=campaign_id, as_of=as_of)
    return CampaignReport(
        campaign_id=campaign_id,
        title=title,
        as_of=as_of,
        totals=totals,
        breakdowns=breakdowns,
        kinds=kinds,
        months=month_rows,
        supporters=supporter_rows,
        supporters_total=supporters_total,
        open_asks=open_asks(campaign_id),
        awaiting=[_awaiting_line(participant) for participant in queue.items],
        awaiting_total=queue.total,
        awaiting_capped=queue.capped,
        targets=target_counts(campaign_id),
        named_supporters=named_supporters,
    )


def _build_kept(campaign_id: int | None, supporters_limit: int | None, *, day: date) -> CampaignReport:
    return build_report(campaign_id, day, supporters_limit)


# Kept in the database (see `cache`); a page and a service asking for the same day share it. The name
# changes with the report's shape, so that a report kept before (without targets) is not read back.
CAMPAIGN_REPORT = report_kind("campaign report 2", CampaignReport, _build_kept)


def _awaiting_line(participant: Participant) -> AwaitingLine:
    outreach = participant.outreach
    return AwaitingLine(
        outreach_id=outreach.id,
        subject=outreach.subject,
        kind=outreach.kind.name,
        sent_on=outreach.sent_on,
        due_on=participant.reply_due_on,
        party=participant.party_name,
        person_id=participant.person_id,
        organisation_id=participant.organisation_id,
    )
