"""campaign_report(campaign_id): the figures of one campaign, or of all of them (None).

Plain functions over the statements in `queries`; they read only. See `figures` for what each
number means.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_, select

from crm.campaigns.models import Ask, Campaign
from crm.campaigns.overview import SUPPORTING_EFFECTS, SUPPORTING_ROLES
from crm.contacts.models import Person
from crm.contacts.values import country_name
from crm.errors import NotFound
from crm.exports.table import among
from crm.extensions import db
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.parties import display_name
from crm.outreach.queues import awaiting_replies
from crm.reports import queries
from crm.reports.figures import (
    AwaitingLine,
    Breakdown,
    BreakdownRow,
    CampaignReport,
    MonthRow,
    OpenAsk,
    ReplyStats,
    SupporterRow,
)
from crm.taxonomy.models import Category, ResponseOutcome
from crm.timeutil import today

CAMPAIGN_DIMENSIONS = ("kind", "category", "group", "country", "organisation")
AWAITING_LIMIT = 50


def breakdown(campaign_id: int | None, dimension: str) -> Breakdown:
    """Recipients, replies, delays and outcomes per value of one dimension, most recipients first."""
    rows: dict[object, BreakdownRow] = {}
    days: dict[object, list[tuple[int | None, int]]] = {}
    for key, label, days_to_reply, count in db.session.execute(
        queries.by_dimension(queries.recipients(campaign_id), "days", dimension)
    ):
        days.setdefault((key, label), []).append((days_to_reply, count))
    for value, histogram in days.items():
        rows[value] = BreakdownRow(_label(dimension, value[1]), ReplyStats.from_days(histogram))
    for key, label, effect, count in db.session.execute(
        queries.by_dimension(queries.responses(campaign_id), "effect", dimension)
    ):
        row = rows.setdefault((key, label), BreakdownRow(_label(dimension, label), ReplyStats()))
        row.stats.outcomes[effect if effect in row.stats.outcomes else "other"] += count
    ordered = sorted(rows.values(), key=lambda row: (-row.stats.recipients, -row.stats.responses, row.label))
    return Breakdown(dimension, queries.DIMENSIONS[dimension], ordered)


def _label(dimension: str, label: str) -> str:
    if dimension == "country":
        return country_name(label) or "Unknown"
    return label


def totals(campaign_id: int | None) -> ReplyStats:
    stats = ReplyStats.from_days(
        db.session.execute(queries.by_dimension(queries.recipients(campaign_id), "days", None))
    )
    for effect, count in db.session.execute(queries.by_dimension(queries.responses(campaign_id), "effect", None)):
        stats.outcomes[effect if effect in stats.outcomes else "other"] += count
    return stats


def months(campaign_id: int | None) -> tuple[list[str], list[MonthRow]]:
    by_month: dict[str, MonthRow] = {}
    kind_totals: dict[str, int] = {}
    for month, kind, count in db.session.execute(queries.outreach_by_month(campaign_id)):
        row = by_month.setdefault(month, MonthRow(month, {}, 0))
        row.by_kind[kind] = count
        kind_totals[kind] = kind_totals.get(kind, 0) + count
    for month, count in db.session.execute(queries.replies_by_month(campaign_id)):
        by_month.setdefault(month, MonthRow(month, {}, 0)).replies = count
    kinds = sorted(kind_totals, key=lambda kind: (-kind_totals[kind], kind))
    return kinds, [by_month[month] for month in sorted(by_month)]


def supporters(campaign_id: int | None) -> list[SupporterRow]:
    """Who signed or wrote outreach, and who replied that they acted or committed to act.

    The campaign page's rule (crm.campaigns.overview), counted in SQL: our own staff author
    outreach too and are not supporters."""
    campaign = [Outreach.campaign_id == campaign_id] if campaign_id is not None else []
    signed = func.sum(case((Participant.role == "signatory", 1), else_=0))
    wrote = func.sum(case((Participant.role == "from", 1), else_=0))
    by_role = (
        select(Participant.person_id, signed, wrote)
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .join(Person, Participant.person_id == Person.id)
        .where(
            Participant.role.in_(SUPPORTING_ROLES),
            Outreach.status != "draft",
            or_(Person.category_id.is_(None), Person.category_id != queries.staff_category()),
            *campaign,
        )
        .group_by(Participant.person_id)
    )
    acted = func.sum(case((ResponseOutcome.effect == "acted", 1), else_=0))
    committed = func.sum(case((ResponseOutcome.effect == "committed", 1), else_=0))
    by_reply = (
        select(Response.person_id, acted, committed)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .join(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(Response.person_id.is_not(None), ResponseOutcome.effect.in_(SUPPORTING_EFFECTS), *campaign)
        .group_by(Response.person_id)
    )
    counts: dict[int, list[int]] = {}
    for person_id, signed_count, wrote_count in db.session.execute(by_role):
        counts[person_id] = [int(signed_count), int(wrote_count), 0, 0]
    for person_id, acted_count, committed_count in db.session.execute(by_reply):
        counts.setdefault(person_id, [0, 0, 0, 0])[2:] = [int(acted_count), int(committed_count)]
    if not counts:
        return []
    people = db.session.execute(
        select(Person.id, Person.given_name, Person.patronymic, Person.family_name, Category.name, Person.country)
        .outerjoin(Category, Person.category_id == Category.id)
        .where(among(Person.id, list(counts)))
        .order_by(Person.sort_key, Person.id)
    )
    return [
        SupporterRow(
            person_id,
            display_name(given, patronymic, family),
            category or "",
            country_name(country),
            *counts[person_id],
        )
        for person_id, given, patronymic, family, category, country in people
    ]


def open_asks(campaign_id: int | None) -> list[OpenAsk]:
    statement = (
        select(Ask.campaign_id, Campaign.name, Ask.title, Ask.of_whom)
        .join(Campaign, Ask.campaign_id == Campaign.id)
        .where(Ask.status == "open")
        .order_by(Campaign.name, Ask.position, Ask.id)
    )
    if campaign_id is not None:
        statement = statement.where(Ask.campaign_id == campaign_id)
    return [OpenAsk(*row) for row in db.session.execute(statement)]


def campaign_report(campaign_id: int | None, *, as_of: date | None = None) -> CampaignReport:
    """Every figure of the report; with campaign_id None, across all outreach (the cross-campaign view)."""
    as_of = as_of or today()
    if campaign_id is None:
        title, dimensions = "All campaigns", (*CAMPAIGN_DIMENSIONS, "campaign")
    else:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"There is no campaign with id {campaign_id}.")
        title, dimensions = campaign.name, CAMPAIGN_DIMENSIONS
    kinds, month_rows = months(campaign_id)
    queue = awaiting_replies(limit=AWAITING_LIMIT, campaign_id=campaign_id, as_of=as_of)
    return CampaignReport(
        campaign_id=campaign_id,
        title=title,
        as_of=as_of,
        totals=totals(campaign_id),
        breakdowns=[breakdown(campaign_id, dimension) for dimension in dimensions],
        kinds=kinds,
        months=month_rows,
        supporters=supporters(campaign_id),
        open_asks=open_asks(campaign_id),
        awaiting=[_awaiting_line(participant) for participant in queue.items],
        awaiting_total=queue.total,
        awaiting_capped=queue.capped,
    )


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
