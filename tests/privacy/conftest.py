"""A person with something of everything: contact points, a role, tags, outreach, a reply with a file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest

from crm.contacts.data import EmailData, PersonData
from crm.contacts.people import create_person
from crm.extensions import db
from crm.outreach.attachments import store
from tests.factories import make_campaign, make_organisation, make_outreach, make_person, make_response, make_role


@dataclass
class Subject:
    person: object
    bystander: object
    outreach: object
    response: object
    attachment: object
    campaign: object


@pytest.fixture
def subject(app):
    data = PersonData(
        family_name="Dzhakishev",
        given_name="Mukhtar",
        native_name="Мухтар Джакишев",
        country="KZ",
        notes='=HYPERLINK("http://evil")',
        tags="prisoner, energy",
        emails=[EmailData("mukhtar@example.org")],
    )
    person = create_person(data, actor=None)
    db.session.commit()
    bystander = make_person("Dzhakisheva", "Aruzhan", emails=("aruzhan@example.org",))
    make_role(person, make_organisation("Kazatomprom"), "President", date(1998, 1, 1), date(2009, 5, 21))
    campaign = make_campaign("Free the Aktau strikers")
    outreach = make_outreach(
        "Letter about Mukhtar Dzhakishev",
        to=[person, bystander],
        campaign_id=campaign.id,
        summary="Asked about mukhtar@example.org's health.",
    )
    response = make_response(outreach, person, summary="I was tortured", action_taken="Wrote to the minister")
    [attachment] = store([("reply.pdf", io.BytesIO(b"%PDF-1.4 his letter"))], actor=None, response=response)
    db.session.commit()
    return Subject(person, bystander, outreach, response, attachment, campaign)
