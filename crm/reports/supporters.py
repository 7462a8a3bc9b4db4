"""The supporters of a campaign report: who signed or wrote outreach, who replied that they acted, and
whom staff named its supporters (crm.campaigns.members), each person once."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select, union_all

from crm.campaigns.models import CampaignMember
from crm.campaigns.support import SUPPORTING_EFFECTS, SUPPORTING_ROLES
from crm.contacts.models import Person
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.parties import display_name
from crm.reports import queries
from crm.reports.figures import SupporterRow
from crm.sql.rows import rows_of
from crm.taxonomy.models import Category, ResponseOutcome
from crm.values import country_name


def supporters(campaign_id: int | None, *, limit: int | None = None) -> tuple[list[SupporterRow], int, int]:
    """Who signed or wrote outreach, who replied that they acted or committed to act, and whom staff
    named supporters: the first `limit` by name (all of them with None), how many there are, and how
    many of them staff named (a named supporter outreach also shows counts once).

    The campaign page's rule (crm.campaigns.support), counted in SQL: our own staff author
    outreach too and are not supporters, unless a reply of theirs says they acted. One statement
    counts them all and returns only the page, with the number of supporters beside each row: a
    big campaign has 20 000 signatories."""
    campaign = [Outreach.campaign_id == campaign_id] if campaign_id is not None else []
    by_role = (
        select(
            Participant.person_id,
            case((Participant.role == "signatory", 1), else_=0).label("signed"),
            case((Participant.role == "from", 1), else_=0).label("wrote"),
            literal(0).label("acted"),
            literal(0).label("committed"),
            literal(0).label("named"),
        )
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(
            Participant.role.in_(SUPPORTING_ROLES),
            Participant.person_id.is_not(None),
            Outreach.status != "draft",
            *campaign,
        )
    )
    by_reply = (
        select(
            Response.person_id,
            literal(0),
            literal(0),
            case((ResponseOutcome.effect == "acted", 1), else_=0),
            case((ResponseOutcome.effect == "committed", 1), else_=0),
            literal(0),
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .join(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(Response.person_id.is_not(None), ResponseOutcome.effect.in_(SUPPORTING_EFFECTS), *campaign)
    )
    by_name = select(CampaignMember.person_id, literal(0), literal(0), literal(0), literal(0), literal(1)).where(
        CampaignMember.role == "supporter"
    )
    if campaign_id is not None:
        by_name = by_name.where(CampaignMember.campaign_id == campaign_id)
    actions = union_all(by_role, by_reply, by_name).subquery("action")
    counts = (
        select(
            actions.c.person_id,
            *(func.sum(actions.c[name]).label(name) for name in ("signed", "wrote", "acted", "committed", "named")),
        )
        .group_by(actions.c.person_id)
        .subquery("counts")
    )
    # Staff are left out here rather than before counting, which would keep the planner off the index;
    # a staff member named a supporter by hand stays, as on the campaign page.
    staff = Person.category_id.is_not_distinct_from(queries.staff_category())
    page = (
        select(
            *queries.person_columns(),
            case((staff, 0), else_=counts.c.signed),
            case((staff, 0), else_=counts.c.wrote),
            counts.c.acted,
            counts.c.committed,
            counts.c.named,
            func.count().over(),
            func.sum(case((counts.c.named > 0, 1), else_=0)).over(),
        )
        .join(counts, counts.c.person_id == Person.id)
        .outerjoin(Category, Person.category_id == Category.id)
        .where(~and_(staff, counts.c.acted == 0, counts.c.committed == 0, counts.c.named == 0))
        .order_by(Person.sort_key, Person.id)
        .limit(limit)
    )
    rows = rows_of(page).all()
    return (
        [
            SupporterRow(
                person_id,
                display_name(given, patronymic, family),
                category or "",
                country_name(country),
                *(int(count) for count in action_counts),
            )
            for person_id, given, patronymic, family, category, country, *action_counts, _total, _named in rows
        ],
        (int(rows[0][-2]) if rows else 0),
        (int(rows[0][-1] or 0) if rows else 0),
    )
