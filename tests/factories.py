"""Builders for test data, through the real services."""

from __future__ import annotations

from datetime import date

from crm.contacts.data import EmailData, OrganisationData, PersonData, RoleData
from crm.contacts.organisations import create_organisation
from crm.contacts.people import create_person
from crm.contacts.roles import add_role
from crm.extensions import db
from crm.taxonomy.service import categories, type_by_code


def category_id(name: str) -> int:
    return next(c.id for c in categories() if c.name == name)


def make_organisation(
    name: str = "European Parliament", *, short_name: str = "", type_code: str | None = None, **fields
):
    type_id = type_by_code(type_code).id if type_code else None
    organisation = create_organisation(
        OrganisationData(name=name, short_name=short_name, type_id=type_id, **fields), actor=None
    )
    db.session.commit()
    return organisation


def make_person(
    family_name: str = "Dzhakishev", given_name: str = "Mukhtar", *, emails: tuple[str, ...] = (), **fields
):
    data = PersonData(family_name=family_name, given_name=given_name, emails=[EmailData(e) for e in emails], **fields)
    person = create_person(data, actor=None)
    db.session.commit()
    return person


def make_role(person, organisation, title: str = "Member", starts_on: date | None = None, ends_on: date | None = None):
    role = add_role(person, RoleData(organisation.id, title, starts_on, ends_on), actor=None)
    db.session.commit()
    return role


def kind_id(code: str) -> int:
    from crm.taxonomy.service import kind_by_code

    return kind_by_code(code).id


def outcome_id(code: str) -> int:
    from crm.taxonomy.service import outcome_by_code

    return outcome_by_code(code).id


def make_campaign(name: str = "Free Mukhtar Dzhakishev", **fields):
    from crm.campaigns.service import CampaignData, create_campaign

    campaign = create_campaign(CampaignData(name=name, **fields), actor=None)
    db.session.commit()
    return campaign


def make_outreach(
    subject: str,
    *,
    kind: str = "letter",
    sent_on: date | None = date(2017, 10, 11),
    to=(),
    signatories=(),
    authors=(),
    **fields,
):
    """An outreach entry; `to`, `signatories` and `authors` take people or organisations."""
    from crm.contacts.models import Organisation
    from crm.outreach.data import OutreachData, ParticipantData
    from crm.outreach.service import create_outreach

    def party(role, item):
        if isinstance(item, Organisation):
            return ParticipantData(role, organisation_id=item.id)
        return ParticipantData(role, person_id=item.id)

    participants = (
        [party("to", p) for p in to]
        + [party("signatory", p) for p in signatories]
        + [party("from", p) for p in authors]
    )
    data = OutreachData(kind_id=kind_id(kind), subject=subject, sent_on=sent_on, participants=participants, **fields)
    outreach = create_outreach(data, actor=None)
    db.session.commit()
    return outreach


def make_response(outreach, party, received_on: date = date(2017, 11, 20), outcome: str | None = None, **fields):
    from crm.contacts.models import Organisation
    from crm.outreach.data import ResponseData
    from crm.outreach.responses import record_response

    who = {"organisation_id": party.id} if isinstance(party, Organisation) else {"person_id": party.id}
    data = ResponseData(received_on=received_on, outcome_id=outcome_id(outcome) if outcome else None, **who, **fields)
    response = record_response(outreach, data, actor=None)
    db.session.commit()
    return response
