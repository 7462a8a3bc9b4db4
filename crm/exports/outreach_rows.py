"""Outreach entries and responses as rows, filtered as the outreach list filters them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from crm.auth.models import User
from crm.campaigns.models import Campaign
from crm.contacts.models import Organisation, Person
from crm.outreach.models import CHANNELS, OUTREACH_STATUSES, Outreach, Participant, Response
from crm.outreach.search import OutreachFilter, outreach_query
from crm.spreadsheets.table import DATE, NUMBER, Column, Table, joined
from crm.sql.rows import among, rows_of, stream_chunks
from crm.taxonomy.models import OutreachKind, ResponseOutcome

CHUNK = 500
# A mailing may have thousands of recipients; a cell lists the first ones and says how
# many there are (Excel also stops a cell at 32,767 characters).
NAMES_PER_CELL = 100
PARTY_ROLES = ("from", "to", "signatory", "cc", "attendee")
OUTREACH_COLUMNS = (
    Column("ID", NUMBER),
    Column("Date", DATE),
    Column("Kind"),
    Column("Subject", max_width=60),
    Column("Campaign"),
    Column("Status"),
    Column("Owner"),
    Column("Reference"),
    Column("Link"),
    Column("From", max_width=50),
    Column("To", max_width=60),
    Column("Signatories", max_width=50),
    Column("Cc"),
    Column("Attendees"),
    Column("Recipients", NUMBER),
    Column("Replied", NUMBER),
    Column("Follow-up", DATE),
    Column("Summary", max_width=60),
)
RESPONSE_COLUMNS = (
    Column("ID", NUMBER),
    Column("Outreach ID", NUMBER),
    Column("Outreach subject", max_width=50),
    Column("Campaign"),
    Column("Received", DATE),
    Column("Person ID", NUMBER),
    Column("Person"),
    Column("Organisation ID", NUMBER),
    Column("Organisation"),
    Column("Channel"),
    Column("Outcome"),
    Column("Summary", max_width=60),
    Column("Action taken", max_width=60),
    Column("Link"),
    Column("Follow-up", DATE),
)


def _names(model: Any, label: Any) -> dict[int, str]:
    return dict(rows_of(select(model.id, label)).all())


def _person_name(given: str | None, patronymic: str | None, family: str | None) -> str:
    return " ".join(part for part in (given, patronymic, family) if part)


def outreach_table(filters: OutreachFilter, *, within: Any = None) -> Table:
    statement = outreach_query(filters).with_only_columns(
        Outreach.id,
        Outreach.sent_on,
        Outreach.kind_id,
        Outreach.subject,
        Outreach.campaign_id,
        Outreach.status,
        Outreach.owner_id,
        Outreach.reference,
        Outreach.url,
        Outreach.recipient_count,
        Outreach.replied_count,
        Outreach.follow_up_on,
        Outreach.summary,
    )
    if within is not None:  # a statement of ids: a user's selection on the list
        statement = statement.where(Outreach.id.in_(within))
    return Table("Outreach", OUTREACH_COLUMNS, _outreach_rows(statement))


def _parties(ids: list[int]) -> dict[tuple[int, str], str]:
    """{(outreach id, role): "name; name; … (N in all)"} for one chunk."""
    rank = func.row_number().over(partition_by=(Participant.outreach_id, Participant.role), order_by=Participant.id)
    first = (
        select(Participant.id, rank.label("rank")).where(among(Participant.outreach_id, ids)).subquery("first_parties")
    )
    rows = rows_of(
        select(
            Participant.outreach_id,
            Participant.role,
            Person.given_name,
            Person.patronymic,
            Person.family_name,
            Organisation.name,
        )
        .join(first, first.c.id == Participant.id)
        .outerjoin(Person, Person.id == Participant.person_id)
        .outerjoin(Organisation, Organisation.id == Participant.organisation_id)
        .where(first.c.rank <= NAMES_PER_CELL)
        .order_by(Participant.outreach_id, Participant.role, Participant.id)
    )
    names: dict[tuple[int, str], list[str]] = {}
    for outreach_id, role, given, patronymic, family, organisation in rows:
        names.setdefault((outreach_id, role), []).append(organisation or _person_name(given, patronymic, family))
    counts = rows_of(
        select(Participant.outreach_id, Participant.role, func.count())
        .where(among(Participant.outreach_id, ids))
        .group_by(Participant.outreach_id, Participant.role)
    )
    cells = {}
    for outreach_id, role, count in counts:
        listed = names.get((outreach_id, role), [])
        more = f" … ({count} in all)" if count > len(listed) else ""
        cells[outreach_id, role] = joined(listed) + more
    return cells


def _outreach_rows(statement: Any) -> Iterator[tuple]:
    kinds = _names(OutreachKind, OutreachKind.name)
    campaigns = _names(Campaign, Campaign.name)
    owners = {user_id: name or email for user_id, name, email in rows_of(select(User.id, User.name, User.email))}
    for chunk in stream_chunks(statement, CHUNK):
        parties = _parties([row[0] for row in chunk])
        for outreach_id, sent_on, kind_id, subject, campaign_id, status, owner_id, *rest in chunk:
            reference, url, recipients, replied, follow_up_on, summary = rest
            yield (
                outreach_id,
                sent_on,
                kinds.get(kind_id),
                subject,
                campaigns.get(campaign_id),
                OUTREACH_STATUSES.get(status, status),
                owners.get(owner_id),
                reference,
                url,
                *(parties.get((outreach_id, role)) for role in PARTY_ROLES),
                recipients,
                replied,
                follow_up_on,
                summary,
            )


def responses_table(filters: OutreachFilter) -> Table:
    """Responses to the outreach entries the filter selects, newest first."""
    statement = (
        select(
            Response.id,
            Response.outreach_id,
            Outreach.subject,
            Outreach.campaign_id,
            Response.received_on,
            Response.person_id,
            Person.given_name,
            Person.patronymic,
            Person.family_name,
            Response.organisation_id,
            Organisation.name,
            Response.channel,
            Response.outcome_id,
            Response.summary,
            Response.action_taken,
            Response.url,
            Response.follow_up_on,
        )
        .select_from(Response)
        .join(Outreach, Outreach.id == Response.outreach_id)
        .outerjoin(Person, Person.id == Response.person_id)
        .outerjoin(Organisation, Organisation.id == Response.organisation_id)
        .order_by(Response.received_on.desc(), Response.id.desc())
    )
    condition = outreach_query(filters).whereclause
    if condition is not None:
        statement = statement.where(condition)
    return Table("Responses", RESPONSE_COLUMNS, _response_rows(statement))


def _response_rows(statement: Any) -> Iterator[tuple]:
    campaigns = _names(Campaign, Campaign.name)
    outcomes = _names(ResponseOutcome, ResponseOutcome.name)
    for chunk in stream_chunks(statement, CHUNK):
        for response_id, outreach_id, subject, campaign_id, received_on, person_id, *rest in chunk:
            given, patronymic, family, organisation_id, organisation, channel, outcome_id, *text = rest
            summary, action_taken, url, follow_up_on = text
            yield (
                response_id,
                outreach_id,
                subject,
                campaigns.get(campaign_id),
                received_on,
                person_id,
                _person_name(given, patronymic, family),
                organisation_id,
                organisation,
                CHANNELS.get(channel, channel),
                outcomes.get(outcome_id),
                summary,
                action_taken,
                url,
                follow_up_on,
            )
