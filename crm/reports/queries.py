"""The SQL behind the reports: every figure is a GROUP BY in the database, never a loop over rows.

Two row sources feed the breakdowns: `recipients` (one row per recipient of sent outreach, with the
days to the first reply or NULL) and `responses` (one row per response, with its outcome's effect).
Each breakdown joins a source to one dimension and groups by (dimension value, days) or (value,
effect); the rows that come back number values × distinct days, so the medians are exact and
computed in Python from those histograms (SQLite has no percentile function).

Political group and organisation are those the person belonged to when the outreach was sent
(a role whose dates cover the sent date): an MEP asked in 2017 counts with their 2017 group even
after the 2019 election. Someone in two organisations that day counts in both rows.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, and_, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.sql import ColumnElement, Subquery

from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person, Role
from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Outreach, Participant, Response
from crm.taxonomy.models import Category, OrganisationType, OutreachKind, ResponseOutcome

GROUP_TYPE = "political_group"
DIMENSIONS = {
    "kind": "Outreach kind",
    "category": "Category",
    "group": "Political group",
    "country": "Country",
    "organisation": "Organisation",
    "campaign": "Campaign",
}


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def days_between(later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
    if _dialect() == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return type_coerce(later - earlier, Integer)  # date - date is a whole number of days in PostgreSQL


def month_of(column: ColumnElement) -> ColumnElement:
    if _dialect() == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def sent_outreach(campaign_id: int | None) -> list[ColumnElement]:
    conditions = [Outreach.status != "draft", Outreach.sent_on.is_not(None)]
    if campaign_id is not None:
        conditions.append(Outreach.campaign_id == campaign_id)
    return conditions


def recipients(campaign_id: int | None, *, people_only: bool = False) -> Subquery:
    statement = (
        select(
            Participant.person_id,
            Participant.organisation_id,
            Outreach.kind_id,
            Outreach.sent_on,
            Outreach.campaign_id,
            days_between(Participant.replied_on, Outreach.sent_on).label("days"),
        )
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(Participant.role.in_(REPLY_ROLES), *sent_outreach(campaign_id))
    )
    if people_only:
        statement = statement.where(Participant.person_id.is_not(None))
    return statement.subquery("recipient")


def responses(campaign_id: int | None) -> Subquery:
    conditions = [Outreach.status != "draft"]
    if campaign_id is not None:
        conditions.append(Outreach.campaign_id == campaign_id)
    return (
        select(
            Response.person_id,
            Response.organisation_id,
            Outreach.kind_id,
            Outreach.sent_on,
            Outreach.campaign_id,
            ResponseOutcome.effect,
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(*conditions)
        .subquery("answer")
    )


def _roles_held(source: Subquery, *, groups: bool) -> Subquery:
    """Roles in political groups (or in other organisations), to join on the person and the sent date."""
    is_group = OrganisationType.code == GROUP_TYPE
    return (
        select(Role.person_id, Role.organisation_id, Role.starts_on, Role.ends_on)
        .join(Organisation, Role.organisation_id == Organisation.id)
        .outerjoin(OrganisationType, Organisation.type_id == OrganisationType.id)
        .where(is_group if groups else or_(OrganisationType.code.is_(None), ~is_group))
        .subquery("group_role" if groups else "member_role")
    )


def _held_on(roles: Subquery, source: Subquery) -> ColumnElement[bool]:
    return and_(
        roles.c.person_id == source.c.person_id,
        or_(roles.c.starts_on.is_(None), roles.c.starts_on <= source.c.sent_on),
        or_(roles.c.ends_on.is_(None), roles.c.ends_on >= source.c.sent_on),
    )


def _dimension(source: Subquery, dimension: str) -> tuple[ColumnElement, ColumnElement, object]:
    """(key, label, FROM clause) of one breakdown over a row source."""
    if dimension == "kind":
        joined = source.join(OutreachKind, OutreachKind.id == source.c.kind_id)
        return OutreachKind.id, OutreachKind.name, joined
    if dimension == "category":
        joined = source.outerjoin(Person, Person.id == source.c.person_id).outerjoin(
            Category, Category.id == Person.category_id
        )
        label = case((source.c.person_id.is_(None), "Organisations"), else_=func.coalesce(Category.name, "No category"))
        return Category.id, label, joined
    if dimension == "country":
        joined = source.outerjoin(Person, Person.id == source.c.person_id).outerjoin(
            Organisation, Organisation.id == source.c.organisation_id
        )
        country = func.coalesce(Person.country, Organisation.country, "")
        return country, country, joined
    if dimension == "group":
        roles = _roles_held(source, groups=True)
        joined = source.outerjoin(roles, _held_on(roles, source)).outerjoin(
            Organisation, Organisation.id == roles.c.organisation_id
        )
        name = case((Organisation.short_name != "", Organisation.short_name), else_=Organisation.name)
        return Organisation.id, func.coalesce(name, "No group"), joined
    if dimension == "organisation":
        roles = _roles_held(source, groups=False)
        organisation_id = func.coalesce(source.c.organisation_id, roles.c.organisation_id)
        joined = source.outerjoin(roles, _held_on(roles, source)).outerjoin(
            Organisation, Organisation.id == organisation_id
        )
        return Organisation.id, func.coalesce(Organisation.name, "No organisation"), joined
    if dimension == "campaign":
        joined = source.outerjoin(Campaign, Campaign.id == source.c.campaign_id)
        return Campaign.id, func.coalesce(Campaign.name, "No campaign"), joined
    raise ValueError(f"unknown dimension {dimension!r}")


def by_dimension(source: Subquery, measure: str, dimension: str | None) -> Select:
    """(key, label, measure, count) rows; with no dimension, (measure, count) over the whole source."""
    column = source.c[measure]
    if dimension is None:
        return select(column, func.count()).group_by(column)
    key, label, joined = _dimension(source, dimension)
    return select(key, label, column, func.count()).select_from(joined).group_by(key, label, column)


def outreach_by_month(campaign_id: int | None) -> Select:
    month = month_of(Outreach.sent_on)
    return (
        select(month, OutreachKind.name, func.count())
        .join(OutreachKind, Outreach.kind_id == OutreachKind.id)
        .where(*sent_outreach(campaign_id))
        .group_by(month, OutreachKind.name)
    )


def replies_by_month(campaign_id: int | None) -> Select:
    month = month_of(Response.received_on)
    conditions = [Outreach.status != "draft"]
    if campaign_id is not None:
        conditions.append(Outreach.campaign_id == campaign_id)
    return (
        select(month, func.count())
        .join(Outreach, Response.outreach_id == Outreach.id)
        .where(*conditions)
        .group_by(month)
    )


def median_by_person(source: Subquery) -> Subquery:
    """Each person's median days to reply, by window functions: at most two rows per person reach Python."""
    ranked = (
        select(
            source.c.person_id,
            source.c.days,
            func.row_number().over(partition_by=source.c.person_id, order_by=source.c.days).label("position"),
            func.count().over(partition_by=source.c.person_id).label("replies"),
        )
        .where(source.c.days.is_not(None))
        .subquery("ranked")
    )
    middle = or_(ranked.c.position == (ranked.c.replies + 1) // 2, ranked.c.position == (ranked.c.replies + 2) // 2)
    return (
        select(ranked.c.person_id, func.avg(type_coerce(ranked.c.days, Integer) * literal(1.0)).label("median"))
        .where(middle)
        .group_by(ranked.c.person_id)
        .subquery("median")
    )


def staff_category() -> Select:
    return select(Category.id).where(Category.code == "foundation_staff").scalar_subquery()
