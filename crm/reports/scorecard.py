"""scorecard(filters): per person, how often we asked, how often they answered and acted, how fast.

The legislator scorecard of public-affairs CRMs, for MEPs and PACE deputies above all:
- asked: times the person was a recipient of sent outreach (see `figures` for "recipient");
- answered: of those, how many they replied to; response rate = answered / asked;
- acted: outreach entries they signed or wrote, plus replies whose outcome's effect is "acted";
- committed: replies whose outcome's effect is "committed";
- typical delay: the median days to reply over the entries they answered.
The political group shown is the one the person belongs to today.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from crm.contacts.models import Organisation, Person, Role
from crm.contacts.search import PeopleFilter, people_query
from crm.extensions import db
from crm.ids import optional_int
from crm.outreach.models import Outreach, Participant, Response
from crm.outreach.parties import display_name
from crm.reports import queries
from crm.reports.figures import Scorecard, ScorecardRow
from crm.taxonomy.models import Category, OrganisationType, ResponseOutcome
from crm.timeutil import today
from crm.values import country_name

ACTING_ROLES = ("signatory", "from")


@dataclass(frozen=True)
class ScorecardFilter:
    category_id: int | None = None
    campaign_id: int | None = None
    country: str = ""
    list_id: int | None = None  # a saved list's people (crm.contacts.saved_lists), archived ones too

    @classmethod
    def from_args(cls, args) -> ScorecardFilter:
        country = (args.get("country") or "").strip().upper()[:2]
        return cls(
            optional_int(args.get("category_id")),
            optional_int(args.get("campaign_id")),
            country,
            optional_int(args.get("list_id")),
        )


def _counts(filters: ScorecardFilter):
    asked_from = queries.recipients(filters.campaign_id, people_only=True)
    asked = (
        select(asked_from.c.person_id, func.count().label("asked"), func.count(asked_from.c.days).label("answered"))
        .group_by(asked_from.c.person_id)
        .subquery("asked")
    )
    median = queries.median_by_person(asked_from)
    campaign = [Outreach.campaign_id == filters.campaign_id] if filters.campaign_id is not None else []
    signed = (
        select(Participant.person_id, func.count().label("signed"))
        .join(Outreach, Participant.outreach_id == Outreach.id)
        .where(Participant.role.in_(ACTING_ROLES), Participant.person_id.is_not(None), Outreach.status != "draft")
        .where(*campaign)
        .group_by(Participant.person_id)
        .subquery("signed")
    )
    replies = (
        select(
            Response.person_id,
            func.sum(case((ResponseOutcome.effect == "acted", 1), else_=0)).label("acted"),
            func.sum(case((ResponseOutcome.effect == "committed", 1), else_=0)).label("committed"),
        )
        .join(Outreach, Response.outreach_id == Outreach.id)
        .join(ResponseOutcome, Response.outcome_id == ResponseOutcome.id)
        .where(Response.person_id.is_not(None), ResponseOutcome.effect.in_(("acted", "committed")), *campaign)
        .group_by(Response.person_id)
        .subquery("replies")
    )
    return asked, median, signed, replies


def _current_groups() -> dict[int, str]:
    """Each person's political group today; the latest started one if the records overlap."""
    name = case((Organisation.short_name != "", Organisation.short_name), else_=Organisation.name)
    rows = db.session.execute(
        select(Role.person_id, name)
        .join(Organisation, Role.organisation_id == Organisation.id)
        .join(OrganisationType, Organisation.type_id == OrganisationType.id)
        .where(
            OrganisationType.code == queries.GROUP_TYPE,
            or_(Role.ends_on.is_(None), Role.ends_on >= today()),
            or_(Role.starts_on.is_(None), Role.starts_on <= today()),
        )
        .order_by(Role.starts_on.nulls_first(), Role.id)
    )
    return dict(rows.all())


def scorecard(filters: ScorecardFilter | None = None) -> Scorecard:
    """Everyone asked or acting under the filters, most asked first."""
    filters = filters or ScorecardFilter()
    asked, median, signed, replies = _counts(filters)
    acted = func.coalesce(signed.c.signed, 0) + func.coalesce(replies.c.acted, 0)
    statement = (
        select(
            *queries.person_columns(),
            func.coalesce(asked.c.asked, 0),
            func.coalesce(asked.c.answered, 0),
            acted,
            func.coalesce(replies.c.committed, 0),
            median.c.median,
        )
        .outerjoin(Category, Person.category_id == Category.id)
        .outerjoin(asked, asked.c.person_id == Person.id)
        .outerjoin(median, median.c.person_id == Person.id)
        .outerjoin(signed, signed.c.person_id == Person.id)
        .outerjoin(replies, replies.c.person_id == Person.id)
        .where(or_(asked.c.asked.is_not(None), signed.c.signed.is_not(None), replies.c.acted.is_not(None)))
        .order_by(func.coalesce(asked.c.asked, 0).desc(), Person.sort_key, Person.id)
    )
    if filters.category_id is not None:
        statement = statement.where(Person.category_id == filters.category_id)
    if filters.country:
        statement = statement.where(Person.country == filters.country)
    if filters.list_id is not None:
        # Whoever the list holds, archived or not, as the scorecard counts everyone asked.
        listed = people_query(PeopleFilter(list_id=filters.list_id, archived="all"))
        statement = statement.where(Person.id.in_(listed.with_only_columns(Person.id).order_by(None)))
    groups = _current_groups()
    rows = [
        ScorecardRow(
            person_id=person_id,
            name=display_name(given, patronymic, family),
            category=category or "",
            country=country_name(country),
            group=groups.get(person_id, ""),
            asked=int(asked_count),
            answered=int(answered),
            acted=int(acted_count),
            committed=int(committed),
            median_days=float(median_days) if median_days is not None else None,
        )
        for person_id, given, patronymic, family, category, country, asked_count, answered, acted_count, committed, median_days in db.session.execute(
            statement
        )
    ]
    return Scorecard(rows=rows, total=len(rows))
