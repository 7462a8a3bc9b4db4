"""The SQL behind the reports: every count is made by a GROUP BY in the database, never a loop over rows.

Two row sources feed the breakdowns: the recipients of sent outreach (with the days to the first
reply, or NULL) and the responses (with their outcome's effect). Each is read once, grouped by all
the breakdowns' dimensions together (`recipient_counts`, `response_counts`), and once more for the
roles held on the sent date (`recipient_roles`, `response_roles`); crm.reports.breakdowns adds the
rows up per breakdown. The rows that come back number combinations × distinct days, so the medians
are exact and computed in Python from those histograms (SQLite has no percentile function).

Political group and organisation are those the person belonged to when the outreach was sent
(a role whose dates cover the sent date): an MEP asked in 2017 counts with their 2017 group even
after the 2019 election. Someone in two organisations that day counts in both rows.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, String, and_, cast, func, join, literal, or_, select, type_coerce
from sqlalchemy.sql import ColumnElement, Subquery

from crm.contacts.models import Organisation, Person, Role
from crm.extensions import db
from crm.outreach.models import REPLY_ROLES, Outreach, Participant, Response
from crm.sql.rows import among
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


def person_columns() -> tuple[ColumnElement, ...]:
    """A listed person's columns, in the order the scorecard's and the supporters' rows take them
    (id, the name parts display_name joins, category, country); the query joins Category."""
    return (Person.id, Person.given_name, Person.patronymic, Person.family_name, Category.name, Person.country)


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
    """One row per recipient of sent outreach, with the days to reply or NULL (the scorecard's source)."""
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


def _held_on(person_id: ColumnElement, sent_on: ColumnElement) -> ColumnElement[bool]:
    return and_(
        Role.person_id == person_id,
        or_(Role.starts_on.is_(None), Role.starts_on <= sent_on),
        or_(Role.ends_on.is_(None), Role.ends_on >= sent_on),
    )


def _held_key(source, row_id: ColumnElement, person_id: ColumnElement, measure, *extra) -> Select:
    """(organisations held, measure, *extra) per row of `source` whose person held a role on the sent date.

    The ids are joined with commas (in any order) so that one row per source row comes out and
    the caller can count someone in two groups in both, and knows how many rows had none."""
    held = func.aggregate_strings(cast(Role.organisation_id, String), ",")
    return (
        select(row_id.label("row_id"), held.label("held"), measure.label("measure"), *extra)
        .select_from(source)
        .join(Role, _held_on(person_id, Outreach.sent_on))
        .group_by(row_id, measure, *extra)
    )


def _grouped(inner: Select) -> Select:
    rows = inner.subquery("held_row")
    keys = [column for column in rows.c if column.key != "row_id"]
    return select(*keys, func.count()).group_by(*keys)


def recipient_counts(campaign_id: int | None) -> Select:
    """Recipients counted by every dimension at once: (campaign, kind, is a person, organisation
    recipient, category, country, days to reply or None, count). Each breakdown sums these rows."""
    days = days_between(Participant.replied_on, Outreach.sent_on)
    keys = (
        Outreach.campaign_id,
        Outreach.kind_id,
        Participant.person_id.is_not(None),
        Participant.organisation_id,
        Person.category_id,
        func.coalesce(Person.country, Organisation.country, ""),
        days,
    )
    return (
        select(*keys, func.count())
        .select_from(Outreach)
        .join(Participant, Participant.outreach_id == Outreach.id)
        .outerjoin(Person, Person.id == Participant.person_id)
        .outerjoin(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.role.in_(REPLY_ROLES), *sent_outreach(campaign_id))
        .group_by(*keys)
    )


def recipient_roles(campaign_id: int | None) -> Select:
    """(organisations held, days to reply, count) for recipients who held a role on the sent date."""
    source = join(Outreach, Participant, Participant.outreach_id == Outreach.id)
    days = days_between(Participant.replied_on, Outreach.sent_on)
    inner = _held_key(source, Participant.id, Participant.person_id, days).where(
        Participant.role.in_(REPLY_ROLES), *sent_outreach(campaign_id)
    )
    return _grouped(inner)


def _answered(campaign_id: int | None) -> list[ColumnElement]:
    conditions = [Outreach.status != "draft"]
    if campaign_id is not None:
        conditions.append(Outreach.campaign_id == campaign_id)
    return conditions


def response_counts(campaign_id: int | None) -> Select:
    """Responses counted by every dimension at once, as `recipient_counts` with the outcome's effect for days."""
    keys = (
        Outreach.campaign_id,
        Outreach.kind_id,
        Response.person_id.is_not(None),
        Response.organisation_id,
        Person.category_id,
        func.coalesce(Person.country, Organisation.country, ""),
        ResponseOutcome.effect,
    )
    return (
        select(*keys, func.count())
        .select_from(Response)
        .join(Outreach, Response.outreach_id == Outreach.id)
        .outerjoin(Person, Person.id == Response.person_id)
        .outerjoin(Organisation, Organisation.id == Response.organisation_id)
        .outerjoin(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(*_answered(campaign_id))
        .group_by(*keys)
    )


def response_roles(campaign_id: int | None) -> Select:
    """(organisations held, effect, answers for an organisation, count) for responses from a person
    who held a role on the outreach's sent date."""
    source = join(Response, Outreach, Response.outreach_id == Outreach.id).outerjoin(
        ResponseOutcome, Response.outcome_id == ResponseOutcome.id
    )
    for_organisation = Response.organisation_id.is_not(None).label("for_organisation")
    inner = _held_key(source, Response.id, Response.person_id, ResponseOutcome.effect, for_organisation)
    return _grouped(inner.where(*_answered(campaign_id)))


def organisations(ids: list[int]) -> Select:
    """(id, name, short name, is a political group) of the organisations a report names."""
    return (
        select(Organisation.id, Organisation.name, Organisation.short_name, OrganisationType.code == GROUP_TYPE)
        .outerjoin(OrganisationType, Organisation.type_id == OrganisationType.id)
        .where(among(Organisation.id, ids))
    )


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
    return (
        select(month, func.count())
        .join(Outreach, Response.outreach_id == Outreach.id)
        .where(*_answered(campaign_id))
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
